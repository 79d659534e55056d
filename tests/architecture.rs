//! The presets against the seed's PyTorch code (fixtures from tools/torch_reference.py).

mod common;

use burn::tensor::{Device, Tensor};
use convscope::arch::{Family, Node, Op, Preset, PresetKind, TapKind};
use convscope::model::Model;
use convscope::weights::state_dict_layout;

fn seed_fixture(name: &str) -> serde_json::Value {
    common::read_json("seed_models.json")[name].clone()
}

#[test]
fn seed_presets_have_the_seed_state_dict_keys_and_shapes() {
    let device = Device::flex();
    for preset in Preset::ALL.iter().filter(|p| p.kind == PresetKind::Seed) {
        let expected: Vec<(String, Vec<usize>)> = seed_fixture(preset.name)["state_dict"]
            .as_array()
            .unwrap()
            .iter()
            .map(|entry| {
                let key = entry[0].as_str().unwrap().to_string();
                let shape = serde_json::from_value(entry[1].clone()).unwrap();
                (key, shape)
            })
            .collect();
        let model = Model::from_preset(preset, &device);
        assert_eq!(state_dict_layout(&model), expected, "{preset}");
    }
}

#[test]
fn seed_presets_have_pytorchs_parameter_counts_and_layer_shapes() {
    for preset in Preset::ALL.iter().filter(|p| p.kind == PresetKind::Seed) {
        let fixture = seed_fixture(preset.name);
        let summary = preset.architecture().summary().unwrap();
        assert_eq!(
            summary.total_params,
            fixture["total_params"].as_u64().unwrap(),
            "{preset}"
        );
        assert_eq!(
            summary.input_shape[1..],
            serde_json::from_value::<Vec<usize>>(fixture["input"].clone()).unwrap()[..]
        );
        let layers = fixture["layers"].as_array().unwrap();
        assert_eq!(summary.layers.len(), layers.len(), "{preset}");
        for (row, expected) in summary.layers.iter().zip(layers) {
            assert_eq!(row.name, expected["name"].as_str().unwrap(), "{preset}");
            assert_eq!(
                row.kind,
                expected["kind"].as_str().unwrap(),
                "{preset} {}",
                row.name
            );
            let shape: Vec<usize> =
                serde_json::from_value(expected["output_shape"].clone()).unwrap();
            assert_eq!(row.output_shape, shape, "{preset} {}", row.name);
        }
    }
}

#[test]
fn seed_macs_match_hand_counts() {
    // AlexNet's first convolution: 96 kernels of 1×11×11 over a 54×54 output.
    let summary = Preset::by_name("alexnet")
        .unwrap()
        .architecture()
        .summary()
        .unwrap();
    assert_eq!(summary.layers[0].macs, 96 * 11 * 11 * 54 * 54);
    assert_eq!(summary.layers[0].params, 96 * 121 + 96);
    // Its classifier: 6400 → 4096 → 4096 → 10.
    let linear_macs: u64 = summary
        .layers
        .iter()
        .filter(|r| r.kind == "Linear")
        .map(|r| r.macs)
        .sum();
    assert_eq!(linear_macs, 6400 * 4096 + 4096 * 4096 + 4096 * 10);
}

/// The op kinds of a network in forward order, widths left out: its block structure.
fn structure(nodes: &[Node], out: &mut Vec<String>) {
    for node in nodes {
        match &node.op {
            Op::Sequential(children) => {
                out.push("(".into());
                structure(children, out);
                out.push(")".into());
            }
            Op::Residual(spec) => out.push(format!(
                "Residual(1x1={}, stride={})",
                spec.use_1x1conv, spec.stride
            )),
            Op::Conv2d(spec) => out.push(format!(
                "Conv{}s{}p{}",
                spec.kernel, spec.stride, spec.padding
            )),
            Op::MaxPool2d(spec) => out.push(format!(
                "Pool{}s{}p{}",
                spec.kernel, spec.stride, spec.padding
            )),
            Op::Linear { .. } => out.push("Linear".into()),
            other => out.push(format!("{:?}", std::mem::discriminant(other))),
        }
    }
}

