//! The worker's side of the message channel.

use futures::StreamExt;
use futures::channel::mpsc;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageChannel, MessageEvent};

use super::Engine;
use crate::message;
use crate::protocol::{Operation, Request, Response};

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Where every answer of the engine goes: to the page, through the worker's `postMessage`.
/// The engine, its training run and the GPU's device-lost callback all post through a copy.
#[derive(Clone, Copy, Default)]
pub struct Outbox;

impl Outbox {
    pub fn post(&self, response: &Response) {
        let send = |value: &_, transfer: &_| scope().post_message_with_transfer(value, transfer);
        let posted = if response.carries_weights_file() {
            message::post(response, send)
        } else {
            message::post_encoded(response, send)
        };
        if let Err(error) = posted {
            web_sys::console::error_2(&"convscope engine: could not post".into(), &error.into());
        }
    }
}

/// Runs the engine: requests are queued as they arrive and handled strictly in order.
pub fn run(cpu_threads: usize) {
    let outbox = Outbox;
    std::panic::set_hook(Box::new(move |info| {
        web_sys::console::error_1(&info.to_string().into());
        outbox.post(&Response::Panicked {
            message: info.to_string(),
        });
    }));
    let (sender, mut requests) = mpsc::unbounded::<Request>();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        match message::decode::<Request>(event.data()) {
            Ok(request) => {
                let _ = sender.unbounded_send(request);
            }
            Err(error) => outbox.post(&Response::Failed {
                operation: Operation::ReadingMessage,
                message: error,
            }),
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    wasm_bindgen_futures::spawn_local(async move {
        let mut engine = Engine::new(outbox, cpu_threads);
        loop {
            // Requests first, so a pause or an input waits at most one slice of background work.
            while let Ok(request) = requests.try_recv() {
                engine.handle(request).await;
            }
            if engine.has_background_work() {
                engine.background_slice().await;
                yield_to_messages().await;
            } else {
                match requests.next().await {
                    Some(request) => engine.handle(request).await,
                    None => break,
                }
            }
        }
    });
}

/// Lets the worker's event loop deliver messages: a CPU slice never awaits anything that would.
/// A message through a channel, not `setTimeout(0)`: browsers clamp nested timers to 4 ms or more
/// (and may throttle them further in hidden pages); a message is delivered as soon as we yield.
async fn yield_to_messages() {
    let Ok(channel) = MessageChannel::new() else {
        return;
    };
    let promise =
        js_sys::Promise::new(&mut |resolve, _| channel.port1().set_onmessage(Some(&resolve)));
    if channel.port2().post_message(&JsValue::NULL).is_err() {
        return;
    }
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    channel.port1().close();
}
