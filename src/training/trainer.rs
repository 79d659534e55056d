//! One optimizer step at a time, so a UI can drive training and stop between steps.

use burn::module::Module;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::optim::momentum::MomentumConfig;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer, SgdConfig};
use burn::tensor::{Device, Tensor};
use serde::{Deserialize, Serialize};

use super::health::{GradientNorms, gradient_norms};
use crate::data::{Batch, network_input};
use crate::model::Model;

/// The optimizers on offer, in the CLI, the page and the engine alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OptimizerKind {
    /// SGD with momentum 0.9 (PyTorch's, no dampening).
    Sgd,
    /// Adam with PyTorch's defaults.
    Adam,
}

impl OptimizerKind {
    pub const ALL: [OptimizerKind; 2] = [OptimizerKind::Sgd, OptimizerKind::Adam];

    /// The name in settings, URLs and command lines (serde's too).
    pub fn name(self) -> &'static str {
        match self {
            OptimizerKind::Sgd => "sgd",
            OptimizerKind::Adam => "adam",
        }
    }

    /// A learning rate that trains every preset from scratch with this optimizer.
    pub fn default_learning_rate(self) -> f64 {
        match self {
            OptimizerKind::Sgd => 0.05,
            OptimizerKind::Adam => 1e-3,
        }
    }
}

impl std::str::FromStr for OptimizerKind {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.name().eq_ignore_ascii_case(text))
            .ok_or_else(|| format!("no optimizer `{text}`; choose sgd or adam"))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    pub optimizer: OptimizerKind,
    pub learning_rate: f64,
    pub batch_size: usize,
    /// Seeds the shuffling of every epoch (and dropout, through the device).
    pub seed: u64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            optimizer: OptimizerKind::Adam,
            learning_rate: OptimizerKind::Adam.default_learning_rate(),
            batch_size: 64,
            seed: 42,
        }
    }
}

fn optimizer(kind: OptimizerKind) -> ModuleOptimizer {
    match kind {
        OptimizerKind::Sgd => SgdConfig::new()
            .with_momentum(Some(
                MomentumConfig::new().with_momentum(0.9).with_dampening(0.0),
            ))
            .init(),
        OptimizerKind::Adam => AdamConfig::new().with_epsilon(1e-8).init(),
    }
}

/// A model being trained, with its optimizer state.
pub struct Trainer {
    /// `None` only while the optimizer consumes and returns it inside [`Trainer::step`].
    model: Option<Model>,
    optimizer: ModuleOptimizer,
    config: TrainConfig,
    device: Device,
    steps: u64,
}

impl Trainer {
    /// Takes `model` to `device` with autodiff enabled.
    pub fn new(model: Model, config: TrainConfig, device: &Device) -> Self {
        device.seed(config.seed);
        let model = model.fork(&device.clone().autodiff()).train();
        Self {
            model: Some(model),
            optimizer: optimizer(config.optimizer),
            config,
            device: device.clone(),
            steps: 0,
        }
    }

    /// Changes the learning rate from the next step on (for schedules, or a user's slider).
    pub fn set_learning_rate(&mut self, learning_rate: f64) {
        self.config.learning_rate = learning_rate;
    }

    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Keeps the step count (and so a schedule's place) across a restart.
    pub(super) fn set_steps(&mut self, steps: u64) {
        self.steps = steps;
    }

    fn training_model(&self) -> &Model {
        self.model
            .as_ref()
            .expect("the model is back after every step")
    }

    /// One optimizer step on `batch` (digits `[batch, 1, 28, 28]`, any device); returns the
    /// batch's mean loss as a one-element tensor, left on the device so the caller chooses
    /// when to pay for reading it.
    pub fn step(&mut self, batch: &Batch) -> Tensor<1> {
        self.step_measuring(batch, false).0
    }

    /// [`Trainer::step`], also measuring its gradients' norms when `measure` is set.
    pub fn step_measuring(
        &mut self,
        batch: &Batch,
        measure: bool,
    ) -> (Tensor<1>, Option<GradientNorms>) {
        let model = self
            .model
            .take()
            .expect("the model is back after every step");
        let autodiff = self.device.clone().autodiff();
        let input =
            network_input(batch.digits.clone(), model.architecture().input).to_device(&autodiff);
        let targets = batch.targets.clone().to_device(&autodiff);
        let logits = model.forward(input);
        let loss = CrossEntropyLossConfig::new()
            .init(&autodiff)
            .forward(logits, targets);
        let gradients = GradientsParams::from_grads(loss.backward(), &model);
        let norms = measure
            .then(|| gradient_norms(&model, &gradients))
            .flatten();
        let mut model = self
            .optimizer
            .step(self.config.learning_rate, model, gradients);
        model.set_batches_tracked(model.batches_tracked() + 1);
        self.model = Some(model);
        self.steps += 1;
        (loss.detach(), norms)
    }

    /// The current weights for inference (no autodiff, dropout off, BatchNorm on running stats).
    pub fn model(&self) -> Model {
        self.training_model().valid()
    }
}
