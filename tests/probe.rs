//! Probes: knock-outs change exactly what they name and nothing in the weights; saliency is the
//! input gradient (checked against finite differences); Grad-CAM matches a hand computation on
//! a toy network; explaining leaves BatchNorm's statistics alone; distortions move pixels where
//! geometry says; the shift curve's middle is the undistorted digit's probability.

use crate::common;

use burn::tensor::{Device, Tensor, TensorData};
use convscope::arch::{Architecture, Family, Node, Op, Preset, conv, item, linear, sequential};
use convscope::data::{MNIST_MEAN, MNIST_STD, network_input};
use convscope::inference::prediction_from_logits;
use convscope::model::Model;
use convscope::pixel_math::{PixelQuery, Step, explain_pixel};
use convscope::preprocess::DigitSteps;
use convscope::probe::{
    Distortion, KnockoutError, Knockouts, Maps, ShiftCurve, TOP_FIRINGS, WholeKind,
    default_cam_tap, explain, grad_cam_taps, maximize_activation, shift_curve, top_firings,
    whole_targets,
};
use convscope::taps::TapRecorder;
use convscope::weights::{load_safetensors, save_safetensors};
use image::{GrayImage, Luma};

fn shipped(name: &str, device: &Device) -> Model {
    let preset = Preset::by_name(name).unwrap();
    let path = format!(
        "{}/assets/weights/{name}.safetensors",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    load_safetensors(&Model::from_preset(preset, device), &bytes).unwrap()
}

fn test_digit(index: usize, model: &Model, device: &Device) -> Tensor<4> {
    let test = common::mnist("t10k");
    DigitSteps::mnist(&test, index)
        .unwrap()
        .network_input(model.architecture().input, device)
}

fn values<const D: usize>(tensor: Tensor<D>) -> Vec<f32> {
    tensor.into_data().try_into_vec::<f32>().unwrap()
}

fn taps_with(
    model: &Model,
    input: Tensor<4>,
    knockouts: &Knockouts,
) -> Vec<(String, Vec<usize>, Vec<f32>)> {
    let mut recorder = TapRecorder::default().with_knockouts(knockouts);
    model.forward_recording(input, &mut recorder);
    recorder
        .into_taps()
        .into_iter()
        .map(|tap| {
            (
                tap.name,
                tap.activation.dims().to_vec(),
                values(tap.activation),
            )
        })
        .collect()
}

fn tap<'a>(
    taps: &'a [(String, Vec<usize>, Vec<f32>)],
    name: &str,
) -> &'a (String, Vec<usize>, Vec<f32>) {
    taps.iter()
        .find(|(tap, _, _)| tap == name)
        .unwrap_or_else(|| panic!("no tap {name}"))
}

fn close(a: &[f32], b: &[f32], tolerance: f32) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| (x - y).abs() <= tolerance * (1.0 + y.abs()))
}

#[test]
fn whole_targets_are_the_parts_that_can_go() {
    let targets = |name: &str| whole_targets(&Preset::by_name(name).unwrap().architecture());
    // Only block5 of vgg-lite maps 64 channels to 64 in every convolution.
    let vgg: Vec<_> = targets("vgg-lite")
        .into_iter()
        .map(|t| (t.target, t.kind))
        .collect();
    assert_eq!(vgg, [("block5".to_string(), WholeKind::BlockConvolutions)]);
    let googlenet = targets("googlenet-lite");
    assert_eq!(
        googlenet.len(),
        9 * 4,
        "four branches in each of nine Inception blocks"
    );
    assert!(googlenet.iter().all(|t| t.kind == WholeKind::Branch));
    let resnet = targets("resnet18-lite");
    assert_eq!(resnet.len(), 8 * 2);
    assert!(
        resnet
            .iter()
            .any(|t| t.target == "b3.residual1.shortcut" && t.kind == WholeKind::Shortcut)
    );
    assert!(targets("alexnet-lite").is_empty());
}

