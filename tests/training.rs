//! Training steps: the loss falls, BatchNorm statistics move, evaluation counts right.

use crate::common;

use burn::module::Module;
use burn::tensor::{Device, Tensor};
use convscope::arch::{Preset, PresetKind};
use convscope::data::{MnistSplit, batch_from_indices, epoch_order};
use convscope::model::Model;
use convscope::probe::Knockouts;
use convscope::training::{
    MAX_BATCH_SIZE, MAX_EPOCHS, MAX_MISTAKES, OptimizerKind, RunConfig, Schedule, TrainConfig,
    Trainer, TrainingRun, activation_health, chance_accuracy, chance_loss, cosine_learning_rate,
    evaluate, loss_is_sound,
};

fn train_split() -> MnistSplit {
    common::mnist("train").truncated(2048)
}

fn mean(values: &[f32]) -> f32 {
    values.iter().sum::<f32>() / values.len() as f32
}

fn losses(
    preset: &str,
    optimizer: OptimizerKind,
    learning_rate: f64,
    steps: usize,
) -> (Vec<f32>, Trainer) {
    let device = Device::flex();
    let data = train_split();
    let preset = Preset::by_name(preset).unwrap();
    let config = TrainConfig {
        optimizer,
        learning_rate,
        batch_size: 32,
        seed: 1,
    };
    let mut trainer = Trainer::new(Model::from_preset(preset, &device), config, &device);
    let order = epoch_order(data.len(), 1, 0);
    let losses = order
        .chunks(32)
        .take(steps)
        .map(|indices| {
            trainer
                .step(&batch_from_indices(&data, indices, &device))
                .into_scalar::<f32>()
        })
        .collect();
    (losses, trainer)
}

/// The page draws ln 10 on the loss chart as "a guess" and tells a run from random weights that
/// its loss starts there or a little above: BatchNorm's unit-variance features give ResNet's
/// random classifier larger logits (2.7 on this seed), sure of wrong digits more often than an
/// even guess is.
#[test]
fn random_weights_start_at_the_loss_of_a_guess_or_a_little_above() {
    assert!((chance_loss() - 10f64.ln()).abs() < 1e-12);
    assert!((chance_accuracy() - 0.1).abs() < 1e-12);
    for preset in Preset::ALL.iter().filter(|p| p.kind == PresetKind::Browser) {
        let (first, _) = losses(preset.name, OptimizerKind::Adam, 1e-3, 1);
        let above = f64::from(first[0]) - chance_loss();
        assert!(
            (-0.1..0.6).contains(&above),
            "{}: first loss {} against ln 10",
            preset.name,
            first[0]
        );
    }
}

#[test]
fn the_loss_falls_with_adam_on_a_batchnorm_network() {
    let (losses, trainer) = losses("resnet18-lite", OptimizerKind::Adam, 2e-3, 40);
    assert!(losses.iter().all(|l| l.is_finite()));
    let (first, last) = (mean(&losses[..5]), mean(&losses[35..]));
    assert!(last < 0.6 * first, "loss {first} -> {last}");
    assert_eq!(trainer.steps(), 40);
    assert_eq!(trainer.model().batches_tracked(), 40);
}

#[test]
fn the_loss_falls_with_sgd_and_momentum() {
    let (losses, _) = losses("resnet18-lite", OptimizerKind::Sgd, 0.05, 60);
    let (first, last) = (mean(&losses[..5]), mean(&losses[55..]));
    assert!(last < 0.7 * first, "loss {first} -> {last}");
}

#[test]
fn dropout_is_active_in_training_only() {
    let device = Device::flex();
    let preset = Preset::by_name("alexnet-lite").unwrap();
    let training = Model::from_preset(preset, &device.clone().autodiff());
    let input = Tensor::<4>::ones([1, 1, 96, 96], &device.clone().autodiff());
    let logits = |model: &Model, input: Tensor<4>| model.forward(input).into_data();
    let (first, second) = (
        logits(&training, input.clone()),
        logits(&training, input.clone()),
    );
    assert_ne!(
        first, second,
        "dropout should make two training passes differ"
    );
    let inference = training.valid();
    let input = input.inner();
    let (first, second) = (logits(&inference, input.clone()), logits(&inference, input));
    first.assert_eq(&second, true);
}

