//! Every convolution of a network goes through here, to the fastest path for its device.

use burn::nn::PaddingConfig2d;
use burn::nn::conv::Conv2d;
use burn::tensor::Tensor;

use super::device_kind::cpu_inference;
use super::{direct_conv, space_to_depth};
use crate::arch::ConvSpec;

/// `conv` applied to `x` `[batch, in, height, width]`.
pub fn convolve(conv: &Conv2d, x: Tensor<4>) -> Tensor<4> {
    let device = x.device();
    let Some(spec) = square_spec(conv) else {
        return conv.forward(x);
    };
    if cpu_inference(&device) {
        let bias = conv.bias.as_ref().map(|bias| bias.val());
        direct_conv::conv2d(x, conv.weight.val(), bias, spec.stride, spec.padding)
    } else if space_to_depth::pays_off(&spec, x.dims()[1], &device) {
        space_to_depth::forward(conv, &spec, x)
    } else {
        conv.forward(x)
    }
}

/// `conv`'s shape as the architectures describe every convolution (square kernel, equal
/// strides, the same padding on every side, no dilation, no groups); `None` for any other.
fn square_spec(conv: &Conv2d) -> Option<ConvSpec> {
    let [out_channels, _, kernel, kernel_wide] = conv.weight.dims();
    let PaddingConfig2d::Explicit(top, left, bottom, right) = conv.padding else {
        return None;
    };
    let [stride, stride_across] = conv.stride;
    let square = kernel == kernel_wide
        && stride == stride_across
        && [left, bottom, right] == [top; 3]
        && conv.dilation == [1, 1]
        && conv.groups == 1;
    square.then_some(ConvSpec {
        out_channels,
        kernel,
        stride,
        padding: top,
    })
}
