//! The engine built without WebGPU (the one with threads): the CPU is its only device.

use burn::tensor::Device;

use crate::engine::cpu_backend_info;
use crate::engine::worker::Outbox;
use crate::protocol::{BackendChoice, BackendInfo};

/// A GPU device this engine never has.
pub enum GpuHandle {}

impl GpuHandle {
    pub fn destroy(&self) {
        match *self {}
    }

    pub fn max_buffer_bytes(&self) -> u64 {
        match *self {}
    }
}

/// `engine-worker.js` loads this engine when the page asked for the CPU, or for "auto" when the
/// browser has no WebGPU adapter.
pub async fn start(
    choice: BackendChoice,
    _outbox: Outbox,
    cpu_threads: usize,
) -> (Device, Option<GpuHandle>, BackendInfo) {
    let reason = (choice != BackendChoice::Cpu)
        .then(|| "WebGPU is not available here (no adapter)".to_string());
    (Device::flex(), None, cpu_backend_info(reason, cpu_threads))
}
