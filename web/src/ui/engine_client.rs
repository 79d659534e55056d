//! The page's handle on the engine worker: spawn, send, receive, terminate.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};

use super::test_hooks;
use crate::clock::epoch_ms;
use crate::message;
use crate::protocol::{BackendChoice, Request, Response};

/// The worker's script, next to `index.html` (a relative URL, so any sub-path works).
const WORKER_SCRIPT: &str = "engine-worker.js";

/// The script's URL for an engine on `backend`, which it reads to choose its module: the one
/// with threads has no WebGPU.
fn worker_url(backend: BackendChoice) -> String {
    format!("{WORKER_SCRIPT}?backend={}", backend.name())
}

pub struct EngineClient {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl EngineClient {
    /// `on_crash` hears of a worker that failed to load or died outside Rust's panic hook.
    pub fn spawn(
        backend: BackendChoice,
        on_response: impl Fn(Response) + 'static,
        on_crash: impl Fn(String) + 'static,
    ) -> Result<Self, String> {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(&worker_url(backend), &options)
            .map_err(|e| format!("could not start the engine worker: {e:?}"))?;
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let received_at = epoch_ms();
            let decoded = message::decode::<Response>(event.data());
            test_hooks::record_message(received_at, epoch_ms() - received_at);
            match decoded {
                Ok(response) => on_response(response),
                Err(error) => web_sys::console::error_1(&error.into()),
            }
        });
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            on_crash(event.message());
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Self {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    pub fn send(&self, request: &Request) {
        let send =
            |value: &_, transfer: &_| self.worker.post_message_with_transfer(value, transfer);
        if let Err(error) = message::post(request, send) {
            web_sys::console::error_1(&error.into());
        }
    }
}

impl Drop for EngineClient {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}
