//! burn layers with the shapes of the seed's PyTorch modules, initialized as d2l's `train_ch6`
//! initializes them before training: `nn.init.xavier_uniform_` on every convolution's and
//! linear layer's weights, the biases as PyTorch draws them (uniform in ±1/√fan_in).
//!
//! Why not PyTorch's default weights (uniform in ±1/√fan_in, what the seed's modules get
//! without `train_ch6`): from them, one pass over 20,000 digits (the Train tab's default) left
//! AlexNet-lite at 96.66–97.50 % test accuracy over 8 seeded starts, 3 of them under 97 %;
//! from Xavier's, ±√(6/(fan_in + fan_out)) — wider for a layer that less than quintuples its
//! channels, narrower for one that widens more, like a first layer from one channel — at
//! 97.22–97.72 %, all 8 above (native, batch 32, Adam 0.002, warm-up then cosine; README,
//! "Time to a good network"). Imported and shipped weights replace all of this.

use burn::module::Param;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::{Initializer, Linear, LinearConfig, PaddingConfig2d};
use burn::tensor::{Device, Tensor};

use crate::arch::ConvSpec;

const WEIGHTS: Initializer = Initializer::XavierUniform { gain: 1.0 };

/// A convolution as the model builds it from `spec` (also for tests of the layer's paths).
pub fn conv2d(in_channels: usize, spec: ConvSpec, device: &Device) -> Conv2d {
    let ConvSpec {
        out_channels,
        kernel,
        stride,
        padding,
    } = spec;
    let mut conv = Conv2dConfig::new([in_channels, out_channels], [kernel, kernel])
        .with_stride([stride, stride])
        .with_padding(PaddingConfig2d::Explicit(
            padding, padding, padding, padding,
        ))
        .with_initializer(WEIGHTS)
        .init(device);
    conv.bias = Some(pytorch_bias(
        out_channels,
        in_channels * kernel * kernel,
        device,
    ));
    conv
}

pub(crate) fn linear(in_features: usize, out_features: usize, device: &Device) -> Linear {
    let mut linear = LinearConfig::new(in_features, out_features)
        .with_initializer(WEIGHTS)
        .init(device);
    linear.bias = Some(pytorch_bias(out_features, in_features, device));
    linear
}

/// PyTorch's bias for a layer of `fan_in` inputs per output: uniform in ±1/√fan_in (burn's
/// Kaiming-uniform with gain 1/√3 is that bound).
fn pytorch_bias(outputs: usize, fan_in: usize, device: &Device) -> Param<Tensor<1>> {
    Initializer::KaimingUniform {
        gain: 1.0 / 3.0f64.sqrt(),
        fan_out_only: false,
    }
    .init_with([outputs], Some(fan_in), None, device)
}
