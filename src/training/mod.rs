//! Training and evaluation, one mini-batch at a time, so a UI can drive them and stop between
//! batches.

mod chance;
mod evaluation;
mod health;
mod race;
mod recommended;
mod run;
mod schedule;
mod trainer;

pub use chance::{chance_accuracy, chance_loss};
pub use evaluation::{Evaluation, MAX_MISTAKES, Mistake, evaluate, predict_batch};
pub use health::{ActivationHealth, GradientNorms, activation_health};
pub use race::{
    Lane, LaneUpdate, MAX_RACE_LANES, MAX_RACE_SECONDS, MIN_RACE_LANES, RACE_EVALUATIONS,
    RACE_MILESTONES, Race, RaceAxis, RaceBudget, RaceConfig, RaceOrder, RacePoint, RaceStanding,
};
pub use recommended::from_scratch;
pub use run::{
    InvalidSetting, MAX_BATCH_SIZE, MAX_EPOCHS, RunConfig, RunProgress, RunStep, TrainingRun,
    check_learning_rate, loss_is_sound,
};
pub use schedule::{Schedule, WARMUP_FRACTION, cosine_learning_rate};
pub use trainer::{OptimizerKind, TrainConfig, Trainer};
