//! A race in the worker: the core [`Race`] advanced one slice at a time (a lane's steps, or
//! part of a lane's accuracy measurement), timed here, since the worker holds the clock.
//! Seconds count a lane's steps and their loss readback, not its test evaluations.

use burn::tensor::Tensor;
use convscope::arch::{Preset, PresetKind};
use convscope::data::MnistSplit;
use convscope::training::{Race, RaceBudget, RaceConfig};
use convscope::weights::{load_safetensors, save_safetensors_async};
use serde_bytes::ByteBuf;

use super::evaluation::SlicedEvaluation;
use super::worker::Outbox;
use crate::clock::now_ms;
use crate::protocol::{Response, SavedRace};

/// A slice of a lane's steps ends after this long (as a training run's).
const SLICE_MS: f64 = 120.0;
const MAX_SLICE_STEPS: usize = 25;
/// A reload loses at most this much of a race.
const CHECKPOINT_EVERY_MS: f64 = 20_000.0;

pub struct RaceJob {
    race: Race,
    outbox: Outbox,
    running: bool,
    /// A lane's accuracy measurement under way.
    measuring: Option<(usize, SlicedEvaluation)>,
    last_checkpoint_ms: f64,
}

/// Races run the browser presets only: the seed networks would take minutes a step.
pub fn check_presets(config: &RaceConfig) -> Result<(), String> {
    config.validate().map_err(|e| e.to_string())?;
    for name in &config.presets {
        let preset = Preset::by_name(name).map_err(|e| e.to_string())?;
        if preset.kind != PresetKind::Browser {
            return Err(format!(
                "{name} is a seed network: only the browser presets race"
            ));
        }
    }
    Ok(())
}

impl RaceJob {
    pub fn start(
        config: RaceConfig,
        train: &MnistSplit,
        device: &burn::tensor::Device,
        outbox: Outbox,
    ) -> Result<Self, String> {
        check_presets(&config)?;
        let race = Race::new(config, train, device).map_err(|e| e.to_string())?;
        Ok(Self::running(race, outbox))
    }

    /// Goes on from a race the page kept.
    pub fn resume(
        saved: SavedRace,
        train: &MnistSplit,
        device: &burn::tensor::Device,
        outbox: Outbox,
    ) -> Result<Self, String> {
        check_presets(&saved.standing.config)?;
        let models = saved
            .standing
            .lanes
            .iter()
            .zip(&saved.weights)
            .map(|(lane, bytes)| {
                let preset = Preset::by_name(&lane.preset).map_err(|e| e.to_string())?;
                let fresh = convscope::model::Model::from_preset(preset, device);
                load_safetensors(&fresh, bytes)
                    .map_err(|e| format!("the kept weights of {}: {e}", lane.preset))
            })
            .collect::<Result<Vec<_>, String>>()?;
        let race =
            Race::resume(saved.standing, models, train, device).map_err(|e| e.to_string())?;
        Ok(Self::running(race, outbox))
    }

    fn running(race: Race, outbox: Outbox) -> Self {
        Self {
            race,
            outbox,
            running: true,
            measuring: None,
            last_checkpoint_ms: now_ms(),
        }
    }

    pub fn started(&self) -> Response {
        Response::RaceStarted {
            standing: self.race.standing().clone(),
        }
    }

    pub fn is_running(&self) -> bool {
        self.running
    }

    pub fn go_on(&mut self) {
        self.running = !self.race.standing().is_finished();
    }

    pub async fn pause(&mut self) -> Result<(), String> {
        if self.running {
            self.halt(false).await?;
        }
        Ok(())
    }

    async fn halt(&mut self, finished: bool) -> Result<(), String> {
        self.running = false;
        self.checkpoint().await?;
        self.outbox.post(&Response::RaceHalted { finished });
        Ok(())
    }

    async fn checkpoint(&mut self) -> Result<(), String> {
        let mut weights = Vec::new();
        for (lane, standing) in self.race.standing().lanes.iter().enumerate() {
            let model = self.race.model(lane).ok_or("a lane has no network")?;
            let bytes = save_safetensors_async(&model, &standing.preset)
                .await
                .map_err(|e| format!("saving {}: {e}", standing.preset))?;
            weights.push(ByteBuf::from(bytes));
        }
        self.last_checkpoint_ms = now_ms();
        self.outbox.post(&Response::RaceCheckpoint {
            saved: SavedRace {
                standing: self.race.standing().clone(),
                weights,
            },
        });
        Ok(())
    }

    /// One slice: part of a due accuracy measurement, else a lane's steps; the race halts
    /// once every lane is done and measured.
    pub async fn slice(&mut self, test: &MnistSplit) -> Result<(), String> {
        let standing = self.race.standing();
        let due = (0..self.race.lanes()).find(|&lane| standing.evaluation_due(lane));
        if let Some(lane) = due {
            self.measure(lane, test).await?;
        } else if let Some(lane) = standing.next_lane() {
            self.train(lane).await?;
        } else {
            return self.halt(true).await;
        }
        if now_ms() - self.last_checkpoint_ms > CHECKPOINT_EVERY_MS {
            self.checkpoint().await?;
        }
        Ok(())
    }

    async fn measure(&mut self, lane: usize, test: &MnistSplit) -> Result<(), String> {
        let digits = self.race.standing().config.test_digits;
        let (_, measuring) = match &mut self.measuring {
            Some(current) if current.0 == lane => current,
            other => {
                let model = self.race.model(lane).ok_or("a lane has no network")?;
                other.insert((lane, SlicedEvaluation::new(model, digits)))
            }
        };
        if measuring.advance(test).await? {
            let accuracy = measuring.evaluation.accuracy();
            self.measuring = None;
            if let Some(update) = self.race.record_accuracy(lane, accuracy) {
                self.outbox.post(&Response::RaceProgress { update });
            }
        }
        Ok(())
    }

    async fn train(&mut self, lane: usize) -> Result<(), String> {
        let standing = &self.race.standing().lanes[lane];
        let (mut images, seconds_before) = (standing.images, standing.seconds);
        let seconds_left = match self.race.standing().config.budget {
            RaceBudget::Seconds(budget) => budget - seconds_before,
            RaceBudget::Images(_) => f64::INFINITY,
        };
        let started = now_ms();
        let elapsed = || (now_ms() - started) / 1000.0;
        let mut losses = Vec::new();
        while elapsed() < seconds_left {
            let Some(step) = self.race.step(lane) else {
                break;
            };
            losses.push(step.loss);
            images += step.images as u64;
            // A slice ends where the lane passes a tenth of its budget, so its accuracy is
            // measured at that step, whatever the device's speed.
            let measure_now =
                self.race
                    .standing()
                    .passes_a_tenth(lane, images, seconds_before + elapsed());
            if measure_now || losses.len() >= MAX_SLICE_STEPS || now_ms() - started > SLICE_MS {
                break;
            }
        }
        let losses: Vec<f32> = if losses.is_empty() {
            Vec::new()
        } else {
            Tensor::cat(losses, 0)
                .into_data_async()
                .await
                .map_err(|e| format!("reading the loss back: {e:?}"))?
                .try_into_vec()
                .map_err(|e| format!("reading the loss back: {e:?}"))?
        };
        if let Some(update) = self.race.record_slice(lane, &losses, elapsed()) {
            self.outbox.post(&Response::RaceProgress { update });
        }
        Ok(())
    }
}
