//! The training controls' values, remembered in `localStorage` between visits.

use convscope::training::OptimizerKind;
use serde::{Deserialize, Serialize};

const SETTINGS_KEY: &str = "convscope.training";
/// MNIST's training set.
pub const MAX_TRAIN_SIZE: usize = 60_000;
pub const MAX_EPOCHS: u64 = 100;
pub const MAX_BATCH: usize = 1024;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainSettings {
    pub epochs: u64,
    pub batch_size: usize,
    pub learning_rate: f64,
    pub optimizer: OptimizerKind,
    pub train_size: usize,
}

impl Default for TrainSettings {
    fn default() -> Self {
        Self {
            epochs: 1,
            batch_size: 64,
            learning_rate: 1e-3,
            optimizer: OptimizerKind::Adam,
            train_size: MAX_TRAIN_SIZE,
        }
    }
}

impl TrainSettings {
    /// What is wrong with the values the user typed, in words.
    pub fn validate(&self) -> Result<(), String> {
        if !(1..=MAX_EPOCHS).contains(&self.epochs) {
            return Err(format!("epochs must be 1 to {MAX_EPOCHS}"));
        }
        if !(1..=MAX_BATCH).contains(&self.batch_size) {
            return Err(format!("the batch size must be 1 to {MAX_BATCH}"));
        }
        if !(self.learning_rate.is_finite() && self.learning_rate > 0.0) {
            return Err("the learning rate must be a number above zero".into());
        }
        if !(1..=MAX_TRAIN_SIZE).contains(&self.train_size) {
            return Err(format!("training images must be 1 to {MAX_TRAIN_SIZE}"));
        }
        Ok(())
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
