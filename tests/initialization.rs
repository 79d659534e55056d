//! A fresh network starts as d2l's `train_ch6` would start it: Xavier-uniform weights on every
//! convolution and linear layer, PyTorch's default biases.

use burn::tensor::Device;
use convscope::arch::{Preset, PresetKind};
use convscope::model::Model;
use convscope::weights::save_safetensors;

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
        for (key, view) in file.tensors() {
            let shape = view.shape().to_vec();
            // Convolutions [out, in, k, k] and linear layers [out, in]; BatchNorm's are 1-D.
            let is_layer_weight = key.ends_with(".weight") && shape.len() >= 2;
            let is_layer_bias = key.ends_with(".bias")
                && file
                    .tensor(&key.replace(".bias", ".weight"))
                    .is_ok_and(|weight| weight.shape().len() >= 2);
            if !is_layer_weight && !is_layer_bias {
                continue;
            }
            let values: Vec<f32> = view
                .data()
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            let weight_shape = if is_layer_weight {
                shape.clone()
            } else {
                file.tensor(&key.replace(".bias", ".weight"))
                    .unwrap()
                    .shape()
                    .to_vec()
            };
            let receptive: usize = weight_shape[2..].iter().product();
            let fan_in = (weight_shape[1] * receptive) as f32;
            let fan_out = (weight_shape[0] * receptive) as f32;
            if is_layer_weight {
                weights_seen += 1;
                assert_fills(&key, &values, (6.0 / (fan_in + fan_out)).sqrt());
            } else {
                assert_fills(&key, &values, 1.0 / fan_in.sqrt());
            }
        }
        assert!(weights_seen >= 5, "{preset}: only {weights_seen} layers");
    }
}
