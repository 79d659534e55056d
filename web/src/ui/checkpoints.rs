//! Trained weights kept in the browser (IndexedDB), one checkpoint per preset, so a reload
//! finds them again.

use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/checkpoints.js")]
extern "C" {
    #[wasm_bindgen(js_name = saveCheckpoint, catch)]
    async fn save_checkpoint(
        preset: &str,
        bytes: Uint8Array,
        steps: f64,
    ) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = loadCheckpoint, catch)]
    async fn load_checkpoint(preset: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = deleteCheckpoint, catch)]
    async fn delete_checkpoint(preset: &str) -> Result<JsValue, JsValue>;
}

pub struct Checkpoint {
    pub bytes: Vec<u8>,
    /// Training steps the weights have had.
    pub steps: u64,
}

pub(super) fn describe(error: JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}

pub async fn save(preset: &str, bytes: &[u8], steps: u64) -> Result<(), String> {
    save_checkpoint(preset, Uint8Array::from(bytes), steps as f64)
        .await
        .map(|_| ())
        .map_err(|e| {
            format!(
                "could not keep the weights in this browser: {}",
                describe(e)
            )
        })
}

/// The preset's checkpoint; `Ok(None)` when there is none.
pub async fn load(preset: &str) -> Result<Option<Checkpoint>, String> {
    let record = load_checkpoint(preset).await.map_err(|e| {
        format!(
            "could not read the weights kept in this browser: {}",
            describe(e)
        )
    })?;
    if record.is_undefined() || record.is_null() {
        return Ok(None);
    }
    let bytes = Reflect::get(&record, &"bytes".into())
        .ok()
        .and_then(|b| b.dyn_into::<Uint8Array>().ok())
        .ok_or("the weights kept in this browser are damaged")?;
    let steps = Reflect::get(&record, &"steps".into())
        .ok()
        .and_then(|s| s.as_f64())
        .unwrap_or(0.0);
    Ok(Some(Checkpoint {
        bytes: bytes.to_vec(),
        steps: steps as u64,
    }))
}

pub async fn delete(preset: &str) -> Result<(), String> {
    delete_checkpoint(preset).await.map(|_| ()).map_err(|e| {
        format!(
            "could not forget the weights kept in this browser: {}",
            describe(e)
        )
    })
}
