//! The current input and its inference: what the input is, when to ask the engine (the
//! scheduler decides), and what an answer changes on the page. Errors about an input are
//! cleared by the next good one; other errors stay until dismissed.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;

use super::scheduler::InferenceScheduler;
use super::{AppState, engine_link, probe, test_hooks};
use crate::clock::now_ms;
use crate::protocol::{DigitInput, Inference, Request};

/// Where the current input comes from.
#[derive(Clone)]
pub enum InputSource {
    Fixed(DigitInput),
    /// Read when a request is sent, so the newest strokes of a drawing count.
    Live(Rc<dyn Fn() -> Option<DigitInput>>),
}

impl InputSource {
    fn read(&self) -> Option<DigitInput> {
        match self {
            InputSource::Fixed(input) => Some(input.clone()),
            InputSource::Live(read) => read(),
        }
    }
}

/// The input of the shown answer when it is not the drawing.
#[derive(Clone, Copy, PartialEq)]
pub enum OtherInput {
    Mnist { index: usize, label: u8 },
    Upload,
}

/// What the shown answer is about, unless it is the drawing (or there is none): for the pad's
/// caption and the figures' captions.
pub fn other_input(state: AppState) -> Option<OtherInput> {
    if state.drawing_is_input.get() {
        return None;
    }
    state.inference.with(|inference| {
        inference.as_ref().map(|inference| match inference.mnist {
            Some((index, label)) => OtherInput::Mnist { index, label },
            None => OtherInput::Upload,
        })
    })
}

#[derive(Default)]
struct CurrentInput {
    scheduler: InferenceScheduler,
    source: Option<InputSource>,
    /// When the input changed, for the draw-to-screen latency.
    changed_at_ms: f64,
    /// The error shown about the current input.
    error: Option<String>,
    /// The page opens on a digit (MNIST test #0) so the feature maps show at once.
    opened: bool,
    /// When the inference in flight was asked for (`now_ms`); `None` while none is. A late
    /// timer tells by it whether the wait it was set for is still on.
    busy_since: Option<f64>,
}

/// How long an answer may take before the page shows that it is working. A drawing's answers
/// come within a frame or two. A spinner shown for each came and went with every pen move and
/// shifted the text beside it. Each time, the browser laid out, repainted and re-layered the
/// whole page in the frame that shows the new ink: GoogLeNet-lite's, traced, took 9.9 ms of the
/// main thread with it and 3.8 ms without. And a pen press's maps waited a frame more (README,
/// "Benchmark", "Web app").
const WORKING_AFTER_MS: u64 = 300;

thread_local! {
    static CURRENT: RefCell<CurrentInput> = RefCell::new(CurrentInput::default());
}

fn with_current<R>(f: impl FnOnce(&mut CurrentInput) -> R) -> R {
    CURRENT.with(|current| f(&mut current.borrow_mut()))
}

/// Makes `source` the input (or clears it) and runs it.
pub fn set_input(state: AppState, source: Option<InputSource>) {
    let cleared = source.is_none();
    let drawing = matches!(source, Some(InputSource::Live(_)));
    if state.drawing_is_input.get_untracked() != drawing {
        state.drawing_is_input.set(drawing);
    }
    with_current(|current| current.source = source);
    if cleared {
        input_changed();
        state.inference.set(None);
    } else {
        rerun(state);
    }
}

/// The same input runs again as a new one: a probe setting changed what it runs with.
pub fn rerun(state: AppState) {
    input_changed();
    request(state);
}

fn input_changed() {
    with_current(|current| {
        current.changed_at_ms = now_ms();
        let version = current.scheduler.input_changed();
        test_hooks::record_input(version);
    });
}

