//! burn layers configured as PyTorch's defaults, so a fresh model starts like the seed's.

use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::{Linear, LinearConfig, PaddingConfig2d};
use burn::tensor::Device;

use crate::arch::ConvSpec;

/// A convolution as the model builds it from `spec` (also for tests of the layer's paths).
pub fn conv2d(in_channels: usize, spec: ConvSpec, device: &Device) -> Conv2d {
    let ConvSpec {
        out_channels,
        kernel,
        stride,
        padding,
    } = spec;
    Conv2dConfig::new([in_channels, out_channels], [kernel, kernel])
        .with_stride([stride, stride])
        .with_padding(PaddingConfig2d::Explicit(
            padding, padding, padding, padding,
        ))
        .init(device)
}

pub(crate) fn linear(in_features: usize, out_features: usize, device: &Device) -> Linear {
    LinearConfig::new(in_features, out_features).init(device)
}
