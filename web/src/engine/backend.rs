//! Choosing the device: WebGPU when asked for and available, else burn's CPU backend.

use burn::tensor::Device;
use burn::tensor::wgpu::wgpu;

use super::cpu_backend_info;
use super::worker::Outbox;
use crate::protocol::{BackendChoice, BackendInfo, Response};

/// What the engine keeps of the wgpu device: enough to lose it on purpose (a test hook).
pub struct GpuHandle(wgpu::Device);

impl GpuHandle {
    pub fn destroy(&self) {
        self.0.destroy();
    }
}

pub async fn start(
    choice: BackendChoice,
    outbox: Outbox,
) -> (Device, Option<GpuHandle>, BackendInfo) {
    if choice == BackendChoice::Cpu {
        return (Device::flex(), None, cpu_backend_info(None));
    }
    match Device::wgpu_options().init_with_setup_async().await {
        Ok((device, setup)) => {
            let info = setup.adapter.get_info();
            let mut adapter = if info.name.is_empty() {
                "WebGPU adapter".to_string()
            } else {
                info.name.clone()
            };
            if info.device_type == wgpu::DeviceType::Cpu {
                adapter.push_str(" (software)");
            }
            setup
                .device
                .set_device_lost_callback(move |reason, message| {
                    let message = if message.is_empty() {
                        format!("{reason:?}")
                    } else {
                        message
                    };
                    outbox.post(&Response::DeviceLost { message });
                });
            let info = BackendInfo {
                webgpu: true,
                adapter,
                fallback_reason: None,
            };
            (device, Some(GpuHandle(setup.device)), info)
        }
        Err(error) => {
            let reason = format!("WebGPU is not available here ({error})");
            (Device::flex(), None, cpu_backend_info(Some(reason)))
        }
    }
}
