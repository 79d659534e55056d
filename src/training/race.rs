//! A race: two to four presets trained from random weights on the same digits, batch size,
//! optimizer and budget, one after the other or taking turns, with their loss and test
//! accuracy logged against images seen and seconds of training, and who reached 95 % and 98 %
//! first. The caller drives it lane by lane and brings the clock (the web worker measures its
//! slices), so the core has no time source and its tests can use a made-up one.

use burn::tensor::Device;
use serde::{Deserialize, Serialize};

use super::run::{InvalidSetting, MAX_EPOCHS, RunConfig, RunStep, TrainingRun, loss_is_sound};
use super::schedule::Schedule;
use super::trainer::TrainConfig;
use crate::arch::Preset;
use crate::data::{MNIST_TEST_LEN, MNIST_TRAIN_LEN, MnistSplit};
use crate::model::Model;

pub const MIN_RACE_LANES: usize = 2;
pub const MAX_RACE_LANES: usize = 4;
/// The accuracies the result table asks "who got there first" about.
pub const RACE_MILESTONES: [f64; 2] = [0.95, 0.98];
/// Test accuracy is measured each time a lane has used another tenth of its budget.
pub const RACE_EVALUATIONS: u32 = 10;
/// The largest images budget: as many epochs as a run may have.
pub const MAX_RACE_IMAGES: u64 = MAX_EPOCHS * MNIST_TRAIN_LEN as u64;
/// The longest budget in seconds a lane may have.
pub const MAX_RACE_SECONDS: f64 = 3_600.0;

/// How much training each lane gets.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RaceBudget {
    /// Training images seen (the same digits, in the same order, for every lane).
    Images(u64),
    /// Seconds of training (steps and their loss readback; test evaluations do not count).
    Seconds(f64),
}

/// When each lane trains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RaceOrder {
    /// Each lane runs its whole budget before the next starts.
    OneAfterAnother,
    /// The lane furthest behind in its budget trains next, so the curves grow together.
    Interleaved,
}

/// What the result table measures "first" in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RaceAxis {
    Images,
    Seconds,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RaceConfig {
    pub presets: Vec<String>,
    pub train: TrainConfig,
    pub budget: RaceBudget,
    pub order: RaceOrder,
    /// Accuracy is measured on the first this many test digits.
    pub test_digits: usize,
}

impl RaceConfig {
    pub fn validate(&self) -> Result<(), InvalidSetting> {
        let lanes = self.presets.len();
        if !(MIN_RACE_LANES..=MAX_RACE_LANES).contains(&lanes) {
            return Err(InvalidSetting::new(format!(
                "a race needs {MIN_RACE_LANES} to {MAX_RACE_LANES} networks, not {lanes}"
            )));
        }
        for (index, name) in self.presets.iter().enumerate() {
            Preset::by_name(name).map_err(|e| InvalidSetting::new(e.to_string()))?;
            if self.presets[..index].contains(name) {
                return Err(InvalidSetting::new(format!("{name} is in the race twice")));
            }
        }
        match self.budget {
            RaceBudget::Images(images) if images == 0 || images > MAX_RACE_IMAGES => {
                return Err(InvalidSetting::new(format!(
                    "the budget must be 1 to {MAX_RACE_IMAGES} images"
                )));
            }
            RaceBudget::Seconds(seconds) if !(seconds > 0.0 && seconds <= MAX_RACE_SECONDS) => {
                return Err(InvalidSetting::new(format!(
                    "the budget must be above 0 and at most {MAX_RACE_SECONDS} seconds"
                )));
            }
            _ => {}
        }
        if !(1..=MNIST_TEST_LEN).contains(&self.test_digits) {
            return Err(InvalidSetting::new(format!(
                "test digits must be 1 to {MNIST_TEST_LEN}"
            )));
        }
        self.run_config(MNIST_TRAIN_LEN).validate()
    }

    /// Each lane's run: enough epochs for an images budget, as many as allowed for seconds.
    fn run_config(&self, train_len: usize) -> RunConfig {
        let epochs = match self.budget {
            RaceBudget::Images(images) => images.div_ceil(train_len.max(1) as u64),
            RaceBudget::Seconds(_) => MAX_EPOCHS,
        };
        RunConfig {
            train: self.train.clone(),
            epochs: epochs.clamp(1, MAX_EPOCHS),
            train_size: None,
            // A race compares designs under one steady rate; a schedule needs a known end.
            schedule: Schedule::Constant,
        }
    }
}

/// A measurement of one lane: its loss or test accuracy after so many images and seconds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RacePoint {
    pub images: u64,
    pub seconds: f64,
    pub value: f64,
}

impl RacePoint {
    pub fn at(&self, axis: RaceAxis) -> f64 {
        match axis {
            RaceAxis::Images => self.images as f64,
            RaceAxis::Seconds => self.seconds,
        }
    }
}