#[test]
fn knockout_targets_are_checked() {
    let architecture = Preset::by_name("alexnet-lite").unwrap().architecture();
    let parse = |targets: &[&str]| Knockouts::parse(targets, &architecture);
    let knockouts = parse(&["conv2:3", " conv2:0", "fc1:255"]).unwrap();
    assert_eq!(knockouts.targets(), ["conv2:0", "conv2:3", "fc1:255"]);
    assert_eq!(
        parse(&["conv9:1"]),
        Err(KnockoutError::Unknown("conv9".into()))
    );
    assert_eq!(
        parse(&["conv2:32"]),
        Err(KnockoutError::NoChannel {
            tap: "conv2".into(),
            channel: 32,
            channels: 32
        })
    );
    assert_eq!(
        parse(&["conv2"]),
        Err(KnockoutError::NotWhole("conv2".into()))
    );
    assert_eq!(
        parse(&["conv2:x"]),
        Err(KnockoutError::Unknown("conv2:x".into()))
    );
    assert!(parse(&[]).unwrap().is_empty());
}

#[test]
fn a_knocked_out_channel_reads_zero_and_changes_what_follows() {
    let device = Device::flex();
    let model = shipped("alexnet-lite", &device);
    let input = test_digit(0, &model, &device);
    let intact = taps_with(&model, input.clone(), &Knockouts::default());
    let knockouts = Knockouts::parse(&["conv2:5"], model.architecture()).unwrap();
    let knocked = taps_with(&model, input, &knockouts);
    let (_, shape, conv2) = tap(&knocked, "conv2");
    let plane = shape[2] * shape[3];
    assert!(
        tap(&intact, "conv2").2[5 * plane..6 * plane]
            .iter()
            .any(|&v| v > 0.0),
        "channel 5 was silent anyway"
    );
    assert!(conv2[5 * plane..6 * plane].iter().all(|&v| v == 0.0));
    // The other channels are untouched; the next layers read the change.
    assert_eq!(conv2[..5 * plane], tap(&intact, "conv2").2[..5 * plane]);
    assert_ne!(tap(&knocked, "conv3").2, tap(&intact, "conv3").2);
    // conv1 comes before: untouched. And the weights never change.
    assert_eq!(tap(&knocked, "conv1").2, tap(&intact, "conv1").2);
    let again = taps_with(
        &model,
        test_digit(0, &model, &device),
        &Knockouts::default(),
    );
    assert_eq!(again.last().unwrap().2, intact.last().unwrap().2);
}

#[test]
fn residual_paths_and_inception_branches_can_go() {
    let device = Device::flex();
    let model = shipped("resnet18-lite", &device);
    let input = test_digit(1, &model, &device);
    let intact = taps_with(&model, input.clone(), &Knockouts::default());
    let relu = |v: &[f32]| v.iter().map(|x| x.max(0.0)).collect::<Vec<_>>();
    for (off, kept) in [("main", "shortcut"), ("shortcut", "main")] {
        let target = format!("b3.residual1.{off}");
        let knocked = taps_with(
            &model,
            input.clone(),
            &Knockouts::parse(&[&target], model.architecture()).unwrap(),
        );
        assert!(tap(&knocked, &target).2.iter().all(|&v| v == 0.0));
        // The block passes on ReLU of the path that is left.
        let left = tap(&intact, &format!("b3.residual1.{kept}")).2.clone();
        assert!(
            close(&tap(&knocked, "b3.residual1").2, &relu(&left), 1e-5),
            "{target}"
        );
    }

    let model = shipped("googlenet-lite", &device);
    let input = test_digit(2, &model, &device);
    let knockouts = Knockouts::parse(&["b3.inception1.branch2"], model.architecture()).unwrap();
    let intact = taps_with(&model, input.clone(), &Knockouts::default());
    let knocked = taps_with(&model, input, &knockouts);
    let (_, shape, block) = tap(&knocked, "b3.inception1");
    let plane = shape[2] * shape[3];
    let spec_channels: Vec<usize> = ["branch1", "branch2", "branch3", "branch4"]
        .iter()
        .map(|b| tap(&intact, &format!("b3.inception1.{b}")).1[1])
        .collect();
    let (start, end) = (
        spec_channels[0] * plane,
        (spec_channels[0] + spec_channels[1]) * plane,
    );
    assert!(
        tap(&intact, "b3.inception1").2[start..end]
            .iter()
            .any(|&v| v > 0.0)
    );
    assert!(
        block[start..end].iter().all(|&v| v == 0.0),
        "branch 2's channels of the concatenation"
    );
    assert_eq!(block[..start], tap(&intact, "b3.inception1").2[..start]);
    assert_eq!(block[end..], tap(&intact, "b3.inception1").2[end..]);
}

