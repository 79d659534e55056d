//! What "train from scratch" starts with for each family of networks: one pass that took every
//! seeded start of the family's browser preset past 97 % test accuracy natively (README, "Time
//! to a good network"). The families differ in how many digits they need and, for one, in the
//! rate: networks with batch normalization (ResNet) or few layers (AlexNet) get there on 20,000
//! digits, VGG's eight convolutions without it on half as many again, GoogLeNet's many thin
//! layers without it on twice as many at half the rate. Optimizer, batch size and schedule are
//! the same for all: the race shares the Train tab's batch size between its networks.

use super::run::RunConfig;
use super::schedule::Schedule;
use super::trainer::{OptimizerKind, TrainConfig};
use crate::arch::Family;

/// The run from scratch that reaches 97 % for `family`'s browser preset.
pub fn from_scratch(family: Family) -> RunConfig {
    let (train_size, learning_rate) = match family {
        Family::AlexNet | Family::ResNet => (20_000, 2e-3),
        Family::Vgg => (30_000, 2e-3),
        Family::GoogLeNet => (40_000, 1e-3),
    };
    RunConfig {
        train: TrainConfig {
            optimizer: OptimizerKind::Adam,
            learning_rate,
            batch_size: 32,
            ..TrainConfig::default()
        },
        epochs: 1,
        train_size: Some(train_size),
        schedule: Schedule::WarmupCosine,
    }
}
