//! The page's side of the conversation with the engine: what was asked, what is in flight,
//! and what must be restored when the engine restarts (network, weights, input).

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use convscope::arch::{Preset, PresetKind};
use leptos::prelude::*;
use serde_bytes::ByteBuf;
use web_sys::HtmlCanvasElement;

use super::engine_client::EngineClient;
use super::i18n::Text;
use super::{AppState, WeightsState, checkpoints, download, stats, training};
use crate::clock::now_ms;
use crate::fetch::fetch_bytes;
use crate::protocol::{
    BackendChoice, DigitInput, FloatTensor, IMPORTING_WEIGHTS, LOADING_NETWORK, Request, Response,
    TRAINING,
};

/// Where the current input comes from.
#[derive(Clone)]
pub enum InputSource {
    /// The drawing canvas, read when a request is sent so only the newest strokes count.
    Canvas,
    Fixed(DigitInput),
}

/// Weights the engine holds, kept here so a restarted engine gets them back.
#[derive(Clone)]
struct HeldWeights {
    bytes: Option<Arc<Vec<u8>>>,
    state: WeightsState,
}

#[derive(Default)]
struct Session {
    client: Option<EngineClient>,
    canvas: Option<HtmlCanvasElement>,
    weights: Option<HeldWeights>,
    /// Imported bytes waiting for the engine's word.
    importing: Option<(String, Arc<Vec<u8>>)>,
    pretrained: HashMap<&'static str, Arc<Vec<u8>>>,
    input: Option<InputSource>,
    /// The inference in flight: id, start time and the input version it carries.
    in_flight: Option<(u64, f64, u64)>,
    /// Bumped on every new input: results of older inputs may show, but not replace it.
    input_version: u64,
    /// Newer input arrived while one was in flight.
    stale: bool,
    next_id: u64,
    /// Results of requests sent before the current network was loaded are dropped.
    first_valid_id: u64,
    network_ready: bool,
    /// Bumped on every network change, so a slow download cannot install an old choice.
    generation: u64,
    /// When the current input changed (for the draw-to-screen latency).
    input_changed_at: f64,
    /// The current engine was asked to load the network (at most once per start).
    network_requested: bool,
    /// Engine restarts after crashes; past a few the page stops trying.
    crashes: u32,
    /// The error shown about the current input, which a good input clears; other errors stay
    /// until dismissed.
    input_error: Option<String>,
    /// The page opens on a digit (MNIST test #0) so the feature maps show at once.
    opened: bool,
}

/// Restarts tried after engine crashes before the page gives up and says so.
const MAX_RESTARTS: u32 = 3;

thread_local! {
    static SESSION: RefCell<Session> = RefCell::new(Session::default());
}

fn with_session<R>(f: impl FnOnce(&mut Session) -> R) -> R {
    SESSION.with(|session| f(&mut session.borrow_mut()))
}

pub fn send_request(request: &Request) {
    with_session(|session| {
        if let Some(client) = &session.client {
            client.send(request);
        }
    });
}

pub fn register_canvas(canvas: HtmlCanvasElement) {
    with_session(|session| session.canvas = Some(canvas));
}

/// (Re)starts the engine on the chosen backend; the network, weights and input follow.
pub fn start_engine(state: AppState) {
    let choice = state.backend_choice.get_untracked();
    state.backend.set(None);
    with_session(|session| {
        session.client = None;
        session.in_flight = None;
        session.stale = false;
        session.network_ready = false;
        session.network_requested = false;
    });
    let client = EngineClient::spawn(
        move |response| on_response(state, response),
        move |message| on_engine_crash(state, message),
    );
    match client {
        Ok(client) => {
            client.send(&Request::Start { backend: choice });
            with_session(|session| session.client = Some(client));
        }
        Err(message) => state.error.set(Some(message)),
    }
}

fn on_engine_crash(state: AppState, message: String) {
    web_sys::console::error_1(&format!("convscope engine: {message}").into());
    training::on_engine_lost(state);
    let lang = state.lang.get_untracked();
    let on_gpu = state.backend.get_untracked().is_some_and(|b| b.webgpu);
    state.error.set(Some(format!(
        "{} ({message})",
        if on_gpu {
            Text::GpuLost.get(lang)
        } else {
            Text::EngineCrashed.get(lang)
        }
    )));
    // A crash on the GPU is treated as a lost device: the CPU takes over.
    state.backend_choice.set(BackendChoice::Cpu);
    let crashes = with_session(|session| {
        session.crashes += 1;
        session.crashes
    });
    if crashes <= MAX_RESTARTS {
        start_engine(state);
    } else {
        with_session(|session| session.client = None);
    }
}

