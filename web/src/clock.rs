//! `performance.now()` on the page and in the worker.
//!
//! Bound once, not looked up by name at each call: the page reads the clock for every canvas
//! it paints, and a name passed from Rust is a string decoded in JavaScript each time.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
extern "C" {
    type Performance;

    /// The global `performance` of the page or the worker; `None` where there is none.
    #[wasm_bindgen(thread_local_v2, js_name = performance)]
    static PERFORMANCE: Option<Performance>;

    #[wasm_bindgen(method)]
    fn now(this: &Performance) -> f64;

    #[wasm_bindgen(method, getter, js_name = timeOrigin)]
    fn time_origin(this: &Performance) -> f64;
}

pub fn now_ms() -> f64 {
    PERFORMANCE.with(|performance| match performance {
        Some(performance) => performance.now(),
        None => js_sys::Date::now(),
    })
}

/// Milliseconds since the Unix epoch at `performance.now()`'s precision: one clock for the
/// page and the worker, whose `performance.now()` count from different origins.
pub fn epoch_ms() -> f64 {
    PERFORMANCE.with(|performance| match performance {
        Some(performance) => performance.time_origin() + performance.now(),
        None => js_sys::Date::now(),
    })
}