#[test]
fn a_bypassed_vgg_block_keeps_only_its_pooling() {
    let device = Device::flex();
    let model = shipped("vgg-lite", &device);
    let input = test_digit(3, &model, &device);
    let knockouts = Knockouts::parse(&["block5"], model.architecture()).unwrap();
    let knocked = taps_with(&model, input, &knockouts);
    // The convolutions pass block4's (non-negative) output through; their ReLUs change nothing.
    let block4 = &tap(&knocked, "block4").2;
    assert_eq!(&tap(&knocked, "block5.conv1").2, block4);
    assert_eq!(&tap(&knocked, "block5.conv2").2, block4);
    let [_, channels, height, width] = [1, 64, 2, 2];
    let pooled: Vec<f32> = (0..channels)
        .map(|c| {
            block4[c * height * width..(c + 1) * height * width]
                .iter()
                .copied()
                .fold(f32::MIN, f32::max)
        })
        .collect();
    assert_eq!(tap(&knocked, "block5").2, pooled);
}

#[test]
fn knockouts_cost_accuracy_in_an_evaluation() {
    let device = Device::flex();
    let model = shipped("resnet18-lite", &device);
    let test = common::mnist("t10k").truncated(300);
    let accuracy = |targets: &[&str]| {
        let knockouts = Knockouts::parse(targets, model.architecture()).unwrap();
        convscope::training::evaluate(&model, &test, 100, &knockouts, &device, |_, _| {}).accuracy()
    };
    let intact = accuracy(&[]);
    let without_stem_shortcut = accuracy(&[
        "b2.residual1.main",
        "b2.residual2.main",
        "b3.residual1.shortcut",
    ]);
    assert!(intact > 0.95, "{intact}");
    assert!(
        without_stem_shortcut < intact,
        "{without_stem_shortcut} ≥ {intact}"
    );
}

/// conv (1→2, 3×3, padding 1) + ReLU, global average, linear to 10: `score_c = Σ_k W_ck ·
/// mean(A_k) + b_c`, so Grad-CAM's weights are `W_ck / (h·w)` exactly.
fn toy(device: &Device) -> Model {
    let architecture = Architecture {
        family: Family::GoogLeNet,
        root: vec![Node::new(
            "net",
            sequential(vec![
                item(conv(2, 3, 1, 1)),
                item(Op::Relu).tap("conv1"),
                item(Op::GlobalAvgPool2d),
                item(Op::Flatten),
                item(linear(10)),
            ]),
        )],
        input: [1, 6, 6],
    };
    Model::new(architecture, device).unwrap()
}

fn safetensor(bytes: &[u8], key: &str) -> Vec<f32> {
    let file = safetensors::SafeTensors::deserialize(bytes).unwrap();
    common::f32_values(file.tensor(key).unwrap().data())
}

fn toy_input(device: &Device) -> Tensor<4> {
    let pixels: Vec<f32> = (0..36).map(|i| ((i * 7 % 11) as f32 - 5.0) / 3.0).collect();
    Tensor::from_data(TensorData::new(pixels, [1, 1, 6, 6]), device)
}

#[test]
fn grad_cam_matches_the_hand_computation() {
    let device = Device::flex();
    let model = toy(&device);
    let input = toy_input(&device);
    let (_, taps) = model.forward_with_taps(input.clone());
    let maps = values(taps[0].activation.clone());
    let weights = safetensor(&save_safetensors(&model, "toy").unwrap(), "net.4.weight");
    let mut lit = 0;
    for class in 0..10 {
        let explanation = explain(
            &model,
            input.clone(),
            Some(class),
            "conv1",
            Maps::Both,
            &Knockouts::default(),
        )
        .unwrap();
        assert_eq!((explanation.cam.height, explanation.cam.width), (6, 6));
        let expected: Vec<f32> = (0..36)
            .map(|pixel| {
                let sum: f32 = (0..2)
                    .map(|k| weights[class * 2 + k] / 36.0 * maps[k * 36 + pixel])
                    .sum();
                sum.max(0.0)
            })
            .collect();
        assert!(
            close(&explanation.cam.values, &expected, 1e-4),
            "class {class}: {:?} vs {expected:?}",
            explanation.cam.values
        );
        assert!(!explanation.predicted);
        lit += usize::from(expected.iter().any(|&v| v > 1e-3));
    }
    assert!(lit >= 3, "only {lit} classes light the map up");
}

