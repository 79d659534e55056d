//! A strided convolution computed as a stride-1 one over the input's space-to-depth
//! rearrangement: each `s×s` block of pixels becomes `s²` channels, and the kernel is cut the
//! same way (zero-padded to a multiple of `s`). Same sums, same parameters (rearranged on the
//! fly, so gradients reach the layer's own weights).
//!
//! Why: burn Flex sends convolutions with few input channels to a per-plane loop whose strided
//! reads do not vectorize; AlexNet-lite's first layer (1 channel in, 11×11, stride 4) took
//! about half of its training time there. Rearranged, the layer runs at stride 1 over `s²`
//! channels, 1.6–2.9× faster forward and backward for every preset's first layer (measured
//! natively, batch 1 to 250); with `data::network_input`'s resize, AlexNet-lite trains at 862
//! images/s natively instead of 674.

use burn::nn::conv::Conv2d;
use burn::tensor::module::conv2d;
use burn::tensor::ops::{ConvOptions, PadMode};
use burn::tensor::{Device, Tensor};

use super::device_kind::is_cpu;
use crate::arch::ConvSpec;

/// Input channels up to which Flex takes its per-plane path (its `SMALL_CHANNEL_IN_THRESHOLD`).
const FEW_INPUT_CHANNELS: usize = 4;

/// Whether `spec` over `in_channels` runs faster rearranged on `device`.
pub fn pays_off(spec: &ConvSpec, in_channels: usize, device: &Device) -> bool {
    spec.stride > 1 && in_channels <= FEW_INPUT_CHANNELS && is_cpu(device)
}

/// `conv` (built from `spec`) applied to `x`, as a stride-1 convolution over the
/// space-to-depth rearrangement of `x`.
pub fn forward(conv: &Conv2d, spec: &ConvSpec, x: Tensor<4>) -> Tensor<4> {
    let ConvSpec {
        out_channels,
        kernel,
        stride,
        padding,
    } = *spec;
    let [batch, channels, height, width] = x.dims();
    let out_height = (height + 2 * padding - kernel) / stride + 1;
    let out_width = (width + 2 * padding - kernel) / stride + 1;
    let blocks = kernel.div_ceil(stride);
    // The padded input covers exactly the blocks the output reads.
    let blocks_high = out_height + blocks - 1;
    let blocks_wide = out_width + blocks - 1;
    let x = pad_or_crop(x, padding, blocks_high * stride, blocks_wide * stride);
    // [batch, channels, blocks_high, stride, blocks_wide, stride]
    //   -> [batch, channels * stride², blocks_high, blocks_wide]
    let x = x
        .reshape([batch, channels, blocks_high, stride, blocks_wide, stride])
        .permute([0, 1, 3, 5, 2, 4])
        .reshape([batch, channels * stride * stride, blocks_high, blocks_wide]);
    let reach = blocks * stride;
    // [out, channels, kernel, kernel] -> [out, channels, reach, reach]
    //   -> [out, channels * stride², blocks, blocks], channels in the input's order
    let weight = conv
        .weight
        .val()
        .pad(
            [(0, reach - kernel), (0, reach - kernel)],
            PadMode::Constant(0.0),
        )
        .reshape([out_channels, channels, blocks, stride, blocks, stride])
        .permute([0, 1, 3, 5, 2, 4])
        .reshape([out_channels, channels * stride * stride, blocks, blocks]);
    let bias = conv.bias.as_ref().map(|bias| bias.val());
    // [batch, out, out_height, out_width]
    conv2d(x, weight, bias, ConvOptions::new([1, 1], [0, 0], [1, 1], 1))
}

/// `x` with `padding` zeros before its rows and columns, then cut or padded with zeros after
/// them to `height × width`.
fn pad_or_crop(x: Tensor<4>, padding: usize, height: usize, width: usize) -> Tensor<4> {
    let [_, _, in_height, in_width] = x.dims();
    let after = |target: usize, size: usize| target.saturating_sub(size + padding);
    let x = x.pad(
        [
            (padding, after(height, in_height)),
            (padding, after(width, in_width)),
        ],
        PadMode::Constant(0.0),
    );
    x.narrow(2, 0, height).narrow(3, 0, width)
}
