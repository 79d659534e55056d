//! The page's one link to the engine worker, which any part of the page may use to send a
//! request. Answers and crashes go to the handlers given once to [`connect`]; a (re)start
//! spawns a fresh worker that reports to the same handlers.

use std::cell::RefCell;
use std::rc::Rc;

use super::engine_client::EngineClient;
use crate::protocol::{BackendChoice, Request, Response};

/// What the page does with the engine's answers and with a worker that died.
#[derive(Clone)]
pub struct Handlers {
    pub on_response: Rc<dyn Fn(Response)>,
    pub on_crash: Rc<dyn Fn(String)>,
}

#[derive(Default)]
struct Link {
    handlers: Option<Handlers>,
    client: Option<EngineClient>,
}

thread_local! {
    static LINK: RefCell<Link> = RefCell::new(Link::default());
}

pub fn connect(handlers: Handlers) {
    LINK.with(|link| link.borrow_mut().handlers = Some(handlers));
}

/// Ends the current worker, if any, and starts a new one on `backend`.
pub fn start(backend: BackendChoice) -> Result<(), String> {
    let handlers = LINK
        .with(|link| {
            let mut link = link.borrow_mut();
            link.client = None;
            link.handlers.clone()
        })
        .ok_or("the engine link has no handlers")?;
    let on_response = handlers.on_response;
    let on_crash = handlers.on_crash;
    let client = EngineClient::spawn(
        backend,
        move |response| on_response(response),
        move |message| on_crash(message),
    )?;
    client.send(&Request::Start { backend });
    LINK.with(|link| link.borrow_mut().client = Some(client));
    Ok(())
}

/// Ends the worker for good (after repeated crashes); requests are dropped until a start.
pub fn stop() {
    LINK.with(|link| link.borrow_mut().client = None);
}

pub fn is_up() -> bool {
    LINK.with(|link| link.borrow().client.is_some())
}

/// Sends a request to the engine; without a running engine it is dropped (a restart sends
/// what the engine must have again).
pub fn send(request: &Request) {
    LINK.with(|link| {
        if let Some(client) = &link.borrow().client {
            client.send(request);
        }
    });
}
