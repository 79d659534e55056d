//! convscope in the browser. One wasm module plays two roles: on the page it is the leptos
//! UI; loaded by `engine-worker.js` in a dedicated Web Worker it is the burn engine. The same
//! crate built with `threads` (and without `webgpu`) is the engine with threads, which that
//! script loads instead for the CPU on a cross-origin isolated page.

mod clock;
mod engine;
mod fetch;
mod message;
mod protocol;
mod ui;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::wasm_bindgen;
// `initThreadPool`, which `engine-worker.js` calls before `run_engine`.
#[cfg(feature = "threads")]
pub use wasm_bindgen_rayon::init_thread_pool;

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
    }
}

/// Runs the engine in this worker. `engine-worker.js` calls it once the module is loaded and,
/// in a build with threads, once the thread pool of `cpu_threads` workers is up: a request
/// handled before that would have no pool to run on.
#[wasm_bindgen]
pub fn run_engine(cpu_threads: usize) {
    engine::worker::run(cpu_threads);
}