#[test]
fn saliency_is_the_input_gradient() {
    let device = Device::flex();
    let model = toy(&device);
    let input = toy_input(&device);
    let class = 4;
    let explanation = explain(
        &model,
        input.clone(),
        Some(class),
        "conv1",
        Maps::Both,
        &Knockouts::default(),
    )
    .unwrap();
    let logit = |x: Tensor<4>| values(model.forward(x))[class];
    let base: Vec<f32> = values(input.clone());
    let step = 1e-2;
    for pixel in [0, 7, 14, 21, 35] {
        let nudged = |delta: f32| {
            let mut pixels = base.clone();
            pixels[pixel] += delta;
            logit(Tensor::from_data(
                TensorData::new(pixels, [1, 1, 6, 6]),
                &device,
            ))
        };
        let difference = ((nudged(step) - nudged(-step)) / (2.0 * step)).abs();
        let gradient = explanation.saliency.values[pixel];
        assert!(
            (gradient - difference).abs() < 2e-3 + 0.02 * difference,
            "pixel {pixel}: {gradient} vs {difference}"
        );
    }
}

#[test]
fn explaining_a_preset_uses_running_statistics_and_changes_nothing() {
    let device = Device::flex();
    let model = shipped("resnet18-lite", &device);
    let input = test_digit(0, &model, &device);
    let before = values(model.forward(input.clone()));
    let tap = default_cam_tap(model.architecture()).unwrap();
    assert_eq!(tap, "b4.residual2");
    assert!(grad_cam_taps(model.architecture()).contains(&tap));
    let explanation = explain(
        &model,
        input.clone(),
        None,
        &tap,
        Maps::Both,
        &Knockouts::default(),
    )
    .unwrap();
    assert!(explanation.predicted);
    assert_eq!(explanation.class, prediction_from_logits(&before).class);
    assert_eq!(
        (explanation.saliency.height, explanation.saliency.width),
        (48, 48)
    );
    assert!(explanation.saliency.max() > 0.0 && explanation.cam.max() > 0.0);
    // BatchNorm ran on its running statistics and did not update them.
    assert_eq!(values(model.forward(input)), before);
    assert!(
        explain(
            &model,
            test_digit(0, &model, &device),
            Some(10),
            &tap,
            Maps::Both,
            &Knockouts::default()
        )
        .is_err()
    );
    assert!(
        explain(
            &model,
            test_digit(0, &model, &device),
            None,
            "fc9",
            Maps::Both,
            &Knockouts::default()
        )
        .is_err()
    );
    for name in ["alexnet-lite", "vgg-lite", "googlenet-lite"] {
        let model = shipped(name, &device);
        let tap = default_cam_tap(model.architecture()).unwrap();
        let explanation = explain(
            &model,
            test_digit(5, &model, &device),
            None,
            &tap,
            Maps::Both,
            &Knockouts::default(),
        )
        .unwrap();
        assert!(explanation.cam.max() > 0.0, "{name} at {tap}");
    }
}

fn dot(x: u32, y: u32) -> GrayImage {
    let mut image = GrayImage::new(28, 28);
    image.put_pixel(x, y, Luma([255]));
    image
}

fn brightest(image: &GrayImage) -> (u32, u32) {
    let (mut best, mut at) = (0, (0, 0));
    for (x, y, pixel) in image.enumerate_pixels() {
        if pixel.0[0] > best {
            best = pixel.0[0];
            at = (x, y);
        }
    }
    at
}

