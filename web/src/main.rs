//! convscope in the browser. One wasm module plays two roles: on the page it is the leptos
//! UI; loaded by `engine-worker.js` in a dedicated Web Worker it is the burn engine.

mod clock;
mod engine;
mod fetch;
mod protocol;
mod ui;

use wasm_bindgen::JsCast;

fn main() {
    if js_sys::global().dyn_ref::<web_sys::Window>().is_some() {
        ui::mount();
    } else {
        engine::worker::run();
    }
}
