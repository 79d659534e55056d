//! The direct max pool computes what burn's own does, and in training sends each gradient where
//! burn's would.

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
    for (spec, shape) in window_shapes() {
        // Negative values too: padding must never win.
        let x = Tensor::<4>::random(shape, Distribution::Uniform(-3.0, -1.0), &device);
        let direct = max_pool(x.clone(), &spec);
        let expected = burns_pool(x, &spec);
        assert_eq!(direct.dims(), expected.dims(), "{spec:?} over {shape:?}");
        assert_eq!(floats(direct), floats(expected), "{spec:?} over {shape:?}");
    }
}

/// The presets' pools (3×3 stride 2, 2×2 stride 2, Inception's 3×3 stride 1 padded, the
/// ResNet stem's 3×3 stride 2 padded), odd and non-square sizes, windows cut by the edge,
/// centred windows wider than their planes; planes small enough to be pooled all at once and
/// larger ones.
fn window_shapes() -> Vec<(PoolSpec, [usize; 4])> {
    let spec = |kernel, stride, padding| PoolSpec {
        kernel,
        stride,
        padding,
    };
    vec![
        (spec(3, 2, 0), [2, 3, 23, 23]),
        (spec(2, 2, 0), [1, 4, 12, 12]),
        (spec(2, 2, 0), [1, 2, 7, 9]),
        (spec(3, 1, 1), [2, 5, 6, 11]),
        (spec(3, 1, 1), [1, 3, 2, 2]),
        (spec(3, 1, 1), [1, 2, 1, 5]),
        (spec(5, 1, 2), [2, 3, 4, 7]),
        (spec(5, 1, 2), [1, 2, 3, 1]),
        (spec(5, 2, 2), [1, 2, 7, 6]),
        (spec(3, 2, 1), [1, 2, 2, 1]),
        (spec(3, 2, 1), [1, 3, 24, 17]),
        (spec(5, 3, 2), [1, 1, 10, 13]),
        (spec(1, 1, 0), [1, 2, 3, 3]),
        // Small planes, pooled all at once: at the size limit, and many of them.
        (spec(3, 1, 1), [2, 3, 4, 4]),
        (spec(3, 2, 1), [1, 7, 3, 3]),
        (spec(2, 2, 0), [2, 5, 4, 2]),
    ]
}

fn floats(x: Tensor<4>) -> Vec<f32> {
    x.into_data().try_into_vec::<f32>().unwrap()
}

#[test]
fn in_training_each_gradient_goes_to_its_windows_winner_as_with_burns_pool() {
    let autodiff = Device::flex().autodiff();
    assert!(!cpu_inference(&autodiff));
    for (spec, shape) in window_shapes() {
        // After a ReLU, as in the networks: many zeros, so many windows whose maximum is tied;
        // burn gives a tie to the first in reading order.
        let input = Tensor::<4>::random(shape, Distribution::Uniform(-1.0, 1.0), &autodiff)
            .clamp_min(0.0)
            .detach();
        let pooled_shape = burns_pool(input.clone(), &spec).dims();
        let upstream =
            Tensor::<4>::random(pooled_shape, Distribution::Uniform(0.5, 2.0), &autodiff);
        let run = |pool: &dyn Fn(Tensor<4>) -> Tensor<4>| {
            let x = input.clone().require_grad();
            let pooled = pool(x.clone());
            let gradients = (pooled.clone() * upstream.clone()).sum().backward();
            let gradient = x.grad(&gradients).expect("the input has a gradient");
            (
                floats(pooled),
                gradient.into_data().try_into_vec::<f32>().unwrap(),
            )
        };
        let (ours, our_gradient) = run(&|x| max_pool(x, &spec));
        let (burns, burns_gradient) = run(&|x| burns_pool(x, &spec));
        assert_eq!(ours, burns, "{spec:?} over {shape:?}");
        assert_eq!(our_gradient, burns_gradient, "{spec:?} over {shape:?}");
    }
}

#[test]
fn a_training_pool_sends_the_gradient_to_the_maximum() {
    let autodiff = Device::flex().autodiff();
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