#[test]
fn distortions_move_pixels_where_geometry_says() {
    let digit = dot(14, 6);
    assert_eq!(Distortion::default().apply(&digit), digit);
    let shifted = Distortion {
        shift_x: 3.0,
        shift_y: -2.0,
        ..Distortion::default()
    }
    .apply(&digit);
    assert_eq!(brightest(&shifted), (17, 4));
    // The centre is (13.5, 13.5): a dot above it turns to its left, counter-clockwise.
    let turned = Distortion {
        rotate: 90.0,
        ..Distortion::default()
    }
    .apply(&dot(13, 6));
    assert_eq!(brightest(&turned), (6, 14));
    let scaled = Distortion {
        scale: 2.0,
        ..Distortion::default()
    }
    .apply(&GrayImage::from_fn(28, 28, |x, y| {
        Luma([if (12..16).contains(&x) && (12..16).contains(&y) {
            255
        } else {
            0
        }])
    }));
    let ink = |image: &GrayImage| image.pixels().filter(|p| p.0[0] > 127).count();
    assert_eq!(ink(&scaled), 64, "a 4×4 square becomes 8×8");
    let thick = Distortion {
        thickness: 1,
        ..Distortion::default()
    }
    .apply(&digit);
    assert_eq!(ink(&thick), 9);
    let thin = Distortion {
        thickness: -1,
        ..Distortion::default()
    }
    .apply(&thick);
    assert_eq!(thin, digit);
    let noise = Distortion {
        noise: 0.2,
        ..Distortion::default()
    };
    assert_eq!(
        noise.apply(&digit),
        noise.apply(&digit),
        "the same setting, the same noise"
    );
    assert!(noise.apply(&digit).pixels().filter(|p| p.0[0] > 0).count() > 200);
    let wild = Distortion {
        shift_x: f32::NAN,
        scale: 100.0,
        thickness: 9,
        ..Distortion::default()
    };
    assert_eq!(wild.apply(&digit).dimensions(), (28, 28));
}

#[test]
fn the_shift_curve_is_centred_on_the_digit_itself() {
    let device = Device::flex();
    let model = shipped("alexnet-lite", &device);
    let test = common::mnist("t10k");
    let steps = DigitSteps::mnist(&test, 0).unwrap();
    let logits = values(model.forward(steps.network_input(model.architecture().input, &device)));
    let prediction = prediction_from_logits(&logits);
    let curve = shift_curve(
        &model,
        &steps.digit,
        &Distortion::default(),
        prediction.class,
    );
    assert_eq!(curve.shifts, (-8..=8).collect::<Vec<_>>());
    let middle = curve.shifts.iter().position(|&s| s == 0).unwrap();
    for probabilities in [&curve.horizontal, &curve.vertical] {
        assert_eq!(probabilities.len(), 17);
        assert!((probabilities[middle] - prediction.probabilities[prediction.class]).abs() < 1e-4);
    }
    // Eight pixels off a 28-pixel field, a digit is hard to read.
    assert!(curve.horizontal[0] < curve.horizontal[middle]);
    let batch = ShiftCurve::batch(&steps.digit, &Distortion::default(), &device);
    assert_eq!(batch.dims(), [34, 1, 28, 28]);
    let resized = network_input(batch, model.architecture().input);
    assert_eq!(resized.dims(), [34, 1, 96, 96]);
}

#[test]
fn pixel_maths_reads_the_knocked_out_values() {
    let device = Device::flex();
    let model = shipped("alexnet-lite", &device);
    let input = test_digit(0, &model, &device);
    let knockouts = Knockouts::parse(&["conv2:0", "conv2:7"], model.architecture()).unwrap();
    let knocked = taps_with(&model, input.clone(), &knockouts);
    let query = PixelQuery {
        tap: "conv3".into(),
        channel: 4,
        row: 1,
        column: 2,
    };
    let math = explain_pixel(&model, input, &query, &knockouts).unwrap();
    let (_, shape, conv3) = tap(&knocked, "conv3");
    assert_eq!(math.value, conv3[(4 * shape[2] + 1) * shape[3] + 2]);
    assert!((math.step.recomputed() - f64::from(math.value)).abs() < 1e-4);
    let Step::Weighted(sum) = &math.step else {
        panic!("conv3 is a weighted sum");
    };
    for channel in [0, 7] {
        let term = sum.terms.iter().find(|t| t.channel == channel).unwrap();
        assert!(
            term.inputs.iter().all(|&x| x == 0.0),
            "channel {channel} reads zeros"
        );
    }
    assert!(sum.terms.iter().any(|t| t.inputs.iter().any(|&x| x != 0.0)));
}

