//! The committed MNIST: counts, labels, normalization, shuffling and batches.

use crate::common;

use burn::tensor::Device;
use burn::tensor::module::interpolate;
use burn::tensor::ops::{InterpolateMode, InterpolateOptions};
use convscope::data::{
    DataError, MNIST_MEAN, MNIST_STD, MnistSplit, batch_from_indices, epoch_order, network_input,
};

#[test]
fn the_real_mnist_is_there() {
    let train = common::mnist("train");
    let test = common::mnist("t10k");
    assert_eq!((train.len(), test.len()), (60_000, 10_000));
    // The well-known first labels of each split.
    assert_eq!(&train.labels()[..5], &[5, 0, 4, 1, 9]);
    assert_eq!(&test.labels()[..4], &[7, 2, 1, 0]);
    let mut counts = [0usize; 10];
    for &label in test.labels() {
        counts[label as usize] += 1;
    }
    assert_eq!(
        counts,
        [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    );
    let mean = train
        .image(0)
        .iter()
        .map(|&p| p as f64 / 255.0)
        .sum::<f64>()
        / 784.0;
    assert!(mean > 0.05 && mean < 0.3);
}

#[test]
fn corrupt_data_is_refused() {
    let error = MnistSplit::from_idx(&[0, 0, 8, 3, 0, 0], &[0, 0, 8, 1]).unwrap_err();
    assert!(matches!(error, DataError::Corrupt(_)));
    assert!(MnistSplit::from_idx(&[0x1f, 0x8b, 1, 2, 3], &[]).is_err());
}

#[test]
fn shuffling_is_seeded_and_a_permutation() {
    let a = epoch_order(1000, 42, 0);
    assert_eq!(a, epoch_order(1000, 42, 0));
    assert_ne!(a, epoch_order(1000, 42, 1));
    assert_ne!(a, epoch_order(1000, 43, 0));
    let mut sorted = a.clone();
    sorted.sort();
    assert_eq!(sorted, (0..1000).collect::<Vec<_>>());
}

#[test]
fn batches_are_normalized_and_resized_to_the_network_input() {
    let device = Device::flex();
    let test = common::mnist("t10k");
    let batch = batch_from_indices(&test, &[0, 1, 2], &device);
    assert_eq!(batch.digits.dims(), [3, 1, 28, 28]);
    assert_eq!(
        batch
            .targets
            .clone()
            .into_data()
            .convert::<i64>()
            .try_to_vec::<i64>()
            .unwrap(),
        vec![7, 2, 1]
    );
    let background = batch
        .digits
        .clone()
        .slice([0..1, 0..1, 0..1, 0..1])
        .into_scalar::<f32>();
    assert!((background - (-MNIST_MEAN / MNIST_STD)).abs() < 1e-6);
    let rgb = network_input(batch.digits.clone(), [3, 32, 32]);
    assert_eq!(rgb.dims(), [3, 3, 32, 32]);
    let channels = rgb.clone().slice([0..3, 0..1]).into_data();
    channels.assert_eq(&rgb.slice([0..3, 2..3]).into_data(), true);
    assert_eq!(
        network_input(batch.digits, [1, 28, 28]).dims(),
        [3, 1, 28, 28]
    );
}

#[test]
fn the_network_input_is_burns_bilinear_resize() {
    let device = Device::flex();
    let test = common::mnist("t10k");
    let digits = batch_from_indices(&test, &[0, 1, 2, 3], &device).digits;
    for [height, width] in [[96, 96], [48, 48], [224, 224], [20, 20], [40, 17]] {
        let ours = network_input(digits.clone(), [1, height, width]);
        let burns = interpolate(
            digits.clone(),
            InterpolateOptions::new(InterpolateMode::Bilinear).with_output_size([height, width]),
        );
        let difference = common::largest_difference(ours, burns);
        assert!(difference < 1e-5, "{height}×{width}: {difference}");
    }
}
