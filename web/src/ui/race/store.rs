//! The last race, kept in IndexedDB beside the checkpoints, so a reload can show it and go on.

use convscope::training::RaceStanding;
use js_sys::{Array, Reflect, Uint8Array};
use serde_bytes::ByteBuf;
use wasm_bindgen::prelude::*;

use super::super::checkpoints::describe;
use crate::protocol::SavedRace;

#[wasm_bindgen(module = "/js/checkpoints.js")]
extern "C" {
    #[wasm_bindgen(js_name = saveRace, catch)]
    async fn save_race(standing: JsValue, weights: Array) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = loadRace, catch)]
    async fn load_race() -> Result<JsValue, JsValue>;
}

pub async fn save(saved: &SavedRace) -> Result<(), String> {
    let standing = serde_wasm_bindgen::to_value(&saved.standing).map_err(|e| e.to_string())?;
    let weights: Array = saved
        .weights
        .iter()
        .map(|bytes| JsValue::from(Uint8Array::from(bytes.as_slice())))
        .collect();
    save_race(standing, weights)
        .await
        .map(|_| ())
        .map_err(|e| format!("could not keep the race in this browser: {}", describe(e)))
}

/// The kept race; `Ok(None)` when there is none.
pub async fn load() -> Result<Option<SavedRace>, String> {
    let damaged = || "the race kept in this browser is damaged".to_string();
    let record = load_race().await.map_err(|e| {
        format!(
            "could not read the race kept in this browser: {}",
            describe(e)
        )
    })?;
    if record.is_undefined() || record.is_null() {
        return Ok(None);
    }
    let standing: RaceStanding = Reflect::get(&record, &"standing".into())
        .ok()
        .and_then(|value| serde_wasm_bindgen::from_value(value).ok())
        .ok_or_else(damaged)?;
    let weights = Reflect::get(&record, &"weights".into())
        .ok()
        .and_then(|list| list.dyn_into::<Array>().ok())
        .ok_or_else(damaged)?
        .iter()
        .map(|bytes| {
            bytes
                .dyn_into::<Uint8Array>()
                .map(|bytes| ByteBuf::from(bytes.to_vec()))
                .map_err(|_| damaged())
        })
        .collect::<Result<Vec<_>, String>>()?;
    if weights.len() != standing.lanes.len() {
        return Err(damaged());
    }
    Ok(Some(SavedRace { standing, weights }))
}
