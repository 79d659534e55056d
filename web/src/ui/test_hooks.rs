//! `window.convscope`: timings for the benchmark and hooks for end-to-end tests.

use js_sys::{Float32Array, Function, Object, Reflect};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::engine_link;
use crate::clock::{epoch_ms, now_ms};
use crate::protocol::{ComparedNetwork, Inference, Request};

fn hooks() -> Option<Object> {
    let window = web_sys::window()?;
    Reflect::get(&window, &"convscope".into())
        .ok()
        .filter(|v| v.is_object())
        .map(Object::from)
}

fn set(object: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(object, &key.into(), &value.into());
}

pub fn install() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let hooks = Object::new();
    let lose = Closure::<dyn Fn()>::new(|| engine_link::send(&Request::LoseGpuDevice));
    set(
        &hooks,
        "loseGpuDevice",
        Function::from(lose.into_js_value()),
    );
    set(&hooks, "inferences", 0);
    let _ = Reflect::set(&window, &"convscope".into(), &hooks);
}

/// Adds one to a counter of the hooks; returns its value before.
fn increment(hooks: &Object, key: &str) -> f64 {
    let count = Reflect::get(hooks, &key.into())
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0);
    set(hooks, key, count + 1.0);
    count
}

/// Counts network loads, so tests can wait for a network to be in place.
pub fn record_network(preset: &str) {
    if let Some(hooks) = hooks() {
        increment(&hooks, "networksLoaded");
        set(&hooks, "network", preset);
    }
}

/// Counts inputs, so a test can wait for the result of its own.
pub fn record_input(version: u64) {
    if let Some(hooks) = hooks() {
        set(&hooks, "inputVersion", version as f64);
    }
}

/// The newest input has its answer (a result or an error).
pub fn record_answer(input_version: u64) {
    if let Some(hooks) = hooks() {
        set(&hooks, "answeredInput", input_version as f64);
    }
}