#[test]
fn evaluation_counts_every_test_image_once() {
    let device = Device::flex();
    let data = train_split().truncated(300);
    let model = Model::from_preset(Preset::by_name("googlenet-lite").unwrap(), &device);
    let mut progress = Vec::new();
    let evaluation = evaluate(
        &model,
        &data,
        128,
        &Knockouts::default(),
        &device,
        |done, total| progress.push((done, total)),
    );
    assert_eq!(evaluation.total, 300);
    assert_eq!(progress, vec![(128, 300), (256, 300), (300, 300)]);
    let confusion_total: u32 = evaluation.confusion.iter().flatten().sum();
    assert_eq!(confusion_total, 300);
    let diagonal: u32 = (0..10).map(|i| evaluation.confusion[i][i]).sum();
    assert_eq!(diagonal as usize, evaluation.correct);
    // An untrained network gets most digits wrong; the gallery keeps the first ones, truly wrong.
    let wrong = evaluation.total - evaluation.correct;
    assert_eq!(evaluation.mistakes.len(), wrong.min(MAX_MISTAKES));
    for mistake in &evaluation.mistakes {
        assert_eq!(data.label(mistake.index), mistake.truth);
        assert_ne!(mistake.truth, mistake.predicted);
    }
    assert!(
        evaluation
            .mistakes
            .windows(2)
            .all(|w| w[0].index < w[1].index)
    );
}

fn run_config(epochs: u64, train_size: usize, learning_rate: f64) -> RunConfig {
    RunConfig {
        train: TrainConfig {
            optimizer: OptimizerKind::Adam,
            learning_rate,
            batch_size: 50,
            seed: 3,
        },
        epochs,
        train_size: Some(train_size),
        schedule: Schedule::Constant,
    }
}

#[test]
fn a_run_walks_its_epochs_and_reports_where_it_stands() {
    let device = Device::flex();
    let model = Model::from_preset(Preset::by_name("vgg-lite").unwrap(), &device);
    let mut run =
        TrainingRun::new(model, run_config(2, 120, 1e-3), &train_split(), &device).unwrap();
    assert_eq!(run.train_len(), 120);
    let start = run.progress();
    assert_eq!((start.total_steps, start.total_images), (6, 240));
    let mut sizes = Vec::new();
    let mut epoch_ends = Vec::new();
    while let Some(step) = run.step() {
        assert!(step.loss.into_scalar::<f32>().is_finite());
        sizes.push(step.images);
        epoch_ends.push(step.epoch_finished);
    }
    assert_eq!(sizes, vec![50, 50, 20, 50, 50, 20]);
    assert_eq!(epoch_ends, vec![false, false, true, false, false, true]);
    let end = run.progress();
    assert_eq!((end.epoch, end.steps, end.images_seen), (2, 6, 240));
    assert!(run.is_finished() && run.step().is_none());
    assert_eq!(end.fraction(), 1.0);
}

#[test]
fn a_run_that_blew_up_goes_on_from_good_weights() {
    let device = Device::flex();
    let model = Model::from_preset(Preset::by_name("alexnet-lite").unwrap(), &device);
    let mut run =
        TrainingRun::new(model, run_config(1, 800, 1e6), &train_split(), &device).unwrap();
    let good = run.model();
    let losses: Vec<f32> = (0..8)
        .filter_map(|_| run.step())
        .map(|step| step.loss.into_scalar::<f32>())
        .collect();
    let blew_up = losses.iter().any(|loss| !loss_is_sound(*loss));
    assert!(
        blew_up,
        "a learning rate of 1e6 should make the loss blow up"
    );
    run.restart_from(good.clone());
    run.set_learning_rate(1e-3).unwrap();
    assert_eq!(run.progress().steps, 8);
    assert_eq!(run.progress().learning_rate, 1e-3);
    // The restored weights are the good ones, and training goes on from them.
    let restored = run.model().first_conv_kernels().unwrap().into_data();
    restored.assert_eq(&good.first_conv_kernels().unwrap().into_data(), true);
    let step = run.step().unwrap();
    assert!(step.loss.into_scalar::<f32>().is_finite());
}

