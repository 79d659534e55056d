//! Helpers shared by the integration tests.

use std::path::PathBuf;

use burn::tensor::Tensor;
use convscope::arch::alexnet::{self, AlexNetWidths};
use convscope::arch::vgg::{self, VggWidths};
use convscope::arch::{Architecture, Preset};
use convscope::data::MnistSplit;
use convscope::summary::Summary;

pub fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

/// The layer table of a preset, by name.
pub fn summary(preset: &str) -> Summary {
    Preset::by_name(preset)
        .unwrap()
        .architecture()
        .summary()
        .unwrap()
}

pub fn read_json(path: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(fixture(path)).expect("fixture exists");
    serde_json::from_str(&text).expect("fixture is JSON")
}

/// The networks of `tools/torch_reference.py`'s parity variants.
pub fn parity_architecture(variant: &str) -> Architecture {
    match variant {
        "alexnet-tiny" => alexnet::architecture(
            AlexNetWidths {
                convs: [6, 16, 24, 24, 16],
                hidden: 64,
            },
            [1, 224, 224],
        ),
        "vgg-tiny" => vgg::architecture(&VggWidths::seed_divided_by(16, 64), [3, 224, 224]),
        preset => Preset::by_name(preset).expect("a preset").architecture(),
    }
}

pub const PARITY_VARIANTS: [&str; 6] = [
    "alexnet-lite",
    "vgg-lite",
    "googlenet-lite",
    "resnet18-lite",
    "alexnet-tiny",
    "vgg-tiny",
];

/// Reads a float32 `.npy` written by NumPy (version 1 header, C order).
pub fn read_npy(path: &str) -> (Vec<usize>, Vec<f32>) {
    let bytes = std::fs::read(fixture(path)).expect("npy fixture");
    let header_len = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
    let header = std::str::from_utf8(&bytes[10..10 + header_len]).expect("text header");
    let shape_text = header
        .split("'shape': (")
        .nth(1)
        .expect("shape")
        .split(')')
        .next()
        .expect("shape");
    let shape = shape_text
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().parse().expect("dimension"))
        .collect();
    let values = bytes[10 + header_len..]
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    (shape, values)
}

/// A split of the committed MNIST: `"train"` or `"t10k"`.
pub fn mnist(split: &str) -> MnistSplit {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/mnist/");
    MnistSplit::from_idx(
        &std::fs::read(format!("{dir}{split}-images-idx3-ubyte.gz")).unwrap(),
        &std::fs::read(format!("{dir}{split}-labels-idx1-ubyte.gz")).unwrap(),
    )
    .unwrap()
}

/// The largest absolute difference between two tensors of the same shape.
pub fn largest_difference<const D: usize>(a: Tensor<D>, b: Tensor<D>) -> f32 {
    assert_eq!(a.dims(), b.dims());
    (a - b).abs().max().into_scalar::<f32>()
}

/// The f32 values of a `.safetensors` tensor's little-endian bytes.
pub fn f32_values(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}
