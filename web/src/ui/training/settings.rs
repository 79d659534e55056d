//! The training controls' values, remembered in `localStorage` between visits.

use convscope::training::{OptimizerKind, RunConfig, Schedule, TrainConfig};
use serde::{Deserialize, Serialize};

const SETTINGS_KEY: &str = "convscope.training";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainSettings {
    pub epochs: u64,
    pub batch_size: usize,
    pub learning_rate: f64,
    pub optimizer: OptimizerKind,
    pub train_size: usize,
    /// Settings kept before schedules existed ran at a constant rate, and still do.
    #[serde(default = "constant")]
    pub schedule: Schedule,
}

fn constant() -> Schedule {
    Schedule::Constant
}

/// Training from scratch with these takes AlexNet-lite and ResNet-18-lite past 97 % test
/// accuracy in one pass over 20,000 digits (measured: README, "Time to a good network").
impl Default for TrainSettings {
    fn default() -> Self {
        Self {
            epochs: 1,
            batch_size: 32,
            learning_rate: 2e-3,
            optimizer: OptimizerKind::Adam,
            train_size: 20_000,
            schedule: Schedule::WarmupCosine,
        }
    }
}

impl TrainSettings {
    /// The run these settings ask for.
    pub fn run_config(&self) -> RunConfig {
        RunConfig {
            train: TrainConfig {
                optimizer: self.optimizer,
                learning_rate: self.learning_rate,
                batch_size: self.batch_size,
                seed: TrainConfig::default().seed,
            },
            epochs: self.epochs,
            train_size: Some(self.train_size),
            schedule: self.schedule,
        }
    }

    /// What is wrong with the values the user typed, in words (the core's rule).
    pub fn validate(&self) -> Result<(), String> {
        self.run_config().validate().map_err(|e| e.to_string())
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn load() -> TrainSettings {
    storage()
        .and_then(|storage| storage.get_item(SETTINGS_KEY).ok()?)
        .and_then(|json| js_sys::JSON::parse(&json).ok())
        .and_then(|value| serde_wasm_bindgen::from_value::<TrainSettings>(value).ok())
        .filter(|settings| settings.validate().is_ok())
        .unwrap_or_default()
}

pub fn save(settings: &TrainSettings) {
    let json = serde_wasm_bindgen::to_value(settings)
        .ok()
        .and_then(|value| js_sys::JSON::stringify(&value).ok())
        .and_then(|json| json.as_string());
    if let (Some(storage), Some(json)) = (storage(), json) {
        // Private browsing may refuse; the settings then last for this visit only.
        let _ = storage.set_item(SETTINGS_KEY, &json);
    }
}
