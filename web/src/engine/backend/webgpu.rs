//! WebGPU when asked for and available, else burn's CPU backend.

use burn::tensor::Device;
use burn::tensor::wgpu::wgpu;

use crate::engine::cpu_backend_info;
use crate::engine::worker::Outbox;
use crate::protocol::{BackendChoice, BackendInfo, Response};

/// What the engine keeps of the wgpu device: enough to lose it on purpose (a test hook) and
/// to tell whether a network fits.
pub struct GpuHandle(wgpu::Device);

impl GpuHandle {
    pub fn destroy(&self) {
        self.0.destroy();
    }

    /// The largest buffer a shader can bind: the device's own limits, which cubecl requests
    /// at the adapter's maximum.
    pub fn max_buffer_bytes(&self) -> u64 {
        let limits = self.0.limits();
        limits
            .max_storage_buffer_binding_size
            .min(limits.max_buffer_size)
    }
}

pub async fn start(
    choice: BackendChoice,
    outbox: Outbox,
    cpu_threads: usize,
) -> (Device, Option<GpuHandle>, BackendInfo) {
    if choice == BackendChoice::Cpu {
        return (Device::flex(), None, cpu_backend_info(None, cpu_threads));
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
            let gpu = GpuHandle(setup.device);
            let info = BackendInfo {
                webgpu: true,
                adapter,
                fallback_reason: None,
                max_buffer_bytes: Some(gpu.max_buffer_bytes()),
                cpu_threads,
            };
            (device, Some(gpu), info)
        }
        Err(error) => {
            let reason = format!("WebGPU is not available here ({error})");
            (
                Device::flex(),
                None,
                cpu_backend_info(Some(reason), cpu_threads),
            )
        }
    }
}
