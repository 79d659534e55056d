//! Messages between the page and the engine worker: serde values posted with their byte
//! buffers transferred, not copied.
//!
//! An inference's answer carries every tap's values (about 200 KB for GoogLeNet-lite) on each pen
//! move. `serde_wasm_bindgen` already copies each byte buffer out of wasm memory into an
//! `ArrayBuffer` of its own; posting copied them again, and the receiver's structured clone
//! read them a third time.

use serde::Serialize;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(inline_js = r#"
export function own_byte_buffers(value) {
  const buffers = new Set();
  const visit = (v) => {
    if (v instanceof Uint8Array) {
      // Only a view over all of a buffer of its own: never a view into wasm memory.
      if (v.byteOffset === 0 && v.byteLength === v.buffer.byteLength
          && v.buffer instanceof ArrayBuffer) buffers.add(v.buffer);
    } else if (Array.isArray(v) || v instanceof Map) {
      v.forEach((item) => visit(item));
    } else if (v !== null && typeof v === 'object') {
      for (const key in v) visit(v[key]);
    }
  };
  visit(value);
  return [...buffers];
}
"#)]
extern "C" {
    /// The `ArrayBuffer`s under `value` that its byte arrays have to themselves.
    fn own_byte_buffers(value: &JsValue) -> js_sys::Array;
}

/// Serializes `message` and hands it to `send` (a `postMessage` with a transfer list) with its
/// byte buffers to transfer.
pub fn post(
    message: &impl Serialize,
    send: impl FnOnce(&JsValue, &JsValue) -> Result<(), JsValue>,
) -> Result<(), String> {
    let value = serde_wasm_bindgen::to_value(message).map_err(|e| e.to_string())?;
    send(&value, &own_byte_buffers(&value)).map_err(|error| format!("{error:?}"))
}
