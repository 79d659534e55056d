//! The race between browser presets: its settings, the standing as the engine reports it
//! (kept in IndexedDB, so a reload shows it and can go on), and the controls' actions.

mod chart;
mod panel;
mod store;
mod table;

use convscope::training::{RaceAxis, RaceBudget, RaceConfig, RaceOrder, RaceStanding, TrainConfig};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::compare::browser_presets;
use super::i18n::Text;
use super::{AppState, engine_link, test_hooks};
use crate::protocol::{Request, Response, SavedRace};
pub use panel::RacePanel;

/// Accuracy is measured on the first this many test digits (the training run's quick check).
const RACE_TEST_DIGITS: usize = 1_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RaceStatus {
    Idle,
    /// Asked for; the training set may be downloading.
    Starting,
    Running,
    Paused,
    Finished,
    Error,
}

impl RaceStatus {
    /// The `race-status` test hook's words.
    pub fn word(self) -> &'static str {
        match self {
            RaceStatus::Idle => "idle",
            RaceStatus::Starting => "starting",
            RaceStatus::Running => "running",
            RaceStatus::Paused => "paused",
            RaceStatus::Finished => "finished",
            RaceStatus::Error => "error",
        }
    }

    fn text(self) -> Text {
        match self {
            RaceStatus::Idle => Text::RaceIdle,
            RaceStatus::Starting => Text::RaceStarting,
            RaceStatus::Running => Text::RaceRunning,
            RaceStatus::Paused => Text::RacePaused,
            RaceStatus::Finished => Text::RaceFinished,
            RaceStatus::Error => Text::StatusError,
        }
    }
}

/// What the controls ask for.
#[derive(Clone, Debug, PartialEq)]
pub struct RaceSettings {
    pub presets: Vec<&'static str>,
    /// The budget's number, in `unit`s.
    pub amount: f64,
    pub unit: RaceAxis,
    pub order: RaceOrder,
}

impl Default for RaceSettings {
    fn default() -> Self {
        Self {
            presets: browser_preset_names().collect(),
            amount: 60.0,
            unit: RaceAxis::Seconds,
            order: RaceOrder::Interleaved,
        }
    }
}

impl RaceSettings {
    fn budget(&self) -> RaceBudget {
        match self.unit {
            RaceAxis::Images => RaceBudget::Images(self.amount.max(0.0).round() as u64),
            RaceAxis::Seconds => RaceBudget::Seconds(self.amount),
        }
    }
}

fn browser_preset_names() -> impl Iterator<Item = &'static str> {
    browser_presets().map(|preset| preset.name)
}

#[derive(Clone, Copy)]
pub struct RaceSignals {
    pub settings: RwSignal<RaceSettings>,
    pub status: RwSignal<RaceStatus>,
    /// Why the race cannot start or stopped.
    pub message: RwSignal<Option<String>>,
    pub standing: RwSignal<Option<RaceStanding>>,
    /// The last checkpoint, to go on with after the engine lost the race (a reload).
    pub saved: StoredValue<Option<SavedRace>>,
    /// The engine holds the race shown (so a resume needs no weights).
    pub in_engine: RwSignal<bool>,
    /// The charts' x axis.
    pub axis: RwSignal<RaceAxis>,
}

impl RaceSignals {
    pub fn new() -> Self {
        Self {
            settings: RwSignal::new(RaceSettings::default()),
            status: RwSignal::new(RaceStatus::Idle),
            message: RwSignal::new(None),
            standing: RwSignal::new(None),
            saved: StoredValue::new(None),
            in_engine: RwSignal::new(false),
            axis: RwSignal::new(RaceAxis::Images),
        }
    }
}