/// Runs the newest input, now or when the request in flight returns.
pub fn request(state: AppState) {
    if !engine_link::is_up() {
        return;
    }
    let probe = probe::settings(state);
    let request = with_current(|current| {
        let source = current.source.clone()?;
        current
            .scheduler
            .next_request(now_ms(), || source.read())
            .map(|(id, input)| Request::Infer { id, input, probe })
    });
    if let Some(request) = request {
        set_busy(state, true);
        engine_link::send(&request);
        test_hooks::record_sent(now_ms());
    }
}

/// A network is in place: run the input on it (on the first one, MNIST test digit 0).
pub fn on_network_loaded(state: AppState) {
    with_current(|current| {
        current.scheduler.network_loaded();
        if !current.opened && current.source.is_none() {
            current.source = Some(mnist_digit(0));
        }
        current.opened = true;
    });
    request(state);
}

pub fn on_network_replaced() {
    with_current(|current| current.scheduler.network_replaced());
}

pub fn on_engine_restarted() {
    with_current(|current| current.scheduler.engine_restarted());
}

pub fn mnist_digit(index: usize) -> InputSource {
    InputSource::Fixed(DigitInput::MnistTest {
        index: Some(index),
        class: None,
    })
}

pub fn on_inferred(state: AppState, id: u64, result: Result<Inference, String>) {
    let verdict = with_current(|current| current.scheduler.on_answer(id));
    if verdict.current_network {
        match result {
            Ok(inference) => {
                if verdict.newest_input
                    && let Some((index, _)) = inference.mnist
                {
                    // A random pick stays the same digit when the network or weights change.
                    with_current(|current| current.source = Some(mnist_digit(index)));
                }
                let inference = Arc::new(inference);
                state.inference.set(Some(inference.clone()));
                let (changed_at_ms, version) = with_current(|current| {
                    (current.changed_at_ms, current.scheduler.input_version())
                });
                test_hooks::record_inference(&inference, verdict.sent_at_ms, changed_at_ms);
                if verdict.newest_input {
                    clear_input_error(state);
                    test_hooks::record_answer(version);
                }
            }
            Err(message) if verdict.newest_input => {
                state.inference.set(None);
                show_input_error(state, message);
                test_hooks::record_answer(with_current(|c| c.scheduler.input_version()));
            }
            Err(_) => {}
        }
    }
    set_busy(state, false);
    if verdict.rerun {
        request(state);
    }
}

/// Whether an inference is in flight.
pub fn is_busy() -> bool {
    with_current(|current| current.busy_since.is_some())
}

/// Marks an inference in flight (or none); a wait longer than [`WORKING_AFTER_MS`] shows.
fn set_busy(state: AppState, busy: bool) {
    if is_busy() == busy {
        return;
    }
    let since = busy.then(now_ms);
    with_current(|current| current.busy_since = since);
    match since {
        Some(since) => set_timeout(
            move || {
                if with_current(|current| current.busy_since == Some(since)) {
                    state.working.set(true);
                }
            },
            Duration::from_millis(WORKING_AFTER_MS),
        ),
        None if state.working.get_untracked() => state.working.set(false),
        None => {}
    }
}

/// The current input as the engine takes it (a drawing as it is now), for the compare view.
/// An MNIST pick is the digit the page shows, not a new random one.
pub fn current_input(state: AppState) -> Option<DigitInput> {
    if let Some((index, _)) = state
        .inference
        .with_untracked(|i| i.as_ref().and_then(|i| i.mnist))
    {
        return Some(DigitInput::MnistTest {
            index: Some(index),
            class: None,
        });
    }
    with_current(|current| current.source.as_ref()?.read())
}

/// Shows an error about the user's input; the next good input clears it.
pub fn show_input_error(state: AppState, message: String) {
    with_current(|current| current.error = Some(message.clone()));
    state.error.set(Some(message));
}

fn clear_input_error(state: AppState) {
    if let Some(message) = with_current(|current| current.error.take())
        && state.error.get_untracked().as_ref() == Some(&message)
    {
        state.error.set(None);
    }
}
