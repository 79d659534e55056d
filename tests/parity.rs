//! Numerical parity with PyTorch: the same weights and input give the same logits and taps.

use crate::common;

use burn::tensor::{Device, Tensor, TensorData};
use convscope::model::Model;
use convscope::weights::load_safetensors;

fn close(ours: f64, theirs: f64, scale: f64) -> bool {
    (ours - theirs).abs() <= 1e-4 * scale.max(1.0) + 1e-4 * theirs.abs()
}

fn check_variant(variant: &str, device: &Device) {
    let architecture = common::parity_architecture(variant);
    let fresh = Model::new(architecture, device).unwrap();
    let bytes = std::fs::read(common::fixture(&format!(
        "parity/{variant}/weights.safetensors"
    )))
    .unwrap();
    let model = load_safetensors(&fresh, &bytes).unwrap_or_else(|e| panic!("{variant}: {e}"));
    let (shape, values) = common::read_npy(&format!("parity/{variant}/input.npy"));
    let input = Tensor::<4>::from_data(TensorData::new(values, shape), device);
    let expected = common::read_json(&format!("parity/{variant}/expected.json"));

    let (logits, taps) = model.forward_with_taps(input);
    let logits = logits.into_data().try_to_vec::<f32>().unwrap();
    let expected_logits: Vec<f64> = serde_json::from_value(expected["logits"].clone()).unwrap();
    let scale = expected_logits.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    assert_eq!(
        logits.len(),
        expected_logits.len(),
        "{variant}: logit count"
    );
    for (ours, theirs) in logits.iter().zip(&expected_logits) {
        assert!(
            close(*ours as f64, *theirs, scale),
            "{variant}: logits {logits:?} vs {expected_logits:?}"
        );
    }

    let expected_taps = expected["taps"].as_object().unwrap();
    assert_eq!(taps.len(), expected_taps.len(), "{variant}: tap count");
    for tap in taps {
        let reference = &expected_taps
            .get(&tap.name)
            .unwrap_or_else(|| panic!("{variant}: PyTorch has no tap {}", tap.name));
        let shape: Vec<usize> = serde_json::from_value(reference["shape"].clone()).unwrap();
        assert_eq!(
            tap.activation.dims().to_vec(),
            shape,
            "{variant} {}",
            tap.name
        );
        let values: Vec<f64> = tap
            .activation
            .into_data()
            .try_to_vec::<f32>()
            .unwrap()
            .into_iter()
            .map(f64::from)
            .collect();
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let std =
            (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64).sqrt();
        let reference_std = reference["std"].as_f64().unwrap();
        assert!(
            close(mean, reference["mean"].as_f64().unwrap(), reference_std),
            "{variant} {}: mean {mean} vs {}",
            tap.name,
            reference["mean"]
        );
        assert!(
            close(std, reference_std, reference_std),
            "{variant} {}: std {std} vs {reference_std}",
            tap.name
        );
        let head: Vec<f64> = serde_json::from_value(reference["head"].clone()).unwrap();
        assert!(
            !head.is_empty() && head.len() <= values.len(),
            "{variant} {}: {} reference values for {} of ours",
            tap.name,
            head.len(),
            values.len()
        );
        for (ours, theirs) in values.iter().zip(&head) {
            assert!(
                close(*ours, *theirs, reference_std),
                "{variant} {}: {:?} vs {head:?}",
                tap.name,
                &values[..8]
            );
        }
    }
}

#[test]
fn every_variant_matches_pytorch_on_the_cpu_backend() {
    let device = Device::flex();
    for variant in common::PARITY_VARIANTS {
        check_variant(variant, &device);
    }
}

#[test]
fn batchnorm_running_statistics_update_like_pytorch() {
    let training = Device::flex().autodiff();
    let preset = convscope::arch::Preset::by_name("resnet18-lite").unwrap();
    let weights =
        std::fs::read(common::fixture("parity/resnet18-lite/weights.safetensors")).unwrap();
    let model = load_safetensors(&Model::from_preset(preset, &training), &weights).unwrap();
    let (shape, values) = common::read_npy("parity/resnet18-lite/train_input.npy");
    model.forward(Tensor::<4>::from_data(
        TensorData::new(values, shape),
        &training,
    ));
    let exported = convscope::weights::save_safetensors(&model, preset.name).unwrap();
    let ours = safetensors::SafeTensors::deserialize(&exported).unwrap();
    let expected = std::fs::read(common::fixture(
        "parity/resnet18-lite/running_after_train_forward.safetensors",
    ))
    .unwrap();
    let expected = safetensors::SafeTensors::deserialize(&expected).unwrap();
    let floats = |view: safetensors::tensor::TensorView<'_>| common::f32_values(view.data());
    let original = safetensors::SafeTensors::deserialize(&weights).unwrap();
    for (key, view) in expected.tensors() {
        let theirs = floats(view);
        let ours = floats(ours.tensor(&key).unwrap());
        assert_eq!(ours.len(), theirs.len(), "{key}: element count");
        for (a, b) in ours.iter().zip(&theirs) {
            assert!(
                (a - b).abs() <= 1e-5 * b.abs().max(1.0),
                "{key}: {ours:?} vs {theirs:?}"
            );
        }
        assert_ne!(
            floats(original.tensor(&key).unwrap()),
            theirs,
            "{key} moved"
        );
    }
}