#[test]
fn each_map_alone_is_the_same_as_with_the_other() {
    let device = Device::flex();
    let model = shipped("googlenet-lite", &device);
    let input = test_digit(7, &model, &device);
    let tap = default_cam_tap(model.architecture()).unwrap();
    let none = Knockouts::default();
    let both = explain(&model, input.clone(), None, &tap, Maps::Both, &none).unwrap();
    let saliency = explain(&model, input.clone(), None, &tap, Maps::Saliency, &none).unwrap();
    let cam = explain(&model, input, None, &tap, Maps::GradCam, &none).unwrap();
    assert_eq!(saliency.saliency, both.saliency);
    assert_eq!(saliency.cam, Default::default());
    assert_eq!(cam.cam, both.cam);
    assert_eq!(cam.saliency, Default::default());
    assert_eq!((saliency.class, cam.class), (both.class, both.class));
}

/// The mean of one channel's map for the network input `input`.
fn channel_mean(model: &Model, input: Tensor<4>, tap: &str, channel: usize) -> f32 {
    let (_, taps) = model.forward_with_taps(input);
    let activation = taps.into_iter().find(|t| t.name == tap).unwrap().activation;
    values(activation.narrow(1, channel, 1).mean())[0]
}

#[test]
fn the_top_digits_of_a_channel_are_the_ones_it_fires_on_most() {
    let device = Device::flex();
    let model = shipped("alexnet-lite", &device);
    let test = common::mnist("t10k").truncated(200);
    let (tap, channel) = ("conv2", 3);
    let top = top_firings(&model, &test, tap, channel, 64).unwrap();
    assert_eq!((top.found.len(), top.seen), (TOP_FIRINGS, 200));
    // Every digit's largest value of the map, worked out one digit at a time.
    let mut all: Vec<(usize, f32, usize)> = (0..test.len())
        .map(|index| {
            let input = DigitSteps::mnist(&test, index)
                .unwrap()
                .network_input(model.architecture().input, &device);
            let (_, taps) = model.forward_with_taps(input);
            let map = values(
                taps.into_iter()
                    .find(|t| t.name == tap)
                    .unwrap()
                    .activation
                    .narrow(1, channel, 1),
            );
            let (at, max) = map
                .iter()
                .copied()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .unwrap();
            (index, max, at)
        })
        .collect();
    all.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (firing, (index, max, at)) in top.found.iter().zip(&all) {
        assert!(
            (firing.value - max).abs() < 1e-4,
            "{firing:?} vs digit {index}: {max}"
        );
        if firing.index == *index {
            assert_eq!(firing.row * 10 + firing.column, *at, "conv2 maps are 10×10");
        }
    }
    assert!(top.found.windows(2).all(|w| w[0].value >= w[1].value));
    assert!(
        top_firings(&model, &test, "conv2", 32, 64).is_none(),
        "conv2 has 32 channels"
    );
}

#[test]
fn an_input_made_by_gradient_ascent_excites_its_channel_more_than_digits_do() {
    let device = Device::flex();
    let model = shipped("alexnet-lite", &device);
    let (tap, channel) = ("conv3", 5);
    let image = maximize_activation(&model, tap, channel).unwrap();
    assert_eq!(image.dims(), [96, 96]);
    let pixels = values(image.clone());
    assert!(pixels.iter().all(|&p| (-1e-4..=1.0001).contains(&p)));
    let input = image
        .reshape([1, 1, 96, 96])
        .sub_scalar(MNIST_MEAN)
        .div_scalar(MNIST_STD);
    let made = channel_mean(&model, input, tap, channel);
    let test = common::mnist("t10k");
    let digits: Vec<f32> = (0..20)
        .map(|index| {
            let input = DigitSteps::mnist(&test, index)
                .unwrap()
                .network_input(model.architecture().input, &device);
            channel_mean(&model, input, tap, channel)
        })
        .collect();
    let best_digit = digits.iter().copied().fold(f32::MIN, f32::max);
    assert!(
        made > best_digit,
        "ascent reached {made}, the best of 20 digits {best_digit}"
    );
    assert!(maximize_activation(&model, "conv9", 0).is_none());
}
