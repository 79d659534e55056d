//! Training from the page: settings, the run's state as the engine reports it, and the
//! controls' actions.

mod charts;
mod inside;
mod panel;
mod report;
mod settings;

use std::cell::Cell;
use std::sync::Arc;

use convscope::arch::Preset;
use convscope::training::RunProgress;
use leptos::prelude::*;

use super::i18n::Text;
use super::{AppState, engine_link, inference, test_hooks, weights_source};
use crate::clock::now_ms;
use crate::protocol::{AccuracyPoint, Halt, LayerHealth, LossPoint, Request, Response, TestReport};
use inside::FilmFrame;
pub use inside::record_frame;
pub use panel::TrainingPanel;
pub use settings::TrainSettings;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrainStatus {
    Idle,
    Training,
    Paused,
    Stopped,
    Error,
}

impl TrainStatus {
    /// The `train-status` test hook's words (its `data-status`).
    pub fn word(self) -> &'static str {
        match self {
            TrainStatus::Idle => "idle",
            TrainStatus::Training => "training",
            TrainStatus::Paused => "paused",
            TrainStatus::Stopped => "stopped",
            TrainStatus::Error => "error",
        }
    }

    pub fn text(self) -> Text {
        match self {
            TrainStatus::Idle => Text::StatusIdle,
            TrainStatus::Training => Text::StatusTraining,
            TrainStatus::Paused => Text::StatusPaused,
            TrainStatus::Stopped => Text::StatusStopped,
            TrainStatus::Error => Text::StatusError,
        }
    }
}

/// The run as the page shows it.
#[derive(Clone, Copy)]
pub struct TrainingSignals {
    pub settings: RwSignal<TrainSettings>,
    pub status: RwSignal<TrainStatus>,
    /// Why the run paused or failed.
    pub message: RwSignal<Option<String>>,
    /// The training set's download: bytes loaded and total.
    pub data: RwSignal<Option<(u64, Option<u64>)>>,
    pub progress: RwSignal<Option<RunProgress>>,
    pub images_per_second: RwSignal<Option<f64>>,
    pub losses: RwSignal<Vec<LossPoint>>,
    pub accuracy: RwSignal<Vec<AccuracyPoint>>,
    pub report: RwSignal<Option<Arc<TestReport>>>,
    /// The layers' health, every 2 s.
    pub health: RwSignal<Vec<LayerHealth>>,
    /// One frame per checkpoint of the run.
    pub frames: RwSignal<Vec<FilmFrame>>,
}

impl TrainingSignals {
    pub fn new(preset: &Preset) -> Self {
        Self {
            settings: RwSignal::new(settings::load(preset)),
            status: RwSignal::new(TrainStatus::Idle),
            message: RwSignal::new(None),
            data: RwSignal::new(None),
            progress: RwSignal::new(None),
            images_per_second: RwSignal::new(None),
            losses: RwSignal::new(Vec::new()),
            accuracy: RwSignal::new(Vec::new()),
            report: RwSignal::new(None),
            health: RwSignal::new(Vec::new()),
            frames: RwSignal::new(Vec::new()),
        }
    }

    fn clear_run(&self) {
        self.message.set(None);
        self.data.set(None);
        self.progress.set(None);
        self.images_per_second.set(None);
        self.losses.set(Vec::new());
        self.accuracy.set(Vec::new());
        self.report.set(None);
        self.health.set(Vec::new());
        self.frames.set(Vec::new());
    }
}

/// Feature maps refresh during training at most this often: each refresh is a full
/// inference with every tap read back.
const MAPS_REFRESH_MS: f64 = 2_500.0;

thread_local! {
    static LAST_MAPS_REFRESH: Cell<f64> = const { Cell::new(0.0) };
}

/// The settings when they make sense, else a message on the panel.
fn checked_settings(state: AppState) -> Option<TrainSettings> {
    let settings = state.training.settings.get_untracked();
    if let Err(problem) = settings.validate() {
        state.training.message.set(Some(format!(
            "{} {problem}",
            state.text(Text::BadTrainingSetting)
        )));
        return None;
    }
    Some(settings)
}

/// Every change of the values that make sense is remembered for the network shown.
pub fn remember_settings(state: AppState) {
    Effect::new(move || {
        let settings = state.training.settings.get();
        if settings.validate().is_ok() {
            settings::save(state.preset.get_untracked(), &settings);
        }
    });
}

/// Another network shows its own values.
pub fn follow_preset(state: AppState, preset: &Preset) {
    state.training.settings.set(settings::load(preset));
}

/// Back to the network's recommended run from scratch.
pub fn recommend(state: AppState) {
    let family = state.preset.get_untracked().family;
    state
        .training
        .settings
        .set(TrainSettings::recommended(family));
}

