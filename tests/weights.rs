//! PyTorch state_dicts in and out of `.safetensors`.

use crate::common;

use std::collections::BTreeMap;

use burn::tensor::Device;
use convscope::arch::Preset;
use convscope::model::Model;
use convscope::weights::{WeightsError, load_safetensors, save_safetensors};
use safetensors::SafeTensors;

fn tensors(bytes: &[u8]) -> BTreeMap<String, (String, Vec<usize>, Vec<u8>)> {
    SafeTensors::deserialize(bytes)
        .unwrap()
        .tensors()
        .into_iter()
        .map(|(key, view)| {
            (
                key,
                (
                    format!("{:?}", view.dtype()),
                    view.shape().to_vec(),
                    view.data().to_vec(),
                ),
            )
        })
        .collect()
}

fn parity_weights(variant: &str) -> Vec<u8> {
    std::fs::read(common::fixture(&format!(
        "parity/{variant}/weights.safetensors"
    )))
    .unwrap()
}

#[test]
fn a_pytorch_file_round_trips_bit_for_bit() {
    let device = Device::flex();
    for preset_name in [
        "resnet18-lite",
        "googlenet-lite",
        "vgg-lite",
        "alexnet-lite",
    ] {
        let preset = Preset::by_name(preset_name).unwrap();
        let original = parity_weights(preset_name);
        let model = load_safetensors(&Model::from_preset(preset, &device), &original).unwrap();
        let exported = save_safetensors(&model, preset_name).unwrap();
        assert_eq!(tensors(&exported), tensors(&original), "{preset_name}");
    }
}

#[test]
fn an_exported_model_loads_back_with_the_same_outputs() {
    let device = Device::flex();
    let preset = Preset::by_name("resnet18-lite").unwrap();
    let model = Model::from_preset(preset, &device);
    let bytes = save_safetensors(&model, preset.name).unwrap();
    let reloaded = load_safetensors(&Model::from_preset(preset, &device), &bytes).unwrap();
    let input = burn::tensor::Tensor::<4>::random(
        [2, 1, 48, 48],
        burn::tensor::Distribution::Default,
        &device,
    );
    model
        .forward(input.clone())
        .into_data()
        .assert_approx_eq::<f32>(
            &reloaded.forward(input).into_data(),
            burn::tensor::Tolerance::absolute(1e-6),
        );
}

fn mismatch(error: WeightsError) -> convscope::weights::Mismatch {
    match error {
        WeightsError::Mismatch(mismatch) => mismatch,
        other => panic!("expected a mismatch, got {other}"),
    }
}

#[test]
fn weights_of_another_network_are_refused_and_named() {
    let device = Device::flex();
    let alexnet = Model::from_preset(Preset::by_name("alexnet-lite").unwrap(), &device);
    let error = load_safetensors(&alexnet, &parity_weights("resnet18-lite")).unwrap_err();
    let message = error.to_string();
    let mismatch = mismatch(error);
    assert_eq!(mismatch.fits_preset, Some("resnet18-lite"));
    assert!(!mismatch.missing.is_empty() && !mismatch.unexpected.is_empty());
    assert!(
        message.contains("resnet18-lite") && message.contains("net.0.weight"),
        "{message}"
    );
    assert!(!message.contains('\n'), "one line: {message}");
}

#[test]
fn same_keys_with_other_shapes_are_reported_per_key() {
    let device = Device::flex();
    // The tiny AlexNet has the seed's keys with fewer channels.
    let seed_alexnet = Model::from_preset(Preset::by_name("alexnet").unwrap(), &device);
    let mismatch =
        mismatch(load_safetensors(&seed_alexnet, &parity_weights("alexnet-tiny")).unwrap_err());
    assert!(mismatch.missing.is_empty() && mismatch.unexpected.is_empty());
    let (key, expected, got) = &mismatch.misshaped[0];
    assert_eq!(
        (key.as_str(), expected.as_slice(), got.as_slice()),
        ("net.0.weight", &[96, 1, 11, 11][..], &[6, 1, 11, 11][..])
    );
    // Every tensor but the last bias, whose 10 classes are the same.
    assert_eq!(mismatch.misshaped.len(), 15);
}

