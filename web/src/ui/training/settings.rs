//! The training controls' values, one set per network, remembered in `localStorage` between
//! visits. A network whose values were never changed shows its recommended run from scratch.

use std::collections::BTreeMap;

use convscope::arch::{Family, Preset};
use convscope::training::{OptimizerKind, RunConfig, Schedule, TrainConfig, from_scratch};
use serde::{Deserialize, Serialize};

/// Each network's values where they differ from its recommendation.
const BY_NETWORK_KEY: &str = "convscope.training.by-network";
/// One set for every network, as pages before per-network settings kept them.
const SHARED_KEY: &str = "convscope.training";

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

impl TrainSettings {
    /// The run from scratch that takes `family`'s browser preset past 97 % test accuracy.
    pub fn recommended(family: Family) -> Self {
        let run = from_scratch(family);
        Self {
            epochs: run.epochs,
            batch_size: run.train.batch_size,
            learning_rate: run.train.learning_rate,
            optimizer: run.train.optimizer,
            train_size: run.train_size.unwrap_or(convscope::data::MNIST_TRAIN_LEN),
            schedule: run.schedule,
        }
    }

    /// The one default every network had before each got its own: a kept shared set equal to
    /// it was never chosen by the user, so it gives way to each network's recommendation.
    fn former_shared_default() -> Self {
        Self {
            epochs: 1,
            batch_size: 32,
            learning_rate: 2e-3,
            optimizer: OptimizerKind::Adam,
            train_size: 20_000,
            schedule: Schedule::WarmupCosine,
        }
    }

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

fn read<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
    let json = storage()?.get_item(key).ok()??;
    let value = js_sys::JSON::parse(&json).ok()?;
    serde_wasm_bindgen::from_value(value).ok()
}

fn by_network() -> BTreeMap<String, TrainSettings> {
    read(BY_NETWORK_KEY).unwrap_or_default()
}

/// `preset`'s values: the ones the user gave it, else its recommendation.
pub fn load(preset: &Preset) -> TrainSettings {
    adopt_shared_set();
    by_network()
        .remove(preset.name)
        .filter(|settings| settings.validate().is_ok())
        .unwrap_or_else(|| TrainSettings::recommended(preset.family))
}

/// A shared set the user chose before networks had their own becomes every network's own (one
/// without values of its own); the former default, never chosen, is dropped. Either way the
/// shared set is then gone, so going back to a recommendation sticks.
fn adopt_shared_set() {
    let Some(storage) = storage() else {
        return;
    };
    if !matches!(storage.get_item(SHARED_KEY), Ok(Some(_))) {
        return;
    }
    let chosen = read::<TrainSettings>(SHARED_KEY)
        .filter(|shared| shared.validate().is_ok())
        .filter(|shared| *shared != TrainSettings::former_shared_default());
    let adopted = chosen.is_none_or(|shared| {
        let mut all = by_network();
        for preset in &Preset::ALL {
            all.entry(preset.name.to_string())
                .or_insert_with(|| shared.clone());
        }
        write_by_network(&all)
    });
    if adopted {
        let _ = storage.remove_item(SHARED_KEY);
    }
}

/// Remembers `settings` for `preset`; values equal to its recommendation are not kept, so a
/// better recommendation reaches every network the user did not tune.
pub fn save(preset: &Preset, settings: &TrainSettings) {
    let mut all = by_network();
    if *settings == TrainSettings::recommended(preset.family) {
        all.remove(preset.name);
    } else {
        all.insert(preset.name.to_string(), settings.clone());
    }
    write_by_network(&all);
}

/// Whether the values were stored.
fn write_by_network(all: &BTreeMap<String, TrainSettings>) -> bool {
    // Maps as plain objects: `JSON.stringify` writes a JS `Map` as `{}`.
    let json = all
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .ok()
        .and_then(|value| js_sys::JSON::stringify(&value).ok())
        .and_then(|json| json.as_string());
    // Private browsing may refuse; the settings then last for this visit only.
    storage()
        .zip(json)
        .is_some_and(|(storage, json)| storage.set_item(BY_NETWORK_KEY, &json).is_ok())
}