fn on_response(state: AppState, response: Response) {
    match response {
        Response::Started(info) => {
            if let Some(reason) = &info.fallback_reason
                && state.backend_choice.get_untracked() == BackendChoice::WebGpu
            {
                state.error.set(Some(reason.clone()));
            }
            state.backend.set(Some(info));
            restore_network(state);
        }
        Response::NetworkLoaded {
            preset, kernels, ..
        } => {
            if preset != state.preset.get_untracked().name {
                return;
            }
            state.kernels.set(Some(Arc::new(kernels)));
            stats::record_network(&preset);
            with_session(|session| {
                session.network_ready = true;
                session.first_valid_id = session.next_id;
                // A run on the old network still comes back (and is dropped): rerun after it.
                session.stale |= session.in_flight.is_some();
                if !session.opened && session.input.is_none() {
                    session.input = Some(InputSource::Fixed(DigitInput::MnistTest {
                        index: Some(0),
                        class: None,
                    }));
                }
                session.opened = true;
            });
            request_inference(state);
        }
        Response::WeightsImported { kernels } => {
            state.kernels.set(Some(Arc::new(kernels)));
            training::forget_run(state, false);
            let imported = with_session(|session| session.importing.take());
            if let Some((name, bytes)) = imported {
                let weights = HeldWeights {
                    bytes: Some(bytes),
                    state: WeightsState::Imported(name),
                };
                state.weights.set(weights.state.clone());
                with_session(|session| session.weights = Some(weights));
            }
            state.error.set(None);
            request_inference(state);
        }
        Response::Exported { preset, bytes } => {
            download::save_bytes(&format!("{preset}.safetensors"), &bytes);
        }
        Response::Inferred { id, result } => {
            let (valid, started, current) = with_session(|session| {
                let mine = session.in_flight.filter(|(in_flight, ..)| *in_flight == id);
                if mine.is_some() {
                    session.in_flight = None;
                }
                let (started, version) =
                    mine.map_or((None, None), |(_, at, version)| (Some(at), Some(version)));
                let current = version == Some(session.input_version);
                (id >= session.first_valid_id, started, current)
            });
            match result {
                Ok(inference) if valid => {
                    if let (true, Some((index, _))) = (current, inference.mnist) {
                        with_session(|session| {
                            session.input = Some(InputSource::Fixed(DigitInput::MnistTest {
                                index: Some(index),
                                class: None,
                            }));
                        });
                    }
                    let compute_ms = inference.compute_ms;
                    state.inference.set(Some(Arc::new(inference)));
                    if current {
                        clear_input_error(state);
                    }
                    let (since_input, version) =
                        with_session(|s| (s.input_changed_at, s.input_version));
                    stats::record_inference(compute_ms, started, since_input);
                    if current {
                        stats::record_answer(version);
                    }
                }
                Err(message) if valid && current => {
                    state.inference.set(None);
                    show_input_error(state, message);
                    let version = with_session(|s| s.input_version);
                    stats::record_answer(version);
                }
                _ => {}
            }
            state.busy.set(false);
            let stale = with_session(|session| std::mem::take(&mut session.stale));
            if stale {
                request_inference(state);
            }
        }
        Response::Failed { what, message } if what == TRAINING => {
            training::on_failure(state, message);
        }
        Response::Failed { what, message }
            if what == LOADING_NETWORK
                && matches!(state.weights.get_untracked(), WeightsState::Restored { .. }) =>
        {
            on_damaged_checkpoint(state, message);
        }
        Response::Failed { what, message } => {
            if what == IMPORTING_WEIGHTS {
                with_session(|session| session.importing = None);
            }
            state.error.set(Some(format!("{what}: {message}")));
        }
        Response::Checkpoint {
            preset,
            bytes,
            progress,
            kernels,
        } => on_checkpoint(state, &preset, bytes.into_vec(), progress.steps, kernels),
        Response::Done => {}
        training_news @ (Response::TrainingData { .. }
        | Response::TrainingStarted { .. }
        | Response::TrainingProgress { .. }
        | Response::TestAccuracy { .. }
        | Response::TrainingHalted { .. }) => training::on_response(state, training_news),
        Response::DeviceLost { message } => {
            if state.backend.get_untracked().is_some_and(|b| b.webgpu) {
                on_engine_crash(state, message);
            }
        }
        Response::Panicked { message } => on_engine_crash(state, message),
    }
}

