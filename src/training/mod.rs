//! Training and evaluation, one mini-batch at a time, so a UI can drive them and stop between
//! batches.

mod evaluation;
mod run;
mod trainer;

pub use evaluation::{Evaluation, MAX_MISTAKES, Mistake, evaluate, predict_batch};
pub use run::{RunConfig, RunProgress, RunStep, TrainingRun};
pub use trainer::{OptimizerKind, TrainConfig, Trainer, cosine_learning_rate};