#[test]
fn browser_presets_keep_the_seed_block_structure() {
    for family in [
        Family::AlexNet,
        Family::Vgg,
        Family::GoogLeNet,
        Family::ResNet,
    ] {
        let of_kind = |kind| {
            Preset::ALL
                .iter()
                .find(|p| p.family == family && p.kind == kind)
                .unwrap()
        };
        let (seed, browser) = (of_kind(PresetKind::Seed), of_kind(PresetKind::Browser));
        let (mut seed_structure, mut browser_structure) = (Vec::new(), Vec::new());
        structure(&seed.architecture().root, &mut seed_structure);
        structure(&browser.architecture().root, &mut browser_structure);
        assert_eq!(seed_structure, browser_structure, "{seed} vs {browser}");
        let seed_taps: Vec<_> = seed
            .architecture()
            .taps()
            .unwrap()
            .into_iter()
            .map(|t| (t.name, t.kind))
            .collect();
        let browser_taps: Vec<_> = browser
            .architecture()
            .taps()
            .unwrap()
            .into_iter()
            .map(|t| (t.name, t.kind))
            .collect();
        assert_eq!(seed_taps, browser_taps, "{seed} vs {browser}");
        assert!(
            browser.architecture().summary().unwrap().total_params * 10
                < seed.architecture().summary().unwrap().total_params,
            "{browser} is not much lighter than {seed}"
        );
    }
}

#[test]
fn taps_cover_every_block_kind_the_visualizer_draws() {
    let count = |name: &str, kind: TapKind| {
        Preset::by_name(name)
            .unwrap()
            .architecture()
            .taps()
            .unwrap()
            .iter()
            .filter(|t| t.kind == kind)
            .count()
    };
    assert_eq!(count("alexnet", TapKind::Conv), 5);
    assert_eq!(count("alexnet", TapKind::Pool), 3);
    assert_eq!(count("alexnet", TapKind::Hidden), 2);
    assert_eq!(count("vgg", TapKind::Block), 5);
    assert_eq!(count("vgg", TapKind::Conv), 8);
    assert_eq!(count("googlenet", TapKind::Inception), 9);
    assert_eq!(count("googlenet", TapKind::Branch), 36);
    assert_eq!(count("resnet18", TapKind::Residual), 8);
    assert_eq!(count("resnet18", TapKind::MainPath), 8);
    assert_eq!(count("resnet18", TapKind::Shortcut), 8);
    let names: Vec<String> = Preset::by_name("googlenet")
        .unwrap()
        .architecture()
        .taps()
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    for expected in [
        "b1.conv",
        "b2.conv2",
        "b3.inception1.branch2",
        "b3.inception1",
        "b5.inception2.branch4",
        "b5",
    ] {
        assert!(
            names.contains(&expected.to_string()),
            "{expected} missing from {names:?}"
        );
    }
}

#[test]
fn forward_taps_match_the_declared_taps_for_every_browser_preset() {
    let device = Device::flex();
    for preset in Preset::ALL.iter().filter(|p| p.kind == PresetKind::Browser) {
        let model = Model::from_preset(preset, &device);
        let [c, h, w] = preset.input;
        let input = Tensor::<4>::ones([2, c, h, w], &device);
        let (logits, taps) = model.forward_with_taps(input.clone());
        assert_eq!(logits.dims(), [2, 10]);
        let declared = preset.architecture().taps().unwrap();
        let recorded: Vec<(String, [usize; 4])> = taps
            .iter()
            .map(|t| (t.name.clone(), t.activation.dims()))
            .collect();
        let expected: Vec<(String, [usize; 4])> = declared
            .iter()
            .map(|t| (t.name.clone(), [2, t.shape[0], t.shape[1], t.shape[2]]))
            .collect();
        assert_eq!(recorded, expected, "{preset}");
        let plain = model.forward(input).into_data();
        logits
            .into_data()
            .assert_approx_eq::<f32>(&plain, Default::default());
    }
}

#[test]
fn adaptive_networks_take_other_input_sizes_and_fixed_ones_refuse_them() {
    let device = Device::flex();
    let resnet = Model::from_preset(Preset::by_name("resnet18-lite").unwrap(), &device);
    assert!(resnet.check_input("resnet18-lite", [1, 32, 32]).is_ok());
    assert!(resnet.check_input("resnet18-lite", [1, 100, 64]).is_ok());
    let error = resnet
        .check_input("resnet18-lite", [3, 48, 48])
        .unwrap_err();
    assert!(error.to_string().contains("input channel"), "{error}");
    let logits = resnet.forward(Tensor::ones([1, 1, 32, 40], &device));
    assert_eq!(logits.dims(), [1, 10]);
    let alexnet = Model::from_preset(Preset::by_name("alexnet-lite").unwrap(), &device);
    assert!(
        alexnet
            .check_input("alexnet-lite", [1, 64, 64])
            .unwrap_err()
            .to_string()
            .contains("96×96")
    );
    assert!(
        resnet
            .check_input("resnet18-lite", [1, 31, 64])
            .unwrap_err()
            .to_string()
            .contains("at least 32")
    );
    assert!(
        Preset::by_name("alexnet")
            .unwrap()
            .architecture_for_input([1, 32, 32])
            .summary()
            .is_err()
    );
    assert!(
        Preset::by_name("nope")
            .unwrap_err()
            .to_string()
            .contains("resnet18-lite")
    );
}
