//! Mini-batches of MNIST on a device.

use burn::tensor::{Device, Int, Tensor, TensorData};

use super::input::normalize_pixel;
use super::mnist::{MNIST_PIXELS, MNIST_SIDE, MnistSplit};

pub struct Batch {
    /// Normalized digits `[batch, 1, 28, 28]`.
    pub digits: Tensor<4>,
    /// Classes `[batch]`.
    pub targets: Tensor<1, Int>,
}

pub fn batch_from_indices(split: &MnistSplit, indices: &[usize], device: &Device) -> Batch {
    let mut pixels = Vec::with_capacity(indices.len() * MNIST_PIXELS);
    for &index in indices {
        pixels.extend(
            split
                .image(index)
                .iter()
                .map(|&pixel| normalize_pixel(pixel)),
        );
    }
    let labels: Vec<i64> = indices
        .iter()
        .map(|&index| split.label(index) as i64)
        .collect();
    let count = indices.len();
    Batch {
        digits: Tensor::from_data(
            TensorData::new(pixels, [count, 1, MNIST_SIDE, MNIST_SIDE]),
            device,
        ),
        targets: Tensor::from_data(TensorData::new(labels, [count]), device),
    }
}
