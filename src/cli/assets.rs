//! What the CLI embeds: MNIST and the pretrained weights of the browser presets.

use anyhow::{Context, Result};
use convscope::data::MnistSplit;

include!(concat!(env!("OUT_DIR"), "/pretrained.rs"));

/// The shipped weights of `preset`, if it has any.
pub fn pretrained(preset: &str) -> Option<&'static [u8]> {
    PRETRAINED
        .iter()
        .find(|(name, _)| *name == preset)
        .map(|(_, bytes)| *bytes)
}

macro_rules! mnist_file {
    ($name:literal) => {
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/mnist/", $name))
    };
}

pub fn mnist_train() -> Result<MnistSplit> {
    MnistSplit::from_idx(
        mnist_file!("train-images-idx3-ubyte.gz"),
        mnist_file!("train-labels-idx1-ubyte.gz"),
    )
    .context("embedded MNIST training set")
}

pub fn mnist_test() -> Result<MnistSplit> {
    MnistSplit::from_idx(
        mnist_file!("t10k-images-idx3-ubyte.gz"),
        mnist_file!("t10k-labels-idx1-ubyte.gz"),
    )
    .context("embedded MNIST test set")
}