/// Loads the chosen network into a (re)started engine with the weights it had; a download
/// still under way loads it when it lands.
fn restore_network(state: AppState) {
    let preset = state.preset.get_untracked();
    let (held, requested) =
        with_session(|session| (session.weights.clone(), session.network_requested));
    if requested || matches!(state.weights.get_untracked(), WeightsState::Loading { .. }) {
        return;
    }
    match held {
        Some(held) => {
            state.weights.set(held.state.clone());
            send_load(preset, held.bytes.as_deref());
        }
        None => select_preset(state, preset),
    }
}

fn send_load(preset: &Preset, weights: Option<&Vec<u8>>) {
    with_session(|session| session.network_requested = session.client.is_some());
    send_request(&Request::LoadNetwork {
        preset: preset.name.to_string(),
        weights: weights.map(|b| ByteBuf::from(b.clone())),
    });
}

/// Switches to `preset` with its default weights: the ones this browser kept from training,
/// else the shipped ones for browser presets.
pub fn select_preset(state: AppState, preset: &'static Preset) {
    state.preset.set(preset);
    state.inference.set(None);
    state.kernels.set(None);
    training::forget_run(state, true);
    with_session(|session| {
        session.weights = None;
        session.network_ready = false;
    });
    let generation = next_generation();
    state.weights.set(WeightsState::Loading {
        loaded: 0,
        total: None,
    });
    leptos::task::spawn_local(async move {
        let kept = checkpoints::load(preset.name).await;
        if with_session(|session| session.generation) != generation {
            return;
        }
        match kept {
            Ok(Some(checkpoint)) => {
                let restored = WeightsState::Restored {
                    steps: checkpoint.steps,
                };
                install_weights(state, preset, Some(Arc::new(checkpoint.bytes)), restored);
            }
            Ok(None) => load_shipped_weights(state, preset, generation).await,
            Err(message) => {
                state.error.set(Some(message));
                load_shipped_weights(state, preset, generation).await;
            }
        }
    });
}

/// The weights this browser kept would not load: the shipped ones take their place, and the
/// kept record stays until a reset or the next checkpoint replaces it.
fn on_damaged_checkpoint(state: AppState, message: String) {
    let preset = state.preset.get_untracked();
    state.error.set(Some(format!(
        "the weights this browser kept for {} would not load ({message}); the shipped weights are \
         loaded instead, and a reset forgets the kept ones",
        preset.name
    )));
    with_session(|session| session.weights = None);
    let generation = next_generation();
    leptos::task::spawn_local(load_shipped_weights(state, preset, generation));
}

/// Forgets the trained weights this browser kept for the network and goes back to the
/// shipped (or random) ones.
pub fn reset_weights(state: AppState, pretrained: bool) {
    training::forget_run(state, false);
    let preset = state.preset.get_untracked();
    let generation = next_generation();
    leptos::task::spawn_local(async move {
        if let Err(message) = checkpoints::delete(preset.name).await {
            state.error.set(Some(message));
        }
        if with_session(|session| session.generation) != generation {
            return;
        }
        if pretrained {
            load_shipped_weights(state, preset, generation).await;
        } else {
            install_weights(state, preset, None, WeightsState::Random);
        }
    });
}

fn next_generation() -> u64 {
    with_session(|session| {
        session.generation += 1;
        session.generation
    })
}

