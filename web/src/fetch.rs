//! `fetch` that works on the page and in the worker, with download progress.

use js_sys::{Function, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStreamDefaultReader, Response};

fn describe(error: JsValue) -> String {
    error
        .as_string()
        .or_else(|| {
            error
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| format!("{error:?}"))
}

/// Fetches `url` (relative to the page or worker script) and calls `progress(loaded, total)`
/// as bytes arrive; `total` is the Content-Length when the server sends one.
pub async fn fetch_bytes(
    url: &str,
    mut progress: impl FnMut(u64, Option<u64>),
) -> Result<Vec<u8>, String> {
    let global = js_sys::global();
    let fetch: Function = Reflect::get(&global, &"fetch".into())
        .map_err(describe)?
        .dyn_into()
        .map_err(|_| "this browser has no fetch".to_string())?;
    let promise: js_sys::Promise = fetch
        .call1(&global, &url.into())
        .map_err(describe)?
        .unchecked_into();
    let response: Response = JsFuture::from(promise)
        .await
        .map_err(|e| format!("could not download {url}: {}", describe(e)))?
        .unchecked_into();
    if !response.ok() {
        return Err(format!(
            "could not download {url}: HTTP {}",
            response.status()
        ));
    }
    let total = response
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|length| length.parse::<u64>().ok());
    let Some(body) = response.body() else {
        return Ok(Vec::new());
    };
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut bytes = Vec::with_capacity(total.unwrap_or(0) as usize);
    progress(0, total);
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|e| format!("download of {url} broke off: {}", describe(e)))?;
        let done = Reflect::get(&chunk, &"done".into())
            .map(|d| d.is_truthy())
            .unwrap_or(true);
        if done {
            break;
        }
        let value: Uint8Array = Reflect::get(&chunk, &"value".into())
            .map_err(describe)?
            .unchecked_into();
        let start = bytes.len();
        bytes.resize(start + value.length() as usize, 0);
        value.copy_to(&mut bytes[start..]);
        progress(bytes.len() as u64, total);
    }
    Ok(bytes)
}
