//! The worker's side of the message channel.

use futures::StreamExt;
use futures::channel::mpsc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::Engine;
use crate::protocol::{Request, Response};

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Sends a response to the page.
pub fn post(response: &Response) {
    match serde_wasm_bindgen::to_value(response) {
        Ok(message) => {
            if let Err(error) = scope().post_message(&message) {
                web_sys::console::error_2(&"convscope engine: could not post".into(), &error);
            }
        }
        Err(error) => web_sys::console::error_1(&error.to_string().into()),
    }
}

/// Runs the engine: requests are queued as they arrive and handled strictly in order.
pub fn run() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into());
        post(&Response::Panicked {
            message: info.to_string(),
        });
    }));
    let (sender, mut requests) = mpsc::unbounded::<Request>();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        match serde_wasm_bindgen::from_value::<Request>(event.data()) {
            Ok(request) => {
                let _ = sender.unbounded_send(request);
            }
            Err(error) => post(&Response::Failed {
                what: "reading a message from the page".into(),
                message: error.to_string(),
            }),
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    wasm_bindgen_futures::spawn_local(async move {
        let mut engine = Engine::default();
        loop {
            // Requests first, so a pause or an input waits at most one slice of training.
            while let Ok(request) = requests.try_recv() {
                let response = engine.handle(request).await;
                post(&response);
            }
            if engine.is_training() {
                engine.train_slice().await;
                yield_to_messages().await;
            } else {
                match requests.next().await {
                    Some(request) => {
                        let response = engine.handle(request).await;
                        post(&response);
                    }
                    None => break,
                }
            }
        }
    });
}

/// Lets the worker's event loop deliver messages: a CPU slice never awaits anything that would.
async fn yield_to_messages() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if scope()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
            .is_err()
        {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
