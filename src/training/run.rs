//! A whole training run (epochs over a shuffled training set), advanced one step at a time by
//! whoever drives it: the CLI in a loop, the web worker between the page's messages.

use burn::tensor::{Device, Tensor};
use serde::{Deserialize, Serialize};

use super::health::GradientNorms;
use super::schedule::Schedule;
use super::trainer::{TrainConfig, Trainer};
use crate::data::{MNIST_TRAIN_LEN, MnistSplit, batch_from_indices, epoch_order};
use crate::model::Model;

/// The most epochs a run may ask for.
pub const MAX_EPOCHS: u64 = 100;
/// The largest batch a run may ask for (memory, in a browser tab above all).
pub const MAX_BATCH_SIZE: usize = 1024;
/// Cross-entropy over ten classes starts near ln 10 ≈ 2.3; far above this, a run has blown up.
const EXPLODED_LOSS: f32 = 1_000.0;

/// Whether training may go on after this loss: NaN, infinite and exploded losses mean the
/// weights are ruined. The one rule of the CLI and the web engine.
pub fn loss_is_sound(loss: f32) -> bool {
    loss.is_finite() && loss <= EXPLODED_LOSS
}

/// A setting of a run that cannot work, in words for the user.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidSetting(String);

impl InvalidSetting {
    pub(crate) fn new(message: String) -> Self {
        Self(message)
    }
}