/// One network's run in the race.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lane {
    pub preset: String,
    pub steps: u64,
    pub images: u64,
    pub seconds: f64,
    /// The mean loss of each slice of steps.
    pub losses: Vec<RacePoint>,
    pub accuracies: Vec<RacePoint>,
    /// The loss blew up at this step; the lane stopped there.
    pub diverged_at: Option<u64>,
}

impl Lane {
    fn new(preset: &str) -> Self {
        Self {
            preset: preset.to_string(),
            steps: 0,
            images: 0,
            seconds: 0.0,
            losses: Vec::new(),
            accuracies: Vec::new(),
            diverged_at: None,
        }
    }

    /// The share of the budget this lane has used, 0 to 1 and beyond.
    pub fn used(&self, budget: RaceBudget) -> f64 {
        fraction(budget, self.images, self.seconds)
    }

    pub fn is_done(&self, budget: RaceBudget) -> bool {
        self.diverged_at.is_some() || self.used(budget) >= 1.0
    }

    /// The first measurement at or above `accuracy`.
    pub fn reached(&self, accuracy: f64) -> Option<&RacePoint> {
        self.accuracies.iter().find(|point| point.value >= accuracy)
    }

    /// Whether accuracy should be measured now: another tenth of the budget is used since
    /// the last measurement, or the lane has just finished.
    fn evaluation_due(&self, budget: RaceBudget) -> bool {
        if self.diverged_at.is_some() || self.images == 0 {
            return false;
        }
        let Some(last) = self.accuracies.last() else {
            return self.used(budget) >= 1.0 / f64::from(RACE_EVALUATIONS) || self.is_done(budget);
        };
        if last.images == self.images {
            return false;
        }
        let measured = fraction(budget, last.images, last.seconds);
        tenths(self.used(budget)) > tenths(measured) || self.is_done(budget)
    }

    /// Whether having seen `images` in `seconds` would pass into another tenth of the budget
    /// than the lane has reached: a driver ends its slice there, so accuracy is measured at
    /// the step that crossed the mark.
    fn would_pass_a_tenth(&self, budget: RaceBudget, images: u64, seconds: f64) -> bool {
        tenths(fraction(budget, images, seconds)) > tenths(self.used(budget))
    }
}

/// Which tenth of the budget a share of it falls in.
fn tenths(used: f64) -> f64 {
    (used * f64::from(RACE_EVALUATIONS) + 1e-9).floor()
}

fn fraction(budget: RaceBudget, images: u64, seconds: f64) -> f64 {
    match budget {
        RaceBudget::Images(total) => images as f64 / total.max(1) as f64,
        RaceBudget::Seconds(total) => seconds / total,
    }
}

/// What changed in one lane: what the engine posts and the page applies to its copy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LaneUpdate {
    pub lane: usize,
    pub steps: u64,
    pub images: u64,
    pub seconds: f64,
    pub loss: Option<RacePoint>,
    pub accuracy: Option<RacePoint>,
    pub diverged_at: Option<u64>,
}

/// The race as a table of numbers, without weights: what the page shows and keeps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RaceStanding {
    pub config: RaceConfig,
    pub lanes: Vec<Lane>,
}

impl RaceStanding {
    pub fn new(config: RaceConfig) -> Self {
        let lanes = config.presets.iter().map(|name| Lane::new(name)).collect();
        Self { config, lanes }
    }

    /// The lane that trains next; `None` when every lane is done.
    pub fn next_lane(&self) -> Option<usize> {
        let budget = self.config.budget;
        let running = self
            .lanes
            .iter()
            .enumerate()
            .filter(|(_, lane)| !lane.is_done(budget));
        match self.config.order {
            RaceOrder::OneAfterAnother => running.map(|(index, _)| index).next(),
            RaceOrder::Interleaved => running
                .min_by(|(_, a), (_, b)| a.used(budget).total_cmp(&b.used(budget)))
                .map(|(index, _)| index),
        }
    }

    pub fn is_finished(&self) -> bool {
        self.next_lane().is_none() && !(0..self.lanes.len()).any(|lane| self.evaluation_due(lane))
    }

    pub fn evaluation_due(&self, lane: usize) -> bool {
        self.lanes
            .get(lane)
            .is_some_and(|lane| lane.evaluation_due(self.config.budget))
    }

    /// Whether `lane`, having seen `images` after `seconds` of training, has passed another
    /// tenth of its budget since its last recorded slice.
    pub fn passes_a_tenth(&self, lane: usize, images: u64, seconds: f64) -> bool {
        self.lanes
            .get(lane)
            .is_some_and(|l| l.would_pass_a_tenth(self.config.budget, images, seconds))
    }

