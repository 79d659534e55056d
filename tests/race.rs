//! A race between presets: turns, budgets, accuracy measurements, who got there first, and
//! going on from kept weights.

use crate::common;

use burn::tensor::Device;
use convscope::arch::Preset;
use convscope::data::MnistSplit;
use convscope::model::Model;
use convscope::probe::Knockouts;
use convscope::training::{
    Lane, MAX_RACE_SECONDS, OptimizerKind, RACE_EVALUATIONS, Race, RaceAxis, RaceBudget,
    RaceConfig, RaceOrder, RacePoint, RaceStanding, TrainConfig, TrainingRun, evaluate,
};

fn config(presets: &[&str], budget: RaceBudget, order: RaceOrder) -> RaceConfig {
    RaceConfig {
        presets: presets.iter().map(|name| name.to_string()).collect(),
        train: TrainConfig {
            optimizer: OptimizerKind::Adam,
            learning_rate: 1e-3,
            batch_size: 50,
            seed: 5,
        },
        budget,
        order,
        test_digits: 100,
    }
}

fn train_split() -> MnistSplit {
    common::mnist("train").truncated(1000)
}

/// Drives a race to its end as the web worker does, one step per slice, each slice taking
/// `seconds` on a made-up clock; returns the lanes in the order they trained.
fn drive(race: &mut Race, seconds: f64) -> Vec<usize> {
    let device = Device::flex();
    let test = common::mnist("t10k").truncated(race.standing().config.test_digits);
    let mut turns = Vec::new();
    while !race.standing().is_finished() {
        if let Some(lane) = (0..race.lanes()).find(|&lane| race.standing().evaluation_due(lane)) {
            let model = race.model(lane).unwrap();
            let accuracy =
                evaluate(&model, &test, 50, &Knockouts::default(), &device, |_, _| {}).accuracy();
            race.record_accuracy(lane, accuracy).unwrap();
            continue;
        }
        let lane = race.standing().next_lane().expect("a lane to train");
        let losses: Vec<f32> = race
            .step(lane)
            .map(|step| step.loss.into_scalar::<f32>())
            .into_iter()
            .collect();
        race.record_slice(lane, &losses, seconds).unwrap();
        turns.push(lane);
    }
    turns
}

