//! The direct convolution computes what burn's own does, and steps aside where gradients count.

use burn::module::Module;
use burn::nn::PaddingConfig2d;
use burn::nn::conv::Conv2dConfig;
use burn::tensor::{Device, Distribution, Tensor};
use convscope::arch::ConvSpec;
use convscope::model::conv2d;
use convscope::model::convolution::convolve;

use crate::common::largest_difference;

fn spec(out_channels: usize, kernel: usize, stride: usize, padding: usize) -> ConvSpec {
    ConvSpec {
        out_channels,
        kernel,
        stride,
        padding,
    }
}

#[test]
fn the_direct_convolution_gives_burns_outputs_for_every_window_shape() {
    let device = Device::flex();
    // `(in channels, spec, [height, width])`: the presets' kinds (AlexNet's 11×11 stride 4,
    // 5×5 and 3×3 padded, 1×1 plain and strided, ResNet's 7×7 stride 2 stem), non-square
    // inputs, windows that reach past the padding or read nothing but padding, and images
    // large enough to be gathered one at a time; planes small enough for one table.
    let cases = [
        (1, spec(16, 11, 4, 1), [96, 96]),
        (16, spec(32, 5, 1, 2), [11, 11]),
        (8, spec(12, 3, 1, 1), [7, 13]),
        (6, spec(4, 1, 1, 0), [9, 5]),
        (6, spec(4, 1, 2, 0), [9, 6]),
        (1, spec(8, 7, 2, 3), [48, 48]),
        (3, spec(5, 3, 2, 1), [33, 20]),
        (2, spec(3, 2, 3, 2), [10, 7]),
        (2, spec(3, 3, 1, 0), [3, 3]),
        (8, spec(4, 3, 1, 1), [64, 64]),
        // Planes small enough to be gathered through one table: Inception's 3×3 and 5×5
        // branches on 3×3 and 2×2 planes, and the size limit.
        (16, spec(8, 3, 1, 1), [3, 3]),
        (8, spec(6, 5, 1, 2), [2, 2]),
        (4, spec(5, 3, 1, 1), [4, 4]),
        (3, spec(2, 3, 2, 1), [3, 5]),
    ];
    for (in_channels, spec, [height, width]) in cases {
        let conv = conv2d(in_channels, spec, &device);
        let x = Tensor::<4>::random(
            [3, in_channels, height, width],
            Distribution::Uniform(-1.0, 1.0),
            &device,
        );
        let difference = largest_difference(convolve(&conv, x.clone()), conv.forward(x));
        assert!(
            difference < 1e-5,
            "{spec:?} on {height}×{width}: {difference}"
        );
    }
}

#[test]
fn a_convolution_without_bias_goes_direct_too() {
    let device = Device::flex();
    let conv = Conv2dConfig::new([3, 4], [3, 3])
        .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
        .with_bias(false)
        .init(&device);
    let x = Tensor::<4>::random([2, 3, 8, 8], Distribution::Default, &device);
    let difference = largest_difference(convolve(&conv, x.clone()), conv.forward(x));
    assert!(difference < 1e-5, "{difference}");
}

#[test]
fn training_keeps_burns_convolution_and_its_gradients() {
    let device = Device::flex().autodiff();
    let conv = conv2d(2, spec(3, 3, 1, 1), &device).train();
    let x = Tensor::<4>::random([2, 2, 6, 6], Distribution::Default, &device).require_grad();
    let weighting = Tensor::<4>::random([2, 3, 6, 6], Distribution::Default, &device);
    let ours = (convolve(&conv, x.clone()) * weighting.clone())
        .sum()
        .backward();
    let theirs = (conv.forward(x.clone()) * weighting).sum().backward();
    let weight = |grads| {
        conv.weight
            .grad(grads)
            .expect("the weights have a gradient")
    };
    let input = |grads| x.grad(grads).expect("the input has a gradient");
    let difference = largest_difference(weight(&ours), weight(&theirs))
        .max(largest_difference(input(&ours), input(&theirs)));
    assert!(difference < 1e-5, "{difference}");
}
