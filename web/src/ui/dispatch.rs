//! The engine's answers, each handed to the part of the page it concerns; and (re)starting
//! the engine, which resets what those parts expect of it.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;

use super::engine_link::{self, Handlers};
use super::i18n::Text;
use super::{
    AppState, compare, download, inference, pixel_math, probe, race, training, weights_source,
};
use crate::protocol::{BackendChoice, Operation, Response};

/// Restarts tried after engine crashes before the page gives up and says so.
const MAX_RESTARTS: u32 = 3;

thread_local! {
    static CRASHES: Cell<u32> = const { Cell::new(0) };
}

/// Connects the page to the engine and starts it on the chosen backend.
pub fn start(state: AppState) {
    engine_link::connect(Handlers {
        on_response: Rc::new(move |response| on_response(state, response)),
        on_crash: Rc::new(move |message| on_crash(state, message)),
    });
    restart_engine(state);
}

/// (Re)starts the engine on the chosen backend; the network, weights and input follow once
/// it reports that it started.
pub fn restart_engine(state: AppState) {
    state.backend.set(None);
    inference::on_engine_restarted();
    weights_source::on_engine_restarted();
    if let Err(message) = engine_link::start(state.backend_choice.get_untracked()) {
        state.error.set(Some(message));
    }
}

fn on_crash(state: AppState, message: String) {
    web_sys::console::error_1(&format!("convscope engine: {message}").into());
    training::on_engine_lost(state);
    let on_gpu = state.backend.get_untracked().is_some_and(|b| b.webgpu);
    let crashes = CRASHES.get() + 1;
    CRASHES.set(crashes);
    let what = if crashes > MAX_RESTARTS {
        Text::EngineGaveUp
    } else if on_gpu {
        Text::GpuLost
    } else {
        Text::EngineCrashed
    };
    state
        .error
        .set(Some(format!("{} ({message})", state.text(what))));
    // A crash on the GPU is treated as a lost device: the CPU takes over.
    state.backend_choice.set(BackendChoice::Cpu);
    if crashes <= MAX_RESTARTS {
        restart_engine(state);
    } else {
        engine_link::stop();
    }
}

fn operation_text(operation: Operation) -> Text {
    match operation {
        Operation::ReadingMessage => Text::OpReadingMessage,
        Operation::LoadingNetwork => Text::OpLoadingNetwork,
        Operation::ImportingWeights => Text::OpImportingWeights,
        Operation::ExportingWeights => Text::OpExportingWeights,
        Operation::LosingGpuDevice => Text::OpLosingGpuDevice,
        Operation::Training => Text::OpTraining,
        Operation::KnockoutAccuracy => Text::OpKnockoutAccuracy,
        Operation::TopExamples => Text::OpTopExamples,
        Operation::Race => Text::OpRace,
    }
}

fn on_failure(state: AppState, operation: Operation, message: String) {
    match operation {
        Operation::Training => return training::on_failure(state, message),
        Operation::Race => return race::on_failure(state, message),
        Operation::LoadingNetwork if weights_source::on_load_failed(state, &message) => return,
        Operation::ImportingWeights => weights_source::on_import_failed(),
        Operation::KnockoutAccuracy | Operation::TopExamples => probe::on_job_failed(state),
        _ => {}
    }
    let what = state.text(operation_text(operation));
    state.error.set(Some(format!("{what}: {message}")));
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
            race::on_engine_restarted(state);
            weights_source::restore(state);
        }
        Response::NetworkLoaded { network, kernels } => {
            if weights_source::on_network_loaded(state, network, kernels) {
                inference::on_network_loaded(state);
            }
        }
        Response::WeightsImported { kernels } => weights_source::on_imported(state, kernels),
        Response::Exported { preset, bytes } => {
            download::save_bytes(&format!("{preset}.safetensors"), &bytes);
        }
        Response::Inferred { id, result } => inference::on_inferred(state, id, result),
        Response::Compared { id, result } => compare::on_compared(state, id, result),
        Response::PixelExplained { inference, result } => {
            pixel_math::on_explained(state, inference, result)
        }
        probe_news @ (Response::KnockoutProgress { .. }
        | Response::KnockoutAccuracyDone { .. }
        | Response::ShiftCurves { .. }
        | Response::TopExamplesProgress { .. }
        | Response::TopExamplesDone { .. }
        | Response::ActivationMaximized { .. }) => probe::on_response(state, probe_news),
        Response::Failed { operation, message } => on_failure(state, operation, message),
        Response::Checkpoint {
            network,
            bytes,
            progress,
            kernels,
        } => {
            weights_source::on_checkpoint(state, network, bytes.into_vec(), progress.steps, kernels)
        }
        Response::Done => {}
        training_news @ (Response::TrainingData { .. }
        | Response::TrainingStarted { .. }
        | Response::TrainingProgress { .. }
        | Response::TestAccuracy { .. }
        | Response::TrainingHalted { .. }) => training::on_response(state, training_news),
        Response::DeviceLost { message } => {
            if state.backend.get_untracked().is_some_and(|b| b.webgpu) {
                on_crash(state, message);
            }
        }
        race_news @ (Response::RaceStarted { .. }
        | Response::RaceProgress { .. }
        | Response::RaceCheckpoint { .. }
        | Response::RaceHalted { .. }) => race::on_response(state, race_news),
        Response::Panicked { message } => on_crash(state, message),
    }
}