#[test]
fn interleaved_lanes_take_turns_on_the_same_budget_and_are_measured_each_tenth() {
    let device = Device::flex();
    let presets = ["resnet18-lite", "vgg-lite"];
    let mut race = Race::new(
        config(&presets, RaceBudget::Images(300), RaceOrder::Interleaved),
        &train_split(),
        &device,
    )
    .unwrap();
    let turns = drive(&mut race, 0.5);
    assert_eq!(turns, vec![0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
    for lane in &race.standing().lanes {
        assert_eq!((lane.images, lane.steps), (300, 6), "{}", lane.preset);
        assert_eq!(lane.seconds, 3.0);
        assert_eq!(lane.losses.len(), 6);
        assert!(lane.losses.iter().all(|point| point.value.is_finite()));
        // A step is a sixth of the budget: each one passes another tenth.
        let measured: Vec<u64> = lane.accuracies.iter().map(|point| point.images).collect();
        assert_eq!(measured, vec![50, 100, 150, 200, 250, 300]);
        assert!(lane.accuracies.len() <= RACE_EVALUATIONS as usize);
        assert!(
            lane.accuracies
                .iter()
                .all(|p| (0.0..=1.0).contains(&p.value))
        );
    }
}

#[test]
fn one_after_another_finishes_a_lane_before_the_next_starts() {
    let device = Device::flex();
    let mut race = Race::new(
        config(
            &["vgg-lite", "resnet18-lite"],
            RaceBudget::Images(100),
            RaceOrder::OneAfterAnother,
        ),
        &train_split(),
        &device,
    )
    .unwrap();
    assert_eq!(drive(&mut race, 0.1), vec![0, 0, 1, 1]);
}

#[test]
fn a_seconds_budget_ends_each_lane_by_its_own_clock() {
    let device = Device::flex();
    let mut race = Race::new(
        config(
            &["vgg-lite", "resnet18-lite"],
            RaceBudget::Seconds(1.0),
            RaceOrder::Interleaved,
        ),
        &train_split(),
        &device,
    )
    .unwrap();
    let turns = drive(&mut race, 0.3);
    assert_eq!(turns.len(), 8, "four slices of 0.3 s pass 1 s: {turns:?}");
    for lane in &race.standing().lanes {
        assert_eq!(lane.steps, 4);
        assert!((lane.seconds - 1.2).abs() < 1e-9);
        let last = lane.accuracies.last().unwrap();
        assert_eq!(last.images, 200, "measured at the end");
    }
}

#[test]
fn a_lane_whose_loss_blows_up_stops_and_the_others_go_on() {
    let device = Device::flex();
    let mut race = Race::new(
        config(
            &["vgg-lite", "resnet18-lite"],
            RaceBudget::Images(100),
            RaceOrder::Interleaved,
        ),
        &train_split(),
        &device,
    )
    .unwrap();
    race.step(0).unwrap();
    let update = race.record_slice(0, &[f32::NAN], 0.1).unwrap();
    assert_eq!(update.diverged_at, Some(1));
    assert_eq!(update.loss, None);
    assert_eq!(race.standing().next_lane(), Some(1));
    assert!(!race.standing().evaluation_due(0));
}

#[test]
fn a_resumed_lane_trains_on_the_batch_it_would_have_seen_next() {
    // resnet18-lite has no dropout: the same weights on the same batch give the same loss.
    let device = Device::flex();
    let train = train_split();
    let race_config = config(
        &["resnet18-lite", "vgg-lite"],
        RaceBudget::Images(400),
        RaceOrder::OneAfterAnother,
    );
    let mut race = Race::new(race_config, &train, &device).unwrap();
    for _ in 0..2 {
        let loss = race.step(0).unwrap().loss.into_scalar::<f32>();
        race.record_slice(0, &[loss], 1.0).unwrap();
    }
    let kept = race.standing().clone();
    let weights = vec![race.model(0).unwrap(), race.model(1).unwrap()];
    let uninterrupted = race.step(0).unwrap().loss.into_scalar::<f32>();

    let mut resumed = Race::resume(kept, weights, &train, &device).unwrap();
    let lane = &resumed.standing().lanes[0];
    assert_eq!((lane.images, lane.steps, lane.seconds), (100, 2, 2.0));
    let step = resumed.step(0).unwrap();
    assert_eq!(step.images, 50);
    let after_resume = step.loss.into_scalar::<f32>();
    assert!(
        (after_resume - uninterrupted).abs() < 1e-5,
        "{after_resume} vs {uninterrupted}"
    );
}

#[test]
fn skipping_a_run_ahead_lands_on_the_epoch_and_batch_it_would_have_reached() {
    let device = Device::flex();
    let train = train_split().truncated(120);
    let run_config = convscope::training::RunConfig {
        train: config(&[], RaceBudget::Images(1), RaceOrder::Interleaved).train,
        epochs: 3,
        train_size: None,
        schedule: convscope::training::Schedule::Constant,
    };
    let model = Model::from_preset(Preset::by_name("vgg-lite").unwrap(), &device);
    let mut walked = TrainingRun::new(model.clone(), run_config.clone(), &train, &device).unwrap();
    for _ in 0..4 {
        walked.step().unwrap();
    }
    let mut skipped = TrainingRun::new(model, run_config, &train, &device).unwrap();
    skipped.skip_to(walked.progress().images_seen, walked.progress().steps);
    assert_eq!(skipped.progress(), walked.progress());
    let (a, b) = (walked.step().unwrap(), skipped.step().unwrap());
    assert_eq!((a.images, a.epoch_finished), (b.images, b.epoch_finished));
}

fn lane(preset: &str, reached_95: (u64, f64)) -> Lane {
    let (images, seconds) = reached_95;
    let point = |value, images, seconds| RacePoint {
        images,
        seconds,
        value,
    };
    Lane {
        preset: preset.into(),
        steps: 100,
        images: 6400,
        seconds: 80.0,
        losses: vec![point(0.3, 6400, 80.0)],
        accuracies: vec![
            point(0.90, images / 2, seconds / 2.0),
            point(0.951, images, seconds),
            point(0.97, 6400, 80.0),
        ],
        diverged_at: None,
    }
}

#[test]
fn the_first_to_an_accuracy_is_counted_in_images_or_in_seconds() {
    let mut standing = RaceStanding::new(config(
        &["vgg-lite", "resnet18-lite", "alexnet-lite"],
        RaceBudget::Images(6400),
        RaceOrder::Interleaved,
    ));
    standing.lanes = vec![
        lane("vgg-lite", (3000, 30.0)),
        lane("resnet18-lite", (2000, 40.0)),
        lane("alexnet-lite", (5000, 35.0)),
    ];
    assert_eq!(standing.first_to(0.95, RaceAxis::Images), Some(1));
    assert_eq!(standing.first_to(0.95, RaceAxis::Seconds), Some(0));
    assert_eq!(standing.first_to(0.98, RaceAxis::Images), None);
    assert_eq!(standing.lanes[2].reached(0.95).unwrap().images, 5000);
    // The page keeps the standing as JSON in IndexedDB.
    let json = serde_json::to_string(&standing).unwrap();
    assert_eq!(
        serde_json::from_str::<RaceStanding>(&json).unwrap(),
        standing
    );
}

#[test]
fn a_race_that_cannot_work_is_refused_in_words() {
    let refused = |config: RaceConfig| config.validate().unwrap_err().to_string();
    let budget = RaceBudget::Images(1000);
    let order = RaceOrder::Interleaved;
    assert!(refused(config(&["vgg-lite"], budget, order)).contains("2 to 4 networks"));
    assert!(refused(config(&["vgg-lite", "vgg-lite"], budget, order)).contains("twice"));
    assert!(refused(config(&["vgg-lite", "lenet"], budget, order)).contains("unknown network"));
    let presets = ["vgg-lite", "resnet18-lite"];
    assert!(refused(config(&presets, RaceBudget::Images(0), order)).contains("images"));
    for seconds in [0.0, f64::NAN, MAX_RACE_SECONDS + 1.0] {
        assert!(refused(config(&presets, RaceBudget::Seconds(seconds), order)).contains("seconds"));
    }
    let mut no_digits = config(&presets, budget, order);
    no_digits.test_digits = 0;
    assert!(refused(no_digits).contains("test digits"));
    let mut bad_rate = config(&presets, budget, order);
    bad_rate.train.learning_rate = -1.0;
    assert!(refused(bad_rate).contains("learning rate"));
}

#[test]
fn a_slice_ends_where_a_lane_passes_a_tenth_of_its_budget() {
    let mut standing = RaceStanding::new(config(
        &["vgg-lite", "resnet18-lite"],
        RaceBudget::Images(1000),
        RaceOrder::Interleaved,
    ));
    assert!(!standing.passes_a_tenth(0, 99, 5.0));
    assert!(standing.passes_a_tenth(0, 100, 5.0));
    standing.lanes[0].images = 150;
    assert!(!standing.passes_a_tenth(0, 199, 5.0));
    assert!(standing.passes_a_tenth(0, 200, 5.0));
    let seconds = RaceStanding::new(config(
        &["vgg-lite", "resnet18-lite"],
        RaceBudget::Seconds(10.0),
        RaceOrder::Interleaved,
    ));
    assert!(!seconds.passes_a_tenth(1, 10_000, 0.99));
    assert!(seconds.passes_a_tenth(1, 0, 1.0));
}