/// The race's settings with the Train tab's optimizer, learning rate and batch size.
fn race_config(state: AppState) -> RaceConfig {
    let settings = state.race.settings.get_untracked();
    let training = state.training.settings.get_untracked();
    RaceConfig {
        presets: settings
            .presets
            .iter()
            .map(|name| name.to_string())
            .collect(),
        train: TrainConfig {
            optimizer: training.optimizer,
            learning_rate: training.learning_rate,
            batch_size: training.batch_size,
            seed: TrainConfig::default().seed,
        },
        budget: settings.budget(),
        order: settings.order,
        test_digits: RACE_TEST_DIGITS,
    }
}

pub fn start(state: AppState) {
    let race = state.race;
    let config = race_config(state);
    if let Err(problem) = config.validate() {
        race.message.set(Some(format!(
            "{} {problem}",
            state.text(Text::RaceBadSetting)
        )));
        return;
    }
    race.message.set(None);
    race.status.set(RaceStatus::Starting);
    race.standing.set(Some(RaceStanding::new(config.clone())));
    engine_link::send(&Request::StartRace { config });
}

pub fn pause_or_resume(state: AppState) {
    let race = state.race;
    match race.status.get_untracked() {
        RaceStatus::Running | RaceStatus::Starting => engine_link::send(&Request::PauseRace),
        RaceStatus::Paused | RaceStatus::Error => {
            let saved = if race.in_engine.get_untracked() {
                None
            } else {
                race.saved.get_value()
            };
            if saved.is_none() && !race.in_engine.get_untracked() {
                return;
            }
            race.message.set(None);
            race.status.set(RaceStatus::Starting);
            engine_link::send(&Request::ResumeRace { saved });
        }
        _ => {}
    }
}

/// Shows the race a former visit kept, paused, ready to go on.
pub fn restore(state: AppState) {
    let race = state.race;
    spawn_local(async move {
        match store::load().await {
            Ok(Some(saved)) => {
                let finished = saved.standing.is_finished();
                race.standing.set(Some(saved.standing.clone()));
                race.saved.set_value(Some(saved));
                race.status.set(if finished {
                    RaceStatus::Finished
                } else {
                    RaceStatus::Paused
                });
            }
            Ok(None) => {}
            Err(message) => race.message.set(Some(message)),
        }
    });
}

/// The engine (re)started: it holds no race; a running one waits to be resumed from its
/// last checkpoint.
pub fn on_engine_restarted(state: AppState) {
    let race = state.race;
    race.in_engine.set(false);
    if matches!(
        race.status.get_untracked(),
        RaceStatus::Running | RaceStatus::Starting
    ) {
        race.status.set(RaceStatus::Paused);
        race.message
            .set(Some(state.text(Text::RaceEngineLost).to_string()));
        if let Some(saved) = race.saved.get_value() {
            race.standing.set(Some(saved.standing));
        }
    }
}

pub fn on_failure(state: AppState, message: String) {
    state.race.status.set(RaceStatus::Error);
    state.race.message.set(Some(message));
}

pub fn on_response(state: AppState, response: Response) {
    let race = state.race;
    match response {
        Response::RaceStarted { standing } => {
            race.in_engine.set(true);
            let finished = standing.is_finished();
            race.standing.set(Some(standing));
            race.status.set(if finished {
                RaceStatus::Finished
            } else {
                RaceStatus::Running
            });
        }
        Response::RaceProgress { update } => {
            race.standing.update(|standing| {
                if let Some(standing) = standing {
                    standing.apply(&update);
                }
            });
        }
        Response::RaceCheckpoint { saved } => {
            race.saved.set_value(Some(saved.clone()));
            let images = saved.standing.lanes.iter().map(|lane| lane.images).sum();
            spawn_local(async move {
                match store::save(&saved).await {
                    Ok(()) => test_hooks::record_race_saved(images),
                    Err(message) => race.message.set(Some(message)),
                }
            });
        }
        Response::RaceHalted { finished } => race.status.set(if finished {
            RaceStatus::Finished
        } else {
            RaceStatus::Paused
        }),
        _ => {}
    }
}
