//! Which kind of device a tensor is on, for the paths of this crate that replace burn's where
//! it is the CPU (convolution, max pool, space-to-depth).

use burn::backend::DispatchDevice;
use burn::tensor::Device;

/// Whether `device` is the CPU backend (burn Flex).
pub fn is_cpu(device: &Device) -> bool {
    matches!(
        device.clone().inner().as_dispatch(),
        DispatchDevice::Flex(_)
    )
}

/// Whether `device` is the CPU without gradients to track, where the direct paths of this
/// crate (convolution, max pool) replace burn's.
pub fn cpu_inference(device: &Device) -> bool {
    !device.is_autodiff() && is_cpu(device)
}
