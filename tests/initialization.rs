//! A fresh network starts as d2l's `train_ch6` would start it: Xavier-uniform weights on every
//! convolution and linear layer, PyTorch's default biases.

use burn::tensor::Device;
use convscope::arch::{Preset, PresetKind};
use convscope::model::Model;
use convscope::weights::save_safetensors;

use crate::common;

/// Every value lies within `bound`, and in a tensor of 256 values or more the largest comes
/// within a tenth of it (all 256 inside 0.9 · bound: a chance of 0.9²⁵⁶ ≈ 2·10⁻¹²), so a
/// narrower initialization fails too.
fn assert_fills(key: &str, values: &[f32], bound: f32) {
    let largest = values
        .iter()
        .fold(0.0f32, |largest, v| largest.max(v.abs()));
    assert!(largest <= bound, "{key}: {largest} beyond ±{bound}");
    if values.len() >= 256 {
        assert!(
            largest >= 0.9 * bound,
            "{key}: largest {largest}, far inside ±{bound}"
        );
    }
}

#[test]
fn fresh_weights_are_xavier_uniform_and_biases_pytorchs() {
    let device = Device::flex();
    for preset in Preset::ALL
        .iter()
        .filter(|preset| preset.kind == PresetKind::Browser)
    {
        let model = Model::from_preset(preset, &device);
        let bytes = save_safetensors(&model, preset.name).unwrap();
        let file = safetensors::SafeTensors::deserialize(&bytes).unwrap();
        let mut weights_seen = 0;
        // Convolutions [out, in, k, k] and linear layers [out, in]; BatchNorm's are 1-D.
        for (key, weight) in file.tensors() {
            let shape = weight.shape();
            let Some(layer) = key.strip_suffix(".weight").filter(|_| shape.len() >= 2) else {
                continue;
            };
            let receptive: usize = shape[2..].iter().product();
            let fan_in = (shape[1] * receptive) as f32;
            let fan_out = (shape[0] * receptive) as f32;
            let weights = common::f32_values(weight.data());
            assert_fills(&key, &weights, (6.0 / (fan_in + fan_out)).sqrt());
            weights_seen += 1;
            if let Ok(bias) = file.tensor(&format!("{layer}.bias")) {
                let biases = common::f32_values(bias.data());
                assert_fills(&format!("{layer}.bias"), &biases, 1.0 / fan_in.sqrt());
            }
        }
        assert!(weights_seen >= 5, "{preset}: only {weights_seen} layers");
    }
}
