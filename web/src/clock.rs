//! `performance.now()` on the page and in the worker.

use wasm_bindgen::JsCast;

pub fn now_ms() -> f64 {
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .ok()
        .and_then(|performance| {
            let now = js_sys::Reflect::get(&performance, &"now".into()).ok()?;
            now.dyn_ref::<js_sys::Function>()?
                .call0(&performance)
                .ok()?
                .as_f64()
        })
        .unwrap_or_else(js_sys::Date::now)
}

/// Milliseconds since the Unix epoch at `performance.now()`'s precision: one clock for the
/// page and the worker, whose `performance.now()` count from different origins.
pub fn epoch_ms() -> f64 {
    let origin = js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .ok()
        .and_then(|performance| js_sys::Reflect::get(&performance, &"timeOrigin".into()).ok())
        .and_then(|origin| origin.as_f64());
    match origin {
        Some(origin) => origin + now_ms(),
        None => js_sys::Date::now(),
    }
}
