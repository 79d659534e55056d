//! The shipped weights of every browser preset reach 99% on the full MNIST test set.

use crate::common;

use burn::tensor::Device;
use convscope::arch::{Preset, PresetKind};
use convscope::model::Model;
use convscope::probe::Knockouts;
use convscope::training::evaluate;
use convscope::weights::load_safetensors;

#[test]
fn shipped_weights_reach_99_percent_on_mnist_test() {
    let device = Device::flex();
    let test = common::mnist("t10k");
    for preset in Preset::ALL.iter().filter(|p| p.kind == PresetKind::Browser) {
        let path = format!(
            "{}/assets/weights/{}.safetensors",
            env!("CARGO_MANIFEST_DIR"),
            preset.name
        );
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let model = load_safetensors(&Model::from_preset(preset, &device), &bytes).unwrap();
        let accuracy = evaluate(
            &model,
            &test,
            500,
            &Knockouts::default(),
            &device,
            |_, _| {},
        )
        .accuracy();
        eprintln!("{preset}: {:.2}%", 100.0 * accuracy);
        assert!(accuracy >= 0.99, "{preset}: {:.2}%", 100.0 * accuracy);
    }
}