async fn load_shipped_weights(state: AppState, preset: &'static Preset, generation: u64) {
    if preset.kind == PresetKind::Seed {
        install_weights(state, preset, None, WeightsState::Random);
        return;
    }
    let cached = with_session(|session| session.pretrained.get(preset.name).cloned());
    if let Some(bytes) = cached {
        install_weights(state, preset, Some(bytes), WeightsState::Pretrained);
        return;
    }
    state.weights.set(WeightsState::Loading {
        loaded: 0,
        total: None,
    });
    let url = format!("weights/{}.safetensors", preset.name);
    let downloaded = fetch_bytes(&url, |loaded, total| {
        state.weights.set(WeightsState::Loading { loaded, total });
    })
    .await;
    if with_session(|session| session.generation) != generation {
        return;
    }
    match downloaded {
        Ok(bytes) => {
            let bytes = Arc::new(bytes);
            with_session(|session| session.pretrained.insert(preset.name, bytes.clone()));
            install_weights(state, preset, Some(bytes), WeightsState::Pretrained);
        }
        Err(message) => {
            state.error.set(Some(message));
            install_weights(state, preset, None, WeightsState::Random);
        }
    }
}

/// Trained weights from the engine: held for a restart and kept in this browser.
fn on_checkpoint(state: AppState, preset: &str, bytes: Vec<u8>, steps: u64, kernels: FloatTensor) {
    if preset != state.preset.get_untracked().name {
        return;
    }
    let bytes = Arc::new(bytes);
    let trained = WeightsState::Trained { steps };
    state.weights.set(trained.clone());
    state.kernels.set(Some(Arc::new(kernels)));
    with_session(|session| {
        session.weights = Some(HeldWeights {
            bytes: Some(bytes.clone()),
            state: trained,
        })
    });
    let preset = preset.to_string();
    leptos::task::spawn_local(async move {
        match checkpoints::save(&preset, &bytes, steps).await {
            Ok(()) => stats::record_checkpoint_saved(steps),
            Err(message) => state.error.set(Some(message)),
        }
    });
}

fn install_weights(
    state: AppState,
    preset: &'static Preset,
    bytes: Option<Arc<Vec<u8>>>,
    weights_state: WeightsState,
) {
    state.weights.set(weights_state.clone());
    send_load(preset, bytes.as_deref());
    with_session(|session| {
        session.weights = Some(HeldWeights {
            bytes,
            state: weights_state,
        })
    });
}

pub fn import_weights(name: String, bytes: Vec<u8>) {
    let bytes = Arc::new(bytes);
    with_session(|session| session.importing = Some((name, bytes.clone())));
    send_request(&Request::ImportWeights {
        bytes: ByteBuf::from(bytes.as_ref().clone()),
    });
}

pub fn export_weights() {
    send_request(&Request::ExportWeights);
}

pub fn lose_gpu_device() {
    send_request(&Request::LoseGpuDevice);
}

/// Shows an error about the user's input; the next good input clears it.
pub fn show_input_error(state: AppState, message: String) {
    with_session(|session| session.input_error = Some(message.clone()));
    state.error.set(Some(message));
}

fn clear_input_error(state: AppState) {
    if let Some(message) = with_session(|session| session.input_error.take())
        && state.error.get_untracked().as_ref() == Some(&message)
    {
        state.error.set(None);
    }
}

pub fn set_input(state: AppState, input: Option<InputSource>) {
    with_session(|session| {
        session.input = input;
        session.input_changed_at = now_ms();
        session.input_version += 1;
        stats::record_input(session.input_version);
    });
    if with_session(|session| session.input.is_none()) {
        state.inference.set(None);
        return;
    }
    request_inference(state);
}

/// Runs the newest input, unless a run is in flight: then it runs when that one returns.
pub fn request_inference(state: AppState) {
    let request = with_session(|session| {
        if !session.network_ready || session.client.is_none() {
            return None;
        }
        if session.in_flight.is_some() {
            session.stale = true;
            return None;
        }
        let input = match session.input.clone()? {
            InputSource::Fixed(input) => input,
            InputSource::Canvas => canvas_input(session.canvas.as_ref()?)?,
        };
        let id = session.next_id;
        session.next_id += 1;
        session.in_flight = Some((id, now_ms(), session.input_version));
        Some(Request::Infer { id, input })
    });
    if let Some(request) = request {
        state.busy.set(true);
        send_request(&request);
    }
}

fn canvas_input(canvas: &HtmlCanvasElement) -> Option<DigitInput> {
    use wasm_bindgen::JsCast;
    let context: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d").ok()??.dyn_into().ok()?;
    let (width, height) = (canvas.width(), canvas.height());
    let data = context
        .get_image_data(0.0, 0.0, width as f64, height as f64)
        .ok()?;
    Some(DigitInput::Drawing {
        width,
        height,
        rgba: ByteBuf::from(data.data().0),
    })
}