pub fn start(state: AppState) {
    let training = state.training;
    let Some(settings) = checked_settings(state) else {
        return;
    };
    training.clear_run();
    training.status.set(TrainStatus::Training);
    engine_link::send(&Request::StartTraining {
        config: settings.run_config(),
    });
}

/// A run from random weights, for a student who wants to watch the network learn from nothing;
/// only offered over the shipped weights, which "Reset to pretrained" brings back.
pub fn start_from_random(state: AppState) {
    if checked_settings(state).is_some() {
        weights_source::reset_then(state, false, move || start(state));
    }
}

pub fn pause_or_resume(state: AppState) {
    let training = state.training;
    match training.status.get_untracked() {
        TrainStatus::Training => engine_link::send(&Request::PauseTraining),
        TrainStatus::Paused => {
            let Some(settings) = checked_settings(state) else {
                return;
            };
            training.message.set(None);
            training.status.set(TrainStatus::Training);
            engine_link::send(&Request::ResumeTraining {
                learning_rate: settings.learning_rate,
            });
        }
        _ => {}
    }
}

pub fn stop(state: AppState) {
    if matches!(
        state.training.status.get_untracked(),
        TrainStatus::Training | TrainStatus::Paused
    ) {
        engine_link::send(&Request::StopTraining);
    }
}

/// The network or its weights were replaced: a run on the old ones is over.
pub fn forget_run(state: AppState, clear_curves: bool) {
    let training = state.training;
    if matches!(
        training.status.get_untracked(),
        TrainStatus::Training | TrainStatus::Paused
    ) {
        training.status.set(TrainStatus::Stopped);
    }
    if clear_curves {
        training.clear_run();
        training.status.set(TrainStatus::Idle);
    }
}

/// The engine died under a run; the page restarts it with the last checkpoint's weights.
pub fn on_engine_lost(state: AppState) {
    let training = state.training;
    if matches!(
        training.status.get_untracked(),
        TrainStatus::Training | TrainStatus::Paused
    ) {
        training.status.set(TrainStatus::Error);
        training
            .message
            .set(Some(state.text(Text::TrainingEngineLost).to_string()));
    }
}

pub fn on_failure(state: AppState, message: String) {
    state.training.status.set(TrainStatus::Error);
    state.training.message.set(Some(message));
}

pub fn on_response(state: AppState, response: Response) {
    let training = state.training;
    match response {
        Response::TrainingData { loaded, total } => training.data.set(Some((loaded, total))),
        Response::TrainingStarted { progress, .. } => {
            training.data.set(None);
            training.progress.set(Some(progress));
            training.status.set(TrainStatus::Training);
        }
        Response::TrainingProgress {
            progress,
            loss,
            images_per_second,
            kernels,
            health,
        } => {
            if let Some(health) = health {
                training.health.update(|all| all.push(health));
            }
            training.progress.set(Some(progress));
            test_hooks::record_training(progress.images_seen);
            training.losses.update(|losses| losses.push(loss));
            // A running mean, so the ETA does not jump with every slice.
            training.images_per_second.update(|mean| {
                *mean = Some(mean.map_or(images_per_second, |m| 0.8 * m + 0.2 * images_per_second));
            });
            if let Some(kernels) = kernels {
                state.kernels.set(Some(Arc::new(kernels)));
            }
            refresh_feature_maps(state);
        }
        Response::TestAccuracy { point, report } => {
            test_hooks::record_accuracy(point.step, point.accuracy, point.full);
            training.accuracy.update(|points| points.push(point));
            if let Some(report) = report {
                training.report.set(Some(Arc::from(report)));
            }
        }
        Response::TrainingHalted { halt, progress } => {
            training.progress.set(Some(progress));
            match halt {
                Halt::Paused => training.status.set(TrainStatus::Paused),
                Halt::Diverged { step, loss } => {
                    training.status.set(TrainStatus::Paused);
                    training.message.set(Some(format!(
                        "{} {step} (loss {loss}). {}",
                        state.text(Text::Diverged),
                        state.text(Text::DivergedHelp)
                    )));
                }
                Halt::Stopped | Halt::Finished => training.status.set(TrainStatus::Stopped),
            }
            // The maps of the weights the run ended with, whatever the throttle says.
            LAST_MAPS_REFRESH.set(now_ms());
            inference::request(state);
        }
        _ => {}
    }
}

fn refresh_feature_maps(state: AppState) {
    let now = now_ms();
    if now - LAST_MAPS_REFRESH.get() >= MAPS_REFRESH_MS && !inference::is_busy() {
        LAST_MAPS_REFRESH.set(now);
        inference::request(state);
    }
}
