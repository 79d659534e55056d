//! The presets against the seed's PyTorch code (fixtures from tools/torch_reference.py).

use crate::common::{self, summary};

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
    let summary = summary("alexnet");
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

#[test]
fn receptive_fields_follow_the_hand_computed_values() {
    let alexnet = Preset::by_name("alexnet").unwrap().architecture();
    let fields = alexnet.receptive_fields().unwrap();
    let field = |name: &str| fields.iter().find(|tap| tap.name == name).unwrap().field;
    // conv1: 11×11, stride 4, padding 1: pixel i sees 4i - 1 ..= 4i + 9.
    let conv1 = field("conv1");
    assert_eq!(
        (conv1.rows.size, conv1.rows.jump, conv1.rows.offset),
        (11, 4, -1)
    );
    assert_eq!(conv1.rows, conv1.cols);
    // pool1: 3×3, stride 2 over it: 11 + 2·4 = 19 pixels, every 8.
    let pool1 = field("pool1");
    assert_eq!(
        (pool1.rows.size, pool1.rows.jump, pool1.rows.offset),
        (19, 8, -1)
    );
    // conv2: 5×5, padding 2: 19 + 4·8 = 51 pixels, starting 2·8 earlier.
    let conv2 = field("conv2");
    assert_eq!(
        (conv2.rows.size, conv2.rows.jump, conv2.rows.offset),
        (51, 8, -17)
    );
    // Clipped to the 224×224 input: pixel (0, 0) of conv1 sees 0..=9, pixel (2, 1) 7..=17 × 3..=13.
    assert_eq!(conv1.region(0, 0, [224, 224]), [0, 0, 9, 9]);
    assert_eq!(conv1.region(2, 1, [224, 224]), [7, 3, 17, 13]);

    // VGG: a 3×3 convolution, padding 1, then a 2×2 pool with stride 2.
    let vgg = Preset::by_name("vgg").unwrap().architecture();
    let vgg_fields = vgg.receptive_fields().unwrap();
    let block1 = vgg_fields
        .iter()
        .find(|tap| tap.name == "block1")
        .unwrap()
        .field;
    assert_eq!(
        (block1.rows.size, block1.rows.jump, block1.rows.offset),
        (4, 2, -1)
    );
}

#[test]
fn receptive_fields_span_inception_branches_and_residual_paths() {
    for preset in Preset::ALL {
        let architecture = preset.architecture();
        let names: Vec<String> = architecture
            .taps()
            .unwrap()
            .into_iter()
            .map(|t| t.name)
            .collect();
        let fields = architecture.receptive_fields().unwrap();
        let field_names: Vec<String> = fields.iter().map(|t| t.name.clone()).collect();
        assert_eq!(
            field_names, names,
            "{preset}: one field per tap, in tap order"
        );
        let field = |name: &str| fields.iter().find(|tap| tap.name == name).unwrap().field;
        for tap in &fields {
            let rows = tap.field.rows;
            assert!(rows.size >= 1 && rows.jump >= 1, "{preset} {}", tap.name);
            if tap.name.ends_with(".branch1") {
                // The block sees what its widest branch (the 5×5 one, branch 3) sees.
                let block = tap.name.trim_end_matches(".branch1");
                let widest = field(&format!("{block}.branch3"));
                assert_eq!(field(block), widest, "{preset} {block}");
                assert!(tap.field.rows.size < widest.rows.size);
            }
            if tap.name.ends_with(".main") {
                // The shortcut sees the centre of what the main path sees: the sum sees the latter.
                let block = tap.name.trim_end_matches(".main");
                let shortcut = field(&format!("{block}.shortcut"));
                assert_eq!(field(block), tap.field, "{preset} {block}");
                assert!(shortcut.rows.size < tap.field.rows.size);
                assert_eq!(shortcut.rows.jump, tap.field.rows.jump);
            }
        }
    }
    // GoogLeNet's first Inception block, on a 1-pixel-wide field with jump J and offset L before
    // it: branch 3's 1×1 then 5×5 add 4 pixels, 2 on each side.
    let googlenet = Preset::by_name("googlenet").unwrap().architecture();
    let fields = googlenet.receptive_fields().unwrap();
    let stage_input = fields.iter().find(|tap| tap.name == "b2").unwrap().field;
    let inception = fields
        .iter()
        .find(|tap| tap.name == "b3.inception1")
        .unwrap()
        .field;
    // b3 starts with no pooling: b2 ends with its 3×3 pool, then inception1.
    let jump = stage_input.rows.jump;
    assert_eq!(inception.rows.size, stage_input.rows.size + 4 * jump);
    assert_eq!(
        inception.rows.offset,
        stage_input.rows.offset - 2 * jump as isize
    );
}

