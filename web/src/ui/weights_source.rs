//! Where the network's weights come from: the checkpoint this browser kept, else the shipped
//! file (downloaded once per visit), else random; a user's import; the engine's checkpoints
//! while training. It keeps the bytes the engine holds, so a restarted engine gets them back,
//! and numbers each network it asks for, so late answers and downloads about an earlier
//! choice are told apart by one rule.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use convscope::arch::{Preset, PresetKind};
use leptos::prelude::*;
use serde_bytes::ByteBuf;

use super::{
    AppState, WeightsState, checkpoints, engine_link, inference, probe, test_hooks, training,
};
use crate::fetch::fetch_bytes;
use crate::protocol::{FloatTensor, NetworkId, Request};

/// Weights the engine holds, kept here for an engine restart.
#[derive(Clone)]
struct HeldWeights {
    bytes: Option<Arc<Vec<u8>>>,
    state: WeightsState,
}

#[derive(Default)]
struct Source {
    /// The network the page wants; bumped by every change of network or weights source.
    network: NetworkId,
    held: Option<HeldWeights>,
    /// Imported bytes waiting for the engine's word.
    importing: Option<(String, Arc<Vec<u8>>)>,
    shipped: HashMap<&'static str, Arc<Vec<u8>>>,
    /// The running engine was asked to load the network (at most once per engine).
    load_sent: bool,
}

thread_local! {
    static SOURCE: RefCell<Source> = RefCell::new(Source::default());
}

fn with_source<R>(f: impl FnOnce(&mut Source) -> R) -> R {
    SOURCE.with(|source| f(&mut source.borrow_mut()))
}

/// A new choice: answers and downloads about earlier ones no longer count.
fn next_network() -> NetworkId {
    with_source(|source| {
        source.network = NetworkId(source.network.0 + 1);
        source.network
    })
}

fn is_current(network: NetworkId) -> bool {
    with_source(|source| source.network == network)
}

/// Switches to `preset` with its default weights: the ones this browser kept from training,
/// else the shipped ones for browser presets.
pub fn select_preset(state: AppState, preset: &'static Preset) {
    if state.preset.get_untracked().name != preset.name {
        probe::on_network_replaced(state);
    }
    state.preset.set(preset);
    training::follow_preset(state, preset);
    state.inference.set(None);
    state.kernels.set(None);
    training::forget_run(state, true);
    // Already while the new weights are found, not only once they are sent.
    inference::on_network_replaced();
    with_source(|source| source.held = None);
    let network = next_network();
    state.weights.set(WeightsState::Loading {
        loaded: 0,
        total: None,
    });
    leptos::task::spawn_local(async move {
        let kept = checkpoints::load(preset.name).await;
        if !is_current(network) {
            return;
        }
        match kept {
            Ok(Some(checkpoint)) => {
                let restored = WeightsState::Restored {
                    steps: checkpoint.steps,
                };
                install(state, preset, Some(Arc::new(checkpoint.bytes)), restored);
            }
            Ok(None) => load_shipped(state, preset, network).await,
            Err(message) => {
                state.error.set(Some(message));
                load_shipped(state, preset, network).await;
            }
        }
    });
}

/// Forgets the trained weights this browser kept for the network and goes back to the
/// shipped (or random) ones.
pub fn reset(state: AppState, shipped: bool) {
    reset_then(state, shipped, || {});
}

/// A reset, then `then` once the engine has been asked to load the new weights (it handles
/// requests in order, so whatever `then` asks for runs on them); not when another choice came
/// first.
pub fn reset_then(state: AppState, shipped: bool, then: impl FnOnce() + 'static) {
    training::forget_run(state, false);
    let preset = state.preset.get_untracked();
    let network = next_network();
    leptos::task::spawn_local(async move {
        if let Err(message) = checkpoints::delete(preset.name).await {
            state.error.set(Some(message));
        }
        if !is_current(network) {
            return;
        }
        if shipped {
            load_shipped(state, preset, network).await;
        } else {
            install(state, preset, None, WeightsState::Random);
        }
        if is_current(network) {
            then();
        }
    });
}

