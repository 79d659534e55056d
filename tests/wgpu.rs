//! The same forward pass on the CPU backend and on burn's wgpu backend, natively.
//!
//! Built with the crate's `wgpu` feature (on by default: `cargo test` runs it). The test command
//! leaves it out to compile faster, and checks WebGPU's numbers against the CLI's in the
//! browser; `CONVSCOPE_NATIVE_WGPU=1 scripts/test.sh` builds it in. On a machine without a GPU
//! this runs on Mesa's lavapipe (software Vulkan), which the test command installs.

use crate::common;

use burn::tensor::{Device, Tensor, TensorData};
use convscope::model::Model;
use convscope::weights::load_safetensors;

#[test]
fn wgpu_and_cpu_give_the_same_logits_and_taps() {
    let gpu = Device::wgpu_options().init().unwrap_or_else(|error| {
        panic!(
            "no wgpu adapter (install mesa-vulkan-drivers, or skip with CONVSCOPE_SKIP_WGPU=1): {error:?}"
        )
    });
    let cpu = Device::flex();
    for variant in [
        "alexnet-lite",
        "vgg-lite",
        "googlenet-lite",
        "resnet18-lite",
    ] {
        let bytes = std::fs::read(common::fixture(&format!(
            "parity/{variant}/weights.safetensors"
        )))
        .unwrap();
        let (shape, values) = common::read_npy(&format!("parity/{variant}/input.npy"));
        let run = |device: &Device| {
            let model = Model::new(common::parity_architecture(variant), device).unwrap();
            let model = load_safetensors(&model, &bytes).unwrap();
            let input =
                Tensor::<4>::from_data(TensorData::new(values.clone(), shape.clone()), device);
            let (logits, taps) = model.forward_with_taps(input);
            let taps: Vec<(String, Vec<f32>)> = taps
                .into_iter()
                .map(|tap| {
                    (
                        tap.name,
                        tap.activation.into_data().try_to_vec::<f32>().unwrap(),
                    )
                })
                .collect();
            (logits.into_data().try_to_vec::<f32>().unwrap(), taps)
        };
        let (cpu_logits, cpu_taps) = run(&cpu);
        let (gpu_logits, gpu_taps) = run(&gpu);
        let close = |a: &[f32], b: &[f32]| {
            let scale = a.iter().fold(1.0f32, |m, v| m.max(v.abs()));
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= 1e-3 * scale)
        };
        assert!(
            close(&cpu_logits, &gpu_logits),
            "{variant}: {cpu_logits:?} vs {gpu_logits:?}"
        );
        let names =
            |taps: &[(String, Vec<f32>)]| taps.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&cpu_taps),
            names(&gpu_taps),
            "{variant}: tap lists differ"
        );
        for ((name, a), (gpu_name, b)) in cpu_taps.iter().zip(&gpu_taps) {
            assert_eq!(name, gpu_name);
            assert!(close(a, b), "{variant}: tap {name} differs");
        }
    }
}
