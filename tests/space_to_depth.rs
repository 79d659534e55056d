//! The rearranged strided convolution computes what burn's own does, gradients included.

use burn::module::Module;
use burn::tensor::{Device, Distribution, Tensor};
use convscope::arch::ConvSpec;
use convscope::model::{conv2d, space_to_depth};

use crate::common::largest_difference;

/// `(in channels, spec, input side)`: the presets' first layers, odd sides, a kernel that
/// is a multiple of its stride and one smaller than it.
fn cases() -> Vec<(usize, ConvSpec, usize)> {
    let spec = |out_channels, kernel, stride, padding| ConvSpec {
        out_channels,
        kernel,
        stride,
        padding,
    };
    vec![
        (1, spec(16, 11, 4, 1), 96),
        (1, spec(8, 7, 2, 3), 48),
        (3, spec(5, 3, 2, 1), 33),
        (2, spec(4, 4, 2, 0), 17),
        (1, spec(6, 2, 3, 2), 20),
        (4, spec(3, 5, 3, 0), 31),
    ]
}

#[test]
fn a_rearranged_strided_convolution_gives_burns_outputs() {
    let device = Device::flex();
    for (in_channels, spec, side) in cases() {
        let conv = conv2d(in_channels, spec, &device);
        let x = Tensor::<4>::random([3, in_channels, side, side], Distribution::Default, &device);
        let difference = largest_difference(
            space_to_depth::forward(&conv, &spec, x.clone()),
            conv.forward(x),
        );
        assert!(difference < 1e-4, "{spec:?} on {side}: {difference}");
    }
}

#[test]
fn a_rearranged_strided_convolution_gives_burns_gradients() {
    let device = Device::flex().autodiff();
    for (in_channels, spec, side) in cases() {
        let conv = conv2d(in_channels, spec, &device).train();
        let x = Tensor::<4>::random([3, in_channels, side, side], Distribution::Default, &device);
        let theirs_outputs = conv.forward(x.clone());
        // A weighting that differs per output, so every gradient entry is tested.
        let weighting = Tensor::<4>::random(
            theirs_outputs.dims(),
            Distribution::Default,
            &Device::flex(),
        )
        .to_device(&device);
        let theirs = (theirs_outputs * weighting.clone()).sum().backward();
        let ours = (space_to_depth::forward(&conv, &spec, x) * weighting)
            .sum()
            .backward();
        let weight = |grads| conv.weight.grad(grads).unwrap();
        let bias = |grads| conv.bias.as_ref().unwrap().grad(grads).unwrap();
        let difference = largest_difference(weight(&ours), weight(&theirs))
            .max(largest_difference(bias(&ours), bias(&theirs)));
        assert!(difference < 1e-3, "{spec:?} on {side}: {difference}");
    }
}

#[test]
fn only_strided_convolutions_over_few_channels_on_the_cpu_are_rearranged() {
    let spec = |stride| ConvSpec {
        out_channels: 16,
        kernel: 7,
        stride,
        padding: 3,
    };
    let cpu = Device::flex();
    assert!(space_to_depth::pays_off(&spec(2), 1, &cpu));
    assert!(space_to_depth::pays_off(
        &spec(2),
        3,
        &cpu.clone().autodiff()
    ));
    assert!(!space_to_depth::pays_off(&spec(1), 1, &cpu));
    assert!(!space_to_depth::pays_off(&spec(2), 16, &cpu));
}
