//! The maths of one pixel recomputes the value the forward pass produced, for every tap of
//! every browser preset (shipped weights, a real digit), including pixels whose patch lies in
//! the padding; and its geometry is the one a person works out by hand.

use crate::common;

use burn::tensor::Device;
use convscope::arch::{Preset, PresetKind};
use convscope::model::Model;
use convscope::pixel_math::{PixelMath, PixelMathError, PixelQuery, Step};
use convscope::preprocess::DigitSteps;
use convscope::probe::Knockouts;
use convscope::weights::load_safetensors;

fn shipped(preset: &Preset, device: &Device) -> Model {
    let path = format!(
        "{}/assets/weights/{}.safetensors",
        env!("CARGO_MANIFEST_DIR"),
        preset.name
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    load_safetensors(&Model::from_preset(preset, device), &bytes).unwrap()
}

/// The maths with nothing knocked out.
fn explain_pixel(
    model: &Model,
    input: burn::tensor::Tensor<4>,
    query: &PixelQuery,
) -> Result<PixelMath, PixelMathError> {
    convscope::pixel_math::explain_pixel(model, input, query, &Knockouts::default())
}

fn query(tap: &str, channel: usize, row: usize, column: usize) -> PixelQuery {
    PixelQuery {
        tap: tap.to_string(),
        channel,
        row,
        column,
    }
}

fn assert_recomputes(math: &PixelMath) {
    let recomputed = math.step.recomputed();
    let value = f64::from(math.value);
    assert!(
        (recomputed - value).abs() <= 1e-4 * (1.0 + value.abs()),
        "{:?}: the forward pass gave {value}, the maths {recomputed}",
        math.query
    );
}

#[test]
fn every_tap_of_every_browser_preset_recomputes_its_value() {
    let device = Device::flex();
    let test = common::mnist("t10k");
    let digit = DigitSteps::mnist(&test, 0).unwrap();
    for preset in Preset::ALL.iter().filter(|p| p.kind == PresetKind::Browser) {
        let model = shipped(preset, &device);
        let input = digit.network_input(preset.input, &device);
        let taps = preset.architecture().taps().unwrap();
        let mut kinds = std::collections::HashSet::new();
        for tap in &taps {
            let [channels, height, width] = tap.shape;
            // The centre, a corner (its patch reaches into the padding) and the last channel.
            for (channel, row, column) in [
                (channels / 2, height / 2, width / 2),
                (channels - 1, 0, width - 1),
            ] {
                let math = explain_pixel(
                    &model,
                    input.clone(),
                    &query(&tap.name, channel, row, column),
                )
                .unwrap_or_else(|e| panic!("{preset} {}: {e}", tap.name));
                assert_recomputes(&math);
                kinds.insert(std::mem::discriminant(&math.step));
            }
        }
        eprintln!(
            "{preset}: {} taps, {} kinds of step",
            taps.len(),
            kinds.len()
        );
    }
}

#[test]
fn a_convolution_reads_the_patch_its_stride_and_padding_say() {
    let device = Device::flex();
    let preset = Preset::by_name("alexnet-lite").unwrap();
    let model = shipped(preset, &device);
    let digit = DigitSteps::mnist(&common::mnist("t10k"), 3).unwrap();
    let input = digit.network_input(preset.input, &device);
    // conv1: 11×11, stride 4, padding 1: output (row 1, column 2) reads input rows 3..=13,
    // columns 7..=17.
    let math = explain_pixel(&model, input.clone(), &query("conv1", 5, 1, 2)).unwrap();
    let Step::Weighted(sum) = &math.step else {
        panic!("conv1 is a convolution: {:?}", math.step);
    };
    assert_eq!((sum.kernel, sum.origin, sum.terms.len()), (11, [3, 7], 1));
    assert_eq!(sum.terms[0].inputs.len(), 121);
    assert!(sum.relu && sum.batch_norm.is_none());
    assert_recomputes(&math);
    // Output (0, 0) starts in the padding: the patch's first row and column are zeros.
    let math = explain_pixel(&model, input.clone(), &query("conv1", 5, 0, 0)).unwrap();
    let Step::Weighted(sum) = &math.step else {
        panic!("conv1 is a convolution: {:?}", math.step);
    };
    assert_eq!(sum.origin, [-1, -1]);
    let patch = &sum.terms[0].inputs;
    assert!((0..11).all(|i| patch[i] == 0.0 && patch[i * 11] == 0.0));
    // The normalized background is negative, so the zeros are the padding's, not the digit's.
    assert!(patch[12] < 0.0);
    // fc1 is a linear layer over pool3's 32 features.
    let math = explain_pixel(&model, input.clone(), &query("fc1", 7, 0, 0)).unwrap();
    let Step::Weighted(sum) = &math.step else {
        panic!("fc1 is a weighted sum: {:?}", math.step);
    };
    assert_eq!((sum.kernel, sum.terms.len()), (1, 32));
    // pool1: 3×3, stride 2: output (2, 3) pools rows 4..7, columns 6..9; the winner is the max.
    let math = explain_pixel(&model, input, &query("pool1", 0, 2, 3)).unwrap();
    let Step::MaxPool(window) = &math.step else {
        panic!("pool1 is a max-pool: {:?}", math.step);
    };
    assert_eq!((window.kernel, window.origin), (3, [4, 6]));
    let winner = window.values[window.winner().unwrap()].unwrap();
    assert!(window.values.iter().all(|v| v.unwrap() <= winner));
    assert_recomputes(&math);
}

#[test]
fn blocks_name_their_parts() {
    let device = Device::flex();
    let digit = DigitSteps::mnist(&common::mnist("t10k"), 1).unwrap();
    let googlenet = Preset::by_name("googlenet-lite").unwrap();
    let input = digit.network_input(googlenet.input, &device);
    let model = shipped(googlenet, &device);
    let widths = [
        "b3.inception1.branch1",
        "b3.inception1.branch2",
        "b3.inception1.branch3",
    ]
    .map(|tap| {
        googlenet
            .architecture()
            .taps()
            .unwrap()
            .into_iter()
            .find(|t| t.name == tap)
            .unwrap()
            .shape[0]
    });
    // The first channel of the third branch sits after the first two branches' channels.
    let channel = widths[0] + widths[1];
    let math = explain_pixel(&model, input, &query("b3.inception1", channel, 2, 2)).unwrap();
    let Step::Concat(source) = &math.step else {
        panic!("an Inception block concatenates: {:?}", math.step);
    };
    assert_eq!((source.branch, source.branch_channel), (2, 0));
    assert_eq!(source.branch_tap, "b3.inception1.branch3");

    let resnet = Preset::by_name("resnet18-lite").unwrap();
    let input = digit.network_input(resnet.input, &device);
    let model = shipped(resnet, &device);
    let math = explain_pixel(&model, input.clone(), &query("b3.residual1", 3, 1, 1)).unwrap();
    assert!(matches!(math.step, Step::Sum(_)), "{:?}", math.step);
    let math = explain_pixel(
        &model,
        input.clone(),
        &query("b2.residual1.shortcut", 3, 1, 1),
    )
    .unwrap();
    assert!(
        matches!(math.step, Step::Identity { .. }),
        "{:?}",
        math.step
    );
    let math = explain_pixel(
        &model,
        input.clone(),
        &query("b3.residual1.shortcut", 3, 1, 1),
    )
    .unwrap();
    let Step::Weighted(sum) = &math.step else {
        panic!("a projected shortcut is a 1×1 convolution: {:?}", math.step);
    };
    assert_eq!((sum.kernel, sum.origin), (1, [2, 2]));
    let math = explain_pixel(&model, input.clone(), &query("b3.residual1.main", 3, 1, 1)).unwrap();
    let Step::Weighted(sum) = &math.step else {
        panic!("a main path ends in a convolution: {:?}", math.step);
    };
    let norm = sum.batch_norm.as_ref().expect("conv2 is followed by bn2");
    assert_eq!(norm.layer, "net.2.blk.0.bn2");
    assert!(!sum.relu);
    assert!(explain_pixel(&model, input.clone(), &query("b3.residual1", 99, 0, 0)).is_err());
    assert!(explain_pixel(&model, input, &query("no.such.tap", 0, 0, 0)).is_err());
}