async fn load_shipped(state: AppState, preset: &'static Preset, network: NetworkId) {
    if preset.kind == PresetKind::Seed {
        install(state, preset, None, WeightsState::Random);
        return;
    }
    if let Some(bytes) = with_source(|source| source.shipped.get(preset.name).cloned()) {
        install(state, preset, Some(bytes), WeightsState::Pretrained);
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
    if !is_current(network) {
        return;
    }
    match downloaded {
        Ok(bytes) => {
            let bytes = Arc::new(bytes);
            with_source(|source| source.shipped.insert(preset.name, bytes.clone()));
            install(state, preset, Some(bytes), WeightsState::Pretrained);
        }
        Err(message) => {
            state.error.set(Some(message));
            install(state, preset, None, WeightsState::Random);
        }
    }
}

/// Holds `bytes` (random weights when `None`) and asks the engine to load them.
fn install(
    state: AppState,
    preset: &'static Preset,
    bytes: Option<Arc<Vec<u8>>>,
    weights: WeightsState,
) {
    state.weights.set(weights.clone());
    with_source(|source| {
        source.held = Some(HeldWeights {
            bytes,
            state: weights,
        })
    });
    send_load(preset);
}

/// Every load goes out here: a reset, a restore or the shipped weights after kept ones failed
/// replace the network as a preset switch does, so an answer the old one gives meanwhile is
/// not taken for the new one's.
fn send_load(preset: &Preset) {
    inference::on_network_replaced();
    let (network, bytes) = with_source(|source| {
        source.load_sent = engine_link::is_up();
        let bytes = source.held.as_ref().and_then(|held| held.bytes.clone());
        (source.network, bytes)
    });
    engine_link::send(&Request::LoadNetwork {
        network,
        preset: preset.name.to_string(),
        weights: bytes.map(|bytes| ByteBuf::from(bytes.as_ref().clone())),
    });
}

pub fn on_engine_restarted() {
    with_source(|source| source.load_sent = false);
}

/// A (re)started engine gets the network and the weights it had; a download still under
/// way loads them when it lands.
pub fn restore(state: AppState) {
    let preset = state.preset.get_untracked();
    let (held, sent) = with_source(|source| (source.held.clone(), source.load_sent));
    if sent || matches!(state.weights.get_untracked(), WeightsState::Loading { .. }) {
        return;
    }
    match held {
        Some(held) => {
            state.weights.set(held.state);
            send_load(preset);
        }
        None => select_preset(state, preset),
    }
}

/// Whether a loaded network is the one the page wants now.
pub fn on_network_loaded(state: AppState, network: NetworkId, kernels: FloatTensor) -> bool {
    if !is_current(network) {
        return false;
    }
    state.kernels.set(Some(Arc::new(kernels)));
    test_hooks::record_network(state.preset.get_untracked().name);
    true
}

/// The network would not load. When it had weights this browser kept, the shipped ones take
/// their place (the kept record stays until a reset or the next checkpoint replaces it) and
/// this says so; else it returns `false` and the caller reports the failure.
pub fn on_load_failed(state: AppState, message: &str) -> bool {
    if !matches!(state.weights.get_untracked(), WeightsState::Restored { .. }) {
        return false;
    }
    let preset = state.preset.get_untracked();
    state.error.set(Some(format!(
        "the weights this browser kept for {} would not load ({message}); the shipped weights are \
         loaded instead, and a reset forgets the kept ones",
        preset.name
    )));
    with_source(|source| source.held = None);
    let network = next_network();
    leptos::task::spawn_local(load_shipped(state, preset, network));
    true
}

pub fn import(name: String, bytes: Vec<u8>) {
    let bytes = Arc::new(bytes);
    with_source(|source| source.importing = Some((name, bytes.clone())));
    engine_link::send(&Request::ImportWeights {
        bytes: ByteBuf::from(bytes.as_ref().clone()),
    });
}

pub fn on_imported(state: AppState, kernels: FloatTensor) {
    state.kernels.set(Some(Arc::new(kernels)));
    training::forget_run(state, false);
    if let Some((name, bytes)) = with_source(|source| source.importing.take()) {
        let weights = WeightsState::Imported(name);
        state.weights.set(weights.clone());
        with_source(|source| {
            source.held = Some(HeldWeights {
                bytes: Some(bytes),
                state: weights,
            })
        });
    }
    state.error.set(None);
    inference::request(state);
}

pub fn on_import_failed() {
    with_source(|source| source.importing = None);
}

pub fn export() {
    engine_link::send(&Request::ExportWeights);
}

/// Trained weights from the engine: held for a restart and kept in this browser.
pub fn on_checkpoint(
    state: AppState,
    network: NetworkId,
    bytes: Vec<u8>,
    steps: u64,
    kernels: FloatTensor,
) {
    if !is_current(network) {
        return;
    }
    let bytes = Arc::new(bytes);
    let trained = WeightsState::Trained { steps };
    state.weights.set(trained.clone());
    let kernels = Arc::new(kernels);
    state.kernels.set(Some(kernels.clone()));
    training::record_frame(state, steps, kernels);
    with_source(|source| {
        source.held = Some(HeldWeights {
            bytes: Some(bytes.clone()),
            state: trained,
        })
    });
    let preset = state.preset.get_untracked().name;
    leptos::task::spawn_local(async move {
        match checkpoints::save(preset, &bytes, steps).await {
            Ok(()) => test_hooks::record_checkpoint_saved(steps),
            Err(message) => state.error.set(Some(message)),
        }
    });
}
