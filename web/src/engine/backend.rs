//! Choosing the device: WebGPU when asked for and available, else burn's CPU backend. The
//! engine with threads is built without WebGPU (wgpu's browser objects cannot be shared between
//! threads, which a build with atomics requires of them), so the CPU is its only device.

#[cfg(not(feature = "webgpu"))]
mod cpu_only;
#[cfg(feature = "webgpu")]
mod webgpu;

#[cfg(not(feature = "webgpu"))]
pub use cpu_only::{GpuHandle, start};
#[cfg(feature = "webgpu")]
pub use webgpu::{GpuHandle, start};
