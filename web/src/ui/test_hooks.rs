//! `window.convscope`: timings for the benchmark and hooks for end-to-end tests.

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::engine_link;
use crate::clock::now_ms;
use crate::protocol::Request;

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

/// Called when a result reaches the page; the on-screen time is taken at the next frame,
/// after the feature maps are drawn.
pub fn record_inference(compute_ms: f64, sent_at: Option<f64>, input_at: f64) {
    let Some(hooks) = hooks() else {
        return;
    };
    let count = increment(&hooks, "inferences");
    set(&hooks, "lastComputeMs", compute_ms);
    if let Some(sent_at) = sent_at {
        set(&hooks, "lastRoundTripMs", now_ms() - sent_at);
    }
    if count == 0.0 {
        set(&hooks, "firstPredictionMs", now_ms());
    }
    let on_frame = Closure::once_into_js(move || {
        if let Some(hooks) = self::hooks() {
            set(&hooks, "lastOnScreenMs", now_ms() - input_at);
        }
    });
    if let Some(window) = web_sys::window() {
        let _ = window.request_animation_frame(on_frame.unchecked_ref());
    }
}

/// Images trained on so far in the run, with the time, for the training benchmark.
pub fn record_training(images_seen: u64) {
    if let Some(hooks) = hooks() {
        set(&hooks, "trainedImages", images_seen as f64);
        set(&hooks, "trainedAtMs", now_ms());
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
