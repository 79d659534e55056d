//! convscope in the browser. One wasm module plays two roles: on the page it is the leptos
//! UI; loaded by `engine-worker.js` in a dedicated Web Worker it is the burn engine.

mod clock;
mod engine;
mod fetch;
mod protocol;
mod ui;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::wasm_bindgen;

unsafe extern "C" {
    /// The static constructors (burn/cubecl fill registries through `inventory`), synthesized
    /// by wasm-ld.
    fn __wasm_call_ctors();
}

#[wasm_bindgen(start)]
fn start() {
    // Calling the constructors once, here, matters: when nothing calls them, wasm-ld wraps
    // every export in a call to them, so each call from JS into wasm rebuilt the registries
    // (tens of ms per call, most of a round trip between page and worker).
    unsafe { __wasm_call_ctors() };
    if js_sys::global().dyn_ref::<web_sys::Window>().is_some() {
        ui::mount();
    } else {
        engine::worker::run();
    }
}