thread_local! {
    /// The newest message from the engine: when it reached the page (`clock::epoch_ms`) and
    /// how long decoding it took.
    static LAST_MESSAGE: std::cell::Cell<(f64, f64)> = const { std::cell::Cell::new((0.0, 0.0)) };
    /// When the newest inference request had been read and posted (`now_ms`).
    static LAST_SENT: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
    /// When a canvas last got new pixels (`now_ms`).
    static LAST_PIXELS_PUT: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

/// A canvas got new pixels: the latest of these after an answer is when its maps were drawn.
pub fn record_pixels_put() {
    LAST_PIXELS_PUT.with(|last| last.set(now_ms()));
}

/// An inference request has gone to the engine.
pub fn record_sent(at: f64) {
    LAST_SENT.with(|last| last.set(at));
}

/// Every message from the engine passes here, so an inference's trip can be timed.
pub fn record_message(received_at: f64, decode_ms: f64) {
    LAST_MESSAGE.with(|last| last.set((received_at, decode_ms)));
}

/// Called when a result reaches the page. `lastStages` says where the time went from the
/// input to the maps (page clock and worker clock meet on `clock::epoch_ms`): `render` ends
/// when the page has drawn every tap (the last canvas given pixels before the first task
/// after the re-render's microtasks), and `lastOnScreenMs` at the next frame, when that is
/// shown. `lastProbabilities` are the answer's own floats, for comparing a backend's numbers
/// with the CLI's.
pub fn record_inference(inference: &Inference, sent_at: Option<f64>, input_at: f64) {
    let Some(hooks) = hooks() else {
        return;
    };
    let timing = &inference.timing;
    let count = increment(&hooks, "inferences");
    set(&hooks, "lastComputeMs", inference.compute_ms);
    set(
        &hooks,
        "lastProbabilities",
        Float32Array::from(&inference.probabilities[..]),
    );
    if let Some(sent_at) = sent_at {
        set(&hooks, "lastRoundTripMs", now_ms() - sent_at);
    }
    if count == 0.0 {
        set(&hooks, "firstPredictionMs", now_ms());
    }
    let page_origin = epoch_ms() - now_ms();
    let (received_at, decode_ms) = LAST_MESSAGE.with(|last| last.get());
    let stages = Object::new();
    // The request in flight was sent last (a newer input waits for this answer).
    if sent_at.is_some() {
        let sent = LAST_SENT.with(|last| last.get());
        set(&stages, "inputToSend", sent - input_at);
        set(
            &stages,
            "toWorker",
            timing.started_at - (page_origin + sent),
        );
    }
    set(&stages, "preprocess", timing.preprocess_ms);
    set(&stages, "forward", timing.forward_ms);
    set(&stages, "readback", timing.readback_ms);
    set(&stages, "explain", timing.explain_ms);
    set(&stages, "package", timing.package_ms);
    set(&stages, "toPage", received_at - timing.finished_at);
    set(&stages, "decode", decode_ms);
    let rendered = Closure::once_into_js(move || {
        if let Some(hooks) = self::hooks() {
            // This task can come after a frame the browser drew meanwhile; the maps were
            // drawn before it, when the last canvas got its pixels.
            let decoded = received_at - page_origin + decode_ms;
            let last_put = LAST_PIXELS_PUT.with(|last| last.get());
            let drawn = if last_put > decoded {
                last_put
            } else {
                now_ms()
            };
            set(&stages, "render", drawn - decoded);
            set(&stages, "total", drawn - input_at);
            set(&hooks, "lastStages", stages);
            set(&hooks, "lastMapsDrawnMs", drawn - input_at);
        }
    });
    after_microtasks(rendered);
    let on_frame = Closure::once_into_js(move || {
        if let Some(hooks) = self::hooks() {
            set(&hooks, "lastOnScreenMs", now_ms() - input_at);
        }
    });
    if let Some(window) = web_sys::window() {
        let _ = window.request_animation_frame(on_frame.unchecked_ref());
    }
}

/// Calls `callback` in a task of its own: after every microtask queued so far, which is where
/// leptos's effects redraw the maps.
fn after_microtasks(callback: JsValue) {
    let Ok(channel) = web_sys::MessageChannel::new() else {
        return;
    };
    channel
        .port1()
        .set_onmessage(Some(callback.unchecked_ref()));
    let _ = channel.port2().post_message(&JsValue::NULL);
}

/// Images trained on so far in the run, with the time, for the training benchmark.
pub fn record_training(images_seen: u64) {
    if let Some(hooks) = hooks() {
        set(&hooks, "trainedImages", images_seen as f64);
        set(&hooks, "trainedAtMs", now_ms());
    }
}

/// A comparison came back: `comparisons` counts them, `lastComparedMs` holds each network's
/// time (logits only: its input, forward pass and readback), by preset name.
pub fn record_comparison(networks: &[ComparedNetwork]) {
    if let Some(hooks) = hooks() {
        increment(&hooks, "comparisons");
        let times = Object::new();
        for network in networks {
            set(&times, &network.preset, network.compute_ms);
        }
        set(&hooks, "lastComparedMs", times);
    }
}

/// The training steps of the newest checkpoint written to IndexedDB.
pub fn record_checkpoint_saved(steps: u64) {
    if let Some(hooks) = hooks() {
        set(&hooks, "savedSteps", steps as f64);
    }
}

/// Every test-accuracy point of the run, with the time it arrived (`[step, accuracy, full, ms]`).
pub fn record_accuracy(step: u64, accuracy: f64, full: bool) {
    let Some(hooks) = hooks() else {
        return;
    };
    let points = Reflect::get(&hooks, &"accuracyPoints".into())
        .ok()
        .and_then(|points| points.dyn_into::<js_sys::Array>().ok())
        .unwrap_or_else(|| {
            let points = js_sys::Array::new();
            set(&hooks, "accuracyPoints", &points);
            points
        });
    let point = js_sys::Array::of4(
        &(step as f64).into(),
        &accuracy.into(),
        &full.into(),
        &now_ms().into(),
    );
    points.push(&point);
}

/// The images (all lanes together) of the race last kept in IndexedDB, so a test can reload
/// once the race it paused is safe.
pub fn record_race_saved(images: u64) {
    if let Some(hooks) = hooks() {
        set(&hooks, "raceSavedImages", images as f64);
    }
}