#[test]
fn the_cosine_schedule_falls_from_the_base_rate_to_zero() {
    assert_eq!(cosine_learning_rate(0.1, 0, 100), 0.1);
    assert!((cosine_learning_rate(0.1, 50, 100) - 0.05).abs() < 1e-12);
    assert!(cosine_learning_rate(0.1, 100, 100).abs() < 1e-12);
    assert!(cosine_learning_rate(0.1, 150, 100).abs() < 1e-12);
}

#[test]
fn the_warmup_schedule_climbs_over_a_tenth_then_falls_along_the_cosine() {
    let rate = |step| Schedule::WarmupCosine.learning_rate(0.1, step, 100);
    // Ten steps of warm-up: 0.01, 0.02, ... 0.1, never zero (a first step at zero is wasted).
    assert!((rate(0) - 0.01).abs() < 1e-12);
    assert!((rate(4) - 0.05).abs() < 1e-12);
    assert!((rate(9) - 0.1).abs() < 1e-12);
    // Then the cosine over the other 90 steps.
    assert!((rate(10) - 0.1).abs() < 1e-12);
    assert!((rate(55) - 0.05).abs() < 1e-12);
    assert!(rate(100).abs() < 1e-12);
    assert!((1..100).all(|step| rate(step) <= 0.1 + 1e-12));
    assert_eq!(Schedule::Constant.learning_rate(0.1, 77, 100), 0.1);
    assert_eq!(
        "warmup-cosine".parse::<Schedule>(),
        Ok(Schedule::WarmupCosine)
    );
    assert!(
        "one-cycle"
            .parse::<Schedule>()
            .unwrap_err()
            .contains("warmup-cosine")
    );
}

#[test]
fn a_run_follows_its_schedule_step_by_step() {
    let device = Device::flex();
    let train = common::mnist("train");
    let preset = Preset::by_name("resnet18-lite").unwrap();
    let config = RunConfig {
        schedule: Schedule::WarmupCosine,
        ..run_config(1, 1000, 0.002)
    };
    let mut run =
        TrainingRun::new(Model::from_preset(preset, &device), config, &train, &device).unwrap();
    // 1,000 digits in batches of 50: twenty steps, two of them warm-up.
    let mut rates = Vec::new();
    while run.step().is_some() {
        rates.push(run.progress().learning_rate);
    }
    let expected: Vec<f64> = (0..20)
        .map(|step| Schedule::WarmupCosine.learning_rate(0.002, step, 20))
        .collect();
    assert_eq!(rates, expected);
    assert_eq!(rates[0], 0.001);
    assert_eq!(rates[1], 0.002);
    assert!(rates[19] < 0.0001);
}

#[test]
fn settings_that_cannot_work_are_refused_in_words() {
    let good = run_config(1, 100, 1e-3);
    assert_eq!(good.validate(), Ok(()));
    let broken = |change: fn(&mut RunConfig)| {
        let mut config = good.clone();
        change(&mut config);
        config.validate().unwrap_err().to_string()
    };
    assert_eq!(broken(|c| c.epochs = 0), "epochs must be 1 to 100");
    assert_eq!(
        broken(|c| c.epochs = MAX_EPOCHS + 1),
        "epochs must be 1 to 100"
    );
    assert_eq!(
        broken(|c| c.train.batch_size = 0),
        "the batch size must be 1 to 1024"
    );
    assert_eq!(
        broken(|c| c.train.batch_size = MAX_BATCH_SIZE + 1),
        "the batch size must be 1 to 1024"
    );
    assert!(broken(|c| c.train.learning_rate = 0.0).contains("learning rate"));
    assert!(broken(|c| c.train.learning_rate = f64::NAN).contains("learning rate"));
    assert_eq!(
        broken(|c| c.train_size = Some(0)),
        "training images must be 1 to 60000"
    );
    let device = Device::flex();
    let model = Model::from_preset(Preset::by_name("alexnet-lite").unwrap(), &device);
    let mut bad = good.clone();
    bad.epochs = 0;
    assert!(TrainingRun::new(model.clone(), bad, &train_split(), &device).is_err());
    let mut run = TrainingRun::new(model, good, &train_split(), &device).unwrap();
    assert!(run.set_learning_rate(-1.0).is_err());
    assert_eq!(run.progress().learning_rate, 1e-3);
}

