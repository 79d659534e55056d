//! From 28×28 MNIST-style digits to a preset's input.

use burn::tensor::Tensor;
use burn::tensor::module::interpolate;
use burn::tensor::ops::{InterpolateMode, InterpolateOptions};

/// Mean and standard deviation of MNIST's training pixels (scaled to [0, 1]).
pub const MNIST_MEAN: f32 = 0.1307;
pub const MNIST_STD: f32 = 0.3081;

pub fn normalize_pixel(pixel: u8) -> f32 {
    (pixel as f32 / 255.0 - MNIST_MEAN) / MNIST_STD
}

/// Normalized digits `[batch, 1, 28, 28]` -> `[batch, channels, height, width]`: bilinear
/// resize (like d2l's `transforms.Resize`) and the gray channel repeated for RGB networks.
pub fn network_input(digits: Tensor<4>, [channels, height, width]: [usize; 3]) -> Tensor<4> {
    let [_, _, digit_height, digit_width] = digits.dims();
    let resized = if [digit_height, digit_width] == [height, width] {
        digits
    } else {
        interpolate(
            digits,
            InterpolateOptions::new(InterpolateMode::Bilinear).with_output_size([height, width]),
        )
    };
    if channels == 1 {
        resized
    } else {
        resized.repeat_dim(1, channels)
    }
}
