//! How the learning rate moves over a run.

use serde::{Deserialize, Serialize};

/// The share of a warm-up schedule's steps spent climbing to the base rate.
pub const WARMUP_FRACTION: f64 = 0.1;

/// The learning-rate schedules on offer, in the CLI, the page and the engine alike.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Schedule {
    /// The base rate throughout.
    Constant,
    /// Half a cosine from the base rate down to zero.
    Cosine,
    /// A straight climb from zero to the base rate over the first tenth of the run, then half a
    /// cosine down to zero: a network without batch normalization survives a base rate that
    /// would throw it off at its first steps, and the fall at the end settles the weights.
    #[default]
    WarmupCosine,
}

impl Schedule {
    pub const ALL: [Schedule; 3] = [Schedule::Constant, Schedule::Cosine, Schedule::WarmupCosine];

    /// The name in settings and command lines (serde's too).
    pub fn name(self) -> &'static str {
        match self {
            Schedule::Constant => "constant",
            Schedule::Cosine => "cosine",
            Schedule::WarmupCosine => "warmup-cosine",
        }
    }

    /// The rate for step `step` (counted from 0) of a run of `total` steps.
    pub fn learning_rate(self, base: f64, step: u64, total: u64) -> f64 {
        match self {
            Schedule::Constant => base,
            Schedule::Cosine => cosine_learning_rate(base, step, total),
            Schedule::WarmupCosine => {
                let warmup = ((total as f64 * WARMUP_FRACTION).round() as u64).max(1);
                if step < warmup {
                    base * (step + 1) as f64 / warmup as f64
                } else {
                    cosine_learning_rate(base, step - warmup, total.saturating_sub(warmup))
                }
            }
        }
    }
}

impl std::str::FromStr for Schedule {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|schedule| schedule.name().eq_ignore_ascii_case(text))
            .ok_or_else(|| {
                format!("no schedule `{text}`; choose constant, cosine or warmup-cosine")
            })
    }
}

/// A half-cosine schedule: `base` at step 0, falling to zero at `total` steps.
pub fn cosine_learning_rate(base: f64, step: u64, total: u64) -> f64 {
    let progress = (step as f64 / total.max(1) as f64).min(1.0);
    base * 0.5 * (1.0 + (std::f64::consts::PI * progress).cos())
}