#[test]
fn truncated_and_garbage_files_are_refused_without_touching_the_model() {
    let device = Device::flex();
    let model = Model::from_preset(Preset::by_name("resnet18-lite").unwrap(), &device);
    let bytes = parity_weights("resnet18-lite");
    for broken in [
        &bytes[..bytes.len() / 2],
        &bytes[..5],
        b"definitely not safetensors".as_slice(),
        &[],
    ] {
        let error = load_safetensors(&model, broken).unwrap_err();
        assert!(matches!(error, WeightsError::Unreadable(_)), "{error}");
        assert!(error.to_string().contains("truncated"), "{error}");
    }
}

#[test]
fn a_missing_key_is_named() {
    let device = Device::flex();
    let preset = Preset::by_name("resnet18-lite").unwrap();
    let bytes = parity_weights(preset.name);
    let file = SafeTensors::deserialize(&bytes).unwrap();
    let kept: Vec<_> = file
        .tensors()
        .into_iter()
        .filter(|(key, _)| key != "net.1.blk.0.bn2.running_var")
        .collect();
    let partial = safetensors::serialize(kept, None).unwrap();
    let mismatch =
        mismatch(load_safetensors(&Model::from_preset(preset, &device), &partial).unwrap_err());
    assert_eq!(
        mismatch.missing,
        vec!["net.1.blk.0.bn2.running_var".to_string()]
    );
    assert_eq!(mismatch.fits_preset, None);
}

#[test]
fn the_same_weights_always_give_the_same_bytes() {
    // The browser compares a reloaded checkpoint with an export byte for byte; metadata in
    // hash-map order once made equal weights differ about every other save.
    let device = Device::flex();
    let preset = Preset::by_name("resnet18-lite").unwrap();
    let model = load_safetensors(
        &Model::from_preset(preset, &device),
        &parity_weights(preset.name),
    )
    .unwrap();
    let first = save_safetensors(&model, preset.name).unwrap();
    for _ in 0..8 {
        assert!(save_safetensors(&model, preset.name).unwrap() == first);
    }
    let file = SafeTensors::deserialize(&first).unwrap();
    for (key, view) in file.tensors() {
        let start = view.data().as_ptr() as usize - first.as_ptr() as usize;
        let width = view.dtype().bitsize() / 8;
        assert_eq!(start % width, 0, "{key} starts unaligned");
    }
    let (_, metadata) = SafeTensors::read_metadata(&first).unwrap();
    let metadata = metadata.metadata().clone().unwrap();
    assert_eq!(metadata["format"], "pt");
    assert_eq!(metadata["convscope_preset"], preset.name);
}

#[test]
fn num_batches_tracked_is_optional_and_carried_through() {
    let device = Device::flex();
    let preset = Preset::by_name("resnet18-lite").unwrap();
    let bytes = parity_weights(preset.name);
    let file = SafeTensors::deserialize(&bytes).unwrap();
    let kept: Vec<_> = file
        .tensors()
        .into_iter()
        .filter(|(key, _)| !key.ends_with("num_batches_tracked"))
        .collect();
    let without = safetensors::serialize(kept, None).unwrap();
    let model = load_safetensors(&Model::from_preset(preset, &device), &without).unwrap();
    assert_eq!(model.batches_tracked(), 0);
    let model = load_safetensors(&Model::from_preset(preset, &device), &bytes).unwrap();
    assert_eq!(model.batches_tracked(), 7);
}

#[test]
fn the_first_conv_kernels_are_the_first_conv_weight_of_the_state_dict() {
    let device = Device::flex();
    for (preset_name, key) in [
        ("alexnet-lite", "net.0.weight"),
        ("vgg-lite", "net1.0.net.0.weight"),
        ("googlenet-lite", "net.0.0.weight"),
        ("resnet18-lite", "net.0.0.weight"),
    ] {
        let preset = Preset::by_name(preset_name).unwrap();
        let file = parity_weights(preset_name);
        let model = load_safetensors(&Model::from_preset(preset, &device), &file).unwrap();
        let kernels = model.first_conv_kernels().unwrap();
        let (_, shape, bytes) = tensors(&file).remove(key).unwrap();
        assert_eq!(kernels.dims().to_vec(), shape, "{preset_name}");
        let expected = common::f32_values(&bytes);
        let values = kernels.into_data().try_into_vec::<f32>().unwrap();
        assert_eq!(values, expected, "{preset_name}");
    }
}