#[test]
fn the_layer_table_has_receptive_field_columns() {
    let summary = summary("alexnet");
    let first = &summary.layers[0];
    assert_eq!(
        (first.name.as_str(), first.receptive_field, first.jump),
        ("net.0", 11, 4)
    );
    let last = summary.layers.last().unwrap();
    assert!(
        last.receptive_field >= 224,
        "the logits see the whole input: {last:?}"
    );
}

#[test]
fn a_gpu_whose_buffers_are_too_small_for_a_layer_is_told_which_layer() {
    // The seed VGG's first linear layer: 25088 × 4096 weights and 4096 biases, in f32.
    let vgg = summary("vgg");
    let largest = vgg.largest_buffer().unwrap();
    assert_eq!(largest.bytes, 4 * (25088 * 4096 + 4096));
    let firefox_lavapipe = 128 << 20;
    let refused = vgg.fits_gpu_buffer(firefox_lavapipe).unwrap_err();
    assert_eq!(refused.layer, largest.layer);
    assert_eq!(
        refused.to_string(),
        format!(
            "its layer {} needs 412 MB in one buffer, and this GPU allows 135 MB",
            largest.layer
        )
    );
    assert!(vgg.fits_gpu_buffer(1 << 30).is_ok());
    for preset in [
        "alexnet-lite",
        "vgg-lite",
        "googlenet-lite",
        "resnet18-lite",
        "alexnet",
    ] {
        assert!(
            summary(preset).fits_gpu_buffer(firefox_lavapipe).is_ok(),
            "{preset}"
        );
    }
}

#[test]
fn linear_layers_hold_alexnet_and_vgg_weights_and_little_of_any_networks_arithmetic() {
    // alexnet-lite's classifier by hand: 32 → 256 → 256 → 10.
    let alexnet_lite = summary("alexnet-lite");
    let lite = alexnet_lite.linear_share();
    let linear_params = (32 * 256 + 256) + (256 * 256 + 256) + (256 * 10 + 10);
    let linear_macs = 32 * 256 + 256 * 256 + 256 * 10;
    assert_eq!(
        lite.params,
        linear_params as f64 / alexnet_lite.total_params as f64
    );
    assert_eq!(
        lite.macs,
        linear_macs as f64 / alexnet_lite.total_macs as f64
    );
    // The post's point: AlexNet's and VGG's classifiers hold nine weights in ten and do almost
    // none of the work; GoogLeNet and ResNet pool globally and keep one small linear layer.
    for name in ["alexnet", "vgg"] {
        let share = summary(name).linear_share();
        assert!(share.params > 0.9 && share.macs < 0.05, "{name}: {share:?}");
    }
    for name in ["googlenet", "resnet18", "googlenet-lite", "resnet18-lite"] {
        let share = summary(name).linear_share();
        assert!(
            share.params < 0.01 && share.macs < 0.001,
            "{name}: {share:?}"
        );
    }
}

#[test]
fn the_whole_input_is_in_view_from_the_first_map_whose_field_covers_it() {
    for preset in Preset::ALL {
        let summary = preset.architecture().summary().unwrap();
        let side = preset.input[1].max(preset.input[2]);
        let whole = summary.first_whole_view().unwrap();
        assert!(whole.receptive_field >= side, "{preset}: {whole:?}");
        let before = summary
            .layers
            .iter()
            .take_while(|row| row.name != whole.name);
        for row in before.filter(|row| row.tap.is_some()) {
            assert!(
                row.receptive_field < side,
                "{preset}: {row:?} already sees it"
            );
        }
    }
    let lite = summary("alexnet-lite");
    let whole = lite.first_whole_view().unwrap();
    assert_eq!(
        (whole.tap.as_deref(), whole.receptive_field),
        (Some("conv3"), 99)
    );
}