#[test]
fn a_loss_is_sound_while_finite_and_not_exploded() {
    assert!(loss_is_sound(2.3) && loss_is_sound(0.0) && loss_is_sound(999.0));
    assert!(!loss_is_sound(f32::NAN) && !loss_is_sound(f32::INFINITY) && !loss_is_sound(1e4));
}

#[test]
fn optimizer_names_are_the_same_for_serde_the_cli_and_the_page() {
    for kind in OptimizerKind::ALL {
        assert_eq!(
            serde_json::to_value(kind).unwrap(),
            serde_json::json!(kind.name())
        );
        assert_eq!(kind.name().parse::<OptimizerKind>(), Ok(kind));
        assert_eq!(
            kind.name().to_uppercase().parse::<OptimizerKind>(),
            Ok(kind)
        );
    }
    assert!(
        "rmsprop"
            .parse::<OptimizerKind>()
            .unwrap_err()
            .contains("sgd or adam")
    );
}

#[test]
fn a_measured_step_reports_every_weight_layers_gradient_and_the_relus_health() {
    let device = Device::flex();
    let preset = Preset::by_name("resnet18-lite").unwrap();
    let model = Model::from_preset(preset, &device);
    let mut run =
        TrainingRun::new(model, run_config(1, 100, 1e-3), &train_split(), &device).unwrap();
    assert!(
        run.step().unwrap().gradient_norms.is_none(),
        "measured unasked"
    );
    let norms = run.step_measuring(true).unwrap().gradient_norms.unwrap();
    // One per convolution and linear layer: 1 stem + 8 blocks × 2 + 3 projections + 1 linear.
    assert_eq!(norms.layers.len(), 21);
    assert_eq!(norms.layers.first().map(String::as_str), Some("net.0.0"));
    assert_eq!(norms.layers.last().map(String::as_str), Some("net.7"));
    assert!(norms.layers.contains(&"net.3.blk.0.conv3".to_string()));
    let squared: Vec<f32> = norms.squared.into_data().try_into_vec().unwrap();
    assert!(
        squared.iter().all(|&s| s.is_finite() && s > 0.0),
        "{squared:?}"
    );

    let model = run.model();
    let test = common::mnist("t10k").truncated(16);
    let digits = batch_from_indices(&test, &(0..16).collect::<Vec<_>>(), &device).digits;
    let input = convscope::data::network_input(digits, preset.input);
    let health = activation_health(&model, input.clone()).unwrap();
    // ResNet's ReLU taps: the stem's conv (block outputs are residual sums, not conv taps).
    let (_, taps) = model.forward_with_taps(input);
    let stem = taps.iter().find(|t| t.name == "b1.conv").unwrap();
    let values: Vec<f32> = stem.activation.clone().into_data().try_into_vec().unwrap();
    let zeros = values.iter().filter(|&&v| v == 0.0).count() as f32 / values.len() as f32;
    let mean = values.iter().sum::<f32>() / values.len() as f32;
    assert_eq!(health.taps, vec!["b1.conv".to_string()]);
    let dead: Vec<f32> = health.dead.into_data().try_into_vec().unwrap();
    let means: Vec<f32> = health.means.into_data().try_into_vec().unwrap();
    assert!((dead[0] - zeros).abs() < 1e-6 && (means[0] - mean).abs() < 1e-4);
    assert!(zeros > 0.05 && zeros < 0.95, "{zeros}");
    let alexnet = Model::from_preset(Preset::by_name("alexnet-lite").unwrap(), &device);
    let input = convscope::data::network_input(
        batch_from_indices(&test, &[0, 1], &device).digits,
        [1, 96, 96],
    );
    let health = activation_health(&alexnet, input).unwrap();
    assert_eq!(
        health.taps,
        ["conv1", "conv2", "conv3", "conv4", "conv5", "fc1", "fc2"]
    );
}