    /// The lane that reached `accuracy` with the fewest images or seconds; ties go to the
    /// first listed.
    pub fn first_to(&self, accuracy: f64, axis: RaceAxis) -> Option<usize> {
        self.lanes
            .iter()
            .enumerate()
            .filter_map(|(index, lane)| Some((index, lane.reached(accuracy)?.at(axis))))
            .min_by(|(_, a), (_, b)| a.total_cmp(b))
            .map(|(index, _)| index)
    }

    pub fn apply(&mut self, update: &LaneUpdate) {
        let Some(lane) = self.lanes.get_mut(update.lane) else {
            return;
        };
        lane.steps = update.steps;
        lane.images = update.images;
        lane.seconds = update.seconds;
        lane.losses.extend(update.loss);
        lane.accuracies.extend(update.accuracy);
        lane.diverged_at = lane.diverged_at.or(update.diverged_at);
    }
}

/// A race with its networks: the standing, and a training run per lane.
pub struct Race {
    standing: RaceStanding,
    runs: Vec<TrainingRun>,
}

impl Race {
    /// Every lane starts from random weights.
    pub fn new(
        config: RaceConfig,
        train: &MnistSplit,
        device: &Device,
    ) -> Result<Self, InvalidSetting> {
        config.validate()?;
        let models = config
            .presets
            .iter()
            .map(|name| Ok(Model::from_preset(preset(name)?, device)))
            .collect::<Result<Vec<_>, InvalidSetting>>()?;
        Self::resume(RaceStanding::new(config), models, train, device)
    }

    /// Goes on from a kept standing and each lane's weights, at the images each lane had
    /// seen (with a fresh optimizer: its moments are not kept).
    pub fn resume(
        standing: RaceStanding,
        models: Vec<Model>,
        train: &MnistSplit,
        device: &Device,
    ) -> Result<Self, InvalidSetting> {
        standing.config.validate()?;
        if models.len() != standing.lanes.len() {
            return Err(InvalidSetting::new(format!(
                "the race has {} networks but {} sets of weights",
                standing.lanes.len(),
                models.len()
            )));
        }
        let run_config = standing.config.run_config(train.len());
        let runs = models
            .into_iter()
            .zip(&standing.lanes)
            .map(|(model, lane)| {
                let mut run = TrainingRun::new(model, run_config.clone(), train, device)?;
                run.skip_to(lane.images, lane.steps);
                Ok(run)
            })
            .collect::<Result<Vec<_>, InvalidSetting>>()?;
        Ok(Self { standing, runs })
    }

    pub fn standing(&self) -> &RaceStanding {
        &self.standing
    }

    pub fn lanes(&self) -> usize {
        self.runs.len()
    }

    /// One optimizer step of `lane`; `None` once its images budget is spent. (A seconds
    /// budget is the caller's to watch: it holds the clock.)
    pub fn step(&mut self, lane: usize) -> Option<RunStep> {
        let run = self.runs.get_mut(lane)?;
        if let RaceBudget::Images(budget) = self.standing.config.budget
            && run.progress().images_seen >= budget
        {
            return None;
        }
        run.step()
    }

    pub fn model(&self, lane: usize) -> Option<Model> {
        self.runs.get(lane).map(TrainingRun::model)
    }

    /// Records a slice of `lane`'s steps that took `seconds`: their losses (read back) and
    /// where the run stands. A loss that is not sound stops the lane.
    pub fn record_slice(
        &mut self,
        lane: usize,
        losses: &[f32],
        seconds: f64,
    ) -> Option<LaneUpdate> {
        let progress = self.runs.get(lane)?.progress();
        let before = self.standing.lanes.get(lane)?;
        let seconds = before.seconds + seconds.max(0.0);
        let diverged_at = losses
            .iter()
            .any(|loss| !loss_is_sound(*loss))
            .then_some(progress.steps);
        let loss = (!losses.is_empty() && diverged_at.is_none()).then(|| RacePoint {
            images: progress.images_seen,
            seconds,
            value: f64::from(losses.iter().sum::<f32>()) / losses.len() as f64,
        });
        let update = LaneUpdate {
            lane,
            steps: progress.steps,
            images: progress.images_seen,
            seconds,
            loss,
            accuracy: None,
            diverged_at,
        };
        self.standing.apply(&update);
        Some(update)
    }

    /// Records `lane`'s test accuracy now.
    pub fn record_accuracy(&mut self, lane: usize, accuracy: f64) -> Option<LaneUpdate> {
        let current = self.standing.lanes.get(lane)?;
        let update = LaneUpdate {
            lane,
            steps: current.steps,
            images: current.images,
            seconds: current.seconds,
            loss: None,
            accuracy: Some(RacePoint {
                images: current.images,
                seconds: current.seconds,
                value: accuracy,
            }),
            diverged_at: None,
        };
        self.standing.apply(&update);
        Some(update)
    }
}

fn preset(name: &str) -> Result<&'static Preset, InvalidSetting> {
    Preset::by_name(name).map_err(|e| InvalidSetting::new(e.to_string()))
}