pub fn check_learning_rate(learning_rate: f64) -> Result<(), InvalidSetting> {
    if learning_rate.is_finite() && learning_rate > 0.0 {
        Ok(())
    } else {
        Err(InvalidSetting(format!(
            "the learning rate must be a number above zero, not {learning_rate}"
        )))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunConfig {
    pub train: TrainConfig,
    pub epochs: u64,
    /// Train on the first this many digits; all of them when `None`.
    pub train_size: Option<usize>,
    /// How the learning rate moves over the run, from `train.learning_rate`.
    pub schedule: Schedule,
}

/// Where a run stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RunProgress {
    /// Epochs finished.
    pub epoch: u64,
    pub epochs: u64,
    pub steps: u64,
    pub total_steps: u64,
    pub images_seen: u64,
    pub total_images: u64,
    pub learning_rate: f64,
}

impl RunConfig {
    /// The run's settings, checked once for every face (CLI, page, engine).
    pub fn validate(&self) -> Result<(), InvalidSetting> {
        if !(1..=MAX_EPOCHS).contains(&self.epochs) {
            return Err(InvalidSetting(format!("epochs must be 1 to {MAX_EPOCHS}")));
        }
        if !(1..=MAX_BATCH_SIZE).contains(&self.train.batch_size) {
            return Err(InvalidSetting(format!(
                "the batch size must be 1 to {MAX_BATCH_SIZE}"
            )));
        }
        check_learning_rate(self.train.learning_rate)?;
        if let Some(size) = self.train_size
            && !(1..=MNIST_TRAIN_LEN).contains(&size)
        {
            return Err(InvalidSetting(format!(
                "training images must be 1 to {MNIST_TRAIN_LEN}"
            )));
        }
        Ok(())
    }
}

impl RunProgress {
    pub fn fraction(&self) -> f64 {
        if self.total_images == 0 {
            0.0
        } else {
            self.images_seen as f64 / self.total_images as f64
        }
    }
}

/// What one step did.
pub struct RunStep {
    /// The batch's mean loss, still on the device.
    pub loss: Tensor<1>,
    pub images: usize,
    /// This step was the last of an epoch.
    pub epoch_finished: bool,
    /// The gradient norms, when the step was asked to measure them.
    pub gradient_norms: Option<GradientNorms>,
}

pub struct TrainingRun {
    trainer: Trainer,
    config: RunConfig,
    train: MnistSplit,
    device: Device,
    /// The current epoch's shuffled order and how far into it the run is.
    order: Vec<usize>,
    position: usize,
    epoch: u64,
    images_seen: u64,
}

impl TrainingRun {
    /// Starts training `model` on `train` (cut to `config.train_size`), when the settings
    /// make sense.
    pub fn new(
        model: Model,
        config: RunConfig,
        train: &MnistSplit,
        device: &Device,
    ) -> Result<Self, InvalidSetting> {
        config.validate()?;
        let train = match config.train_size {
            Some(size) if size < train.len() => train.truncated(size),
            _ => train.clone(),
        };
        let order = epoch_order(train.len(), config.train.seed, 0);
        Ok(Self {
            trainer: Trainer::new(model, config.train.clone(), device),
            config,
            train,
            device: device.clone(),
            order,
            position: 0,
            epoch: 0,
            images_seen: 0,
        })
    }

    pub fn config(&self) -> &RunConfig {
        &self.config
    }

    pub fn train_len(&self) -> usize {
        self.train.len()
    }

    fn batch_size(&self) -> usize {
        self.config.train.batch_size
    }

    fn steps_per_epoch(&self) -> u64 {
        self.train.len().div_ceil(self.batch_size()) as u64
    }

    pub fn is_finished(&self) -> bool {
        self.epoch >= self.config.epochs || self.train.is_empty()
    }

    pub fn progress(&self) -> RunProgress {
        RunProgress {
            epoch: self.epoch,
            epochs: self.config.epochs,
            steps: self.trainer.steps(),
            total_steps: self.steps_per_epoch() * self.config.epochs,
            images_seen: self.images_seen,
            total_images: self.train.len() as u64 * self.config.epochs,
            learning_rate: self.trainer.config().learning_rate,
        }
    }

    /// One optimizer step on the next batch; `None` once every epoch is done.
    pub fn step(&mut self) -> Option<RunStep> {
        self.step_measuring(false)
    }

    /// [`TrainingRun::step`], measuring the gradient norms when `measure` is set.
    pub fn step_measuring(&mut self, measure: bool) -> Option<RunStep> {
        if self.is_finished() {
            return None;
        }
        let total = self.steps_per_epoch() * self.config.epochs;
        let rate = self.config.schedule.learning_rate(
            self.config.train.learning_rate,
            self.trainer.steps(),
            total,
        );
        self.trainer.set_learning_rate(rate);
        let end = (self.position + self.batch_size()).min(self.order.len());
        let batch = batch_from_indices(&self.train, &self.order[self.position..end], &self.device);
        let (loss, gradient_norms) = self.trainer.step_measuring(&batch, measure);
        let images = end - self.position;
        self.position = end;
        self.images_seen += images as u64;
        let epoch_finished = self.position >= self.order.len();
        if epoch_finished {
            self.epoch += 1;
            self.position = 0;
            self.order = epoch_order(self.train.len(), self.config.train.seed, self.epoch);
        }
        Some(RunStep {
            loss,
            images,
            epoch_finished,
            gradient_norms,
        })
    }

    /// Places the run where one that had seen `images_seen` images in `steps` steps stood,
    /// to go on from a checkpoint of its weights.
    pub fn skip_to(&mut self, images_seen: u64, steps: u64) {
        let len = self.train.len().max(1) as u64;
        self.epoch = images_seen / len;
        self.position = (images_seen % len) as usize;
        self.images_seen = images_seen;
        self.order = epoch_order(self.train.len(), self.config.train.seed, self.epoch);
        self.trainer.set_steps(steps);
    }

    /// The current weights, for inference.
    pub fn model(&self) -> Model {
        self.trainer.model()
    }

    /// Goes on from `model` with a fresh optimizer, where the run stands: after the loss blew
    /// up, the optimizer's state is as poisoned as the weights.
    pub fn restart_from(&mut self, model: Model) {
        let steps = self.trainer.steps();
        let learning_rate = self.trainer.config().learning_rate;
        self.trainer = Trainer::new(model, self.config.train.clone(), &self.device);
        self.trainer.set_learning_rate(learning_rate);
        self.trainer.set_steps(steps);
    }

    /// Changes the base learning rate from the next step on.
    pub fn set_learning_rate(&mut self, learning_rate: f64) -> Result<(), InvalidSetting> {
        check_learning_rate(learning_rate)?;
        self.config.train.learning_rate = learning_rate;
        self.trainer.set_learning_rate(learning_rate);
        Ok(())
    }
}
