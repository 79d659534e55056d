//! The direct max pool computes what burn's own does, and steps aside where gradients count.

use burn::tensor::module::max_pool2d;
use burn::tensor::ops::MaxPoolOptions;
use burn::tensor::{Device, Distribution, Tensor};
use convscope::arch::PoolSpec;
use convscope::model::device_kind::cpu_inference;
use convscope::model::max_pool::max_pool;

fn burns_pool(x: Tensor<4>, spec: &PoolSpec) -> Tensor<4> {
    max_pool2d(
        x,
        MaxPoolOptions::new([spec.kernel, spec.kernel])
            .with_stride([spec.stride, spec.stride])
            .with_padding([spec.padding, spec.padding]),
    )
}

#[test]
fn the_direct_pool_matches_burns_for_every_window_shape() {
    let device = Device::flex();
    let spec = |kernel, stride, padding| PoolSpec {
        kernel,
        stride,
        padding,
    };
    // The presets' pools (3×3 stride 2, 2×2 stride 2, Inception's 3×3 stride 1 padded, the
    // ResNet stem's 3×3 stride 2 padded), odd and non-square sizes, windows cut by the edge.
    let cases = [
        (spec(3, 2, 0), [2, 3, 23, 23]),
        (spec(2, 2, 0), [1, 4, 12, 12]),
        (spec(2, 2, 0), [1, 2, 7, 9]),
        (spec(3, 1, 1), [2, 5, 6, 11]),
        (spec(3, 2, 1), [1, 3, 24, 17]),
        (spec(5, 3, 2), [1, 1, 10, 13]),
        (spec(1, 1, 0), [1, 2, 3, 3]),
    ];
    for (spec, shape) in cases {
        // Negative values too: padding must never win.
        let x = Tensor::<4>::random(shape, Distribution::Uniform(-3.0, -1.0), &device);
        let direct = max_pool(x.clone(), &spec);
        let expected = burns_pool(x, &spec);
        assert_eq!(direct.dims(), expected.dims(), "{spec:?} over {shape:?}");
        assert_eq!(
            direct.into_data().try_into_vec::<f32>().unwrap(),
            expected.into_data().try_into_vec::<f32>().unwrap(),
            "{spec:?} over {shape:?}"
        );
    }
}

#[test]
fn training_keeps_burns_pool_and_its_gradients() {
    let cpu = Device::flex();
    assert!(cpu_inference(&cpu));
    let autodiff = cpu.clone().autodiff();
    assert!(!cpu_inference(&autodiff));
    let spec = PoolSpec {
        kernel: 2,
        stride: 2,
        padding: 0,
    };
    let x = Tensor::<4>::from_floats([[[[1.0, 4.0], [3.0, 2.0]]]], &autodiff).require_grad();
    let gradients = max_pool(x.clone(), &spec).sum().backward();
    let gradient = x.grad(&gradients).expect("the input has a gradient");
    assert_eq!(
        gradient.into_data().try_into_vec::<f32>().unwrap(),
        vec![0.0, 1.0, 0.0, 0.0]
    );
}
