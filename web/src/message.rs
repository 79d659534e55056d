//! Messages between the page and the engine worker, posted with their byte buffers transferred,
//! not copied, in one of two forms:
//!
//! - **One postcard buffer** ([`post_encoded`]): an inference's answer, on every pen move, is a
//!   tree of about 60 taps (GoogLeNet-lite), each a name, a shape and its values. As a JS value
//!   it was hundreds of objects and strings, built in the worker, cloned across and read back
//!   on the page; as bytes it is one copy out of wasm memory and one in.
//! - **A JS value** ([`post`]): for messages that carry a file (a weights file can be hundreds of
//!   megabytes), whose bytes `serde_wasm_bindgen` copies straight into an `ArrayBuffer`, where
//!   encoding them first would hold a second copy in wasm memory.
//!
//! [`decode`] reads either.

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

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

/// Serializes `message` as a JS value and hands it to `send` (a `postMessage` with a transfer
/// list) with its byte buffers to transfer.
pub fn post(
    message: &impl Serialize,
    send: impl FnOnce(&JsValue, &JsValue) -> Result<(), JsValue>,
) -> Result<(), String> {
    let value = serde_wasm_bindgen::to_value(message).map_err(|e| e.to_string())?;
    send(&value, &own_byte_buffers(&value)).map_err(|error| format!("{error:?}"))
}

/// Encodes `message` with postcard and hands the bytes to `send`, their buffer to transfer.
pub fn post_encoded(
    message: &impl Serialize,
    send: impl FnOnce(&JsValue, &JsValue) -> Result<(), JsValue>,
) -> Result<(), String> {
    let bytes = postcard::to_allocvec(message).map_err(|e| e.to_string())?;
    let array = js_sys::Uint8Array::from(&bytes[..]);
    send(&array, &js_sys::Array::of1(&array.buffer())).map_err(|error| format!("{error:?}"))
}

/// A message as [`post_encoded`] or [`post`] sent it (or as script wrote it, a plain value).
pub fn decode<T: DeserializeOwned>(data: JsValue) -> Result<T, String> {
    match data.dyn_into::<js_sys::Uint8Array>() {
        Ok(bytes) => postcard::from_bytes(&bytes.to_vec()).map_err(|e| e.to_string()),
        Err(value) => serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string()),
    }
}
