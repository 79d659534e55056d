//! Offline use: the page registers the service worker the build writes (`sw.js`), which keeps
//! the app, its weights and the MNIST test set; once it is active the page says so.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::i18n::Text;
use super::{AppState, use_state};

const SERVICE_WORKER: &str = "./sw.js";

fn get(target: &JsValue, name: &str) -> Option<JsValue> {
    js_sys::Reflect::get(target, &name.into())
        .ok()
        .filter(|value| !value.is_undefined() && !value.is_null())
}

/// `navigator.serviceWorker.register(url)`, then `navigator.serviceWorker.ready`; through JS,
/// as web-sys's service worker bindings are not otherwise needed.
async fn register_and_wait() -> Result<(), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    // Absent outside secure contexts (and where the browser blocks it): no offline use.
    let container = get(&window.navigator(), "serviceWorker").ok_or("no service workers")?;
    let register = get(&container, "register")
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or("no register")?;
    let registered = register.call1(&container, &SERVICE_WORKER.into())?;
    JsFuture::from(js_sys::Promise::from(registered)).await?;
    let ready = get(&container, "ready").ok_or("no ready")?;
    JsFuture::from(js_sys::Promise::from(ready)).await?;
    Ok(())
}

pub fn keep_for_offline(state: AppState) {
    leptos::task::spawn_local(async move {
        match register_and_wait().await {
            Ok(()) => state.offline_ready.set(true),
            Err(reason) => {
                web_sys::console::info_2(&"convscope works online only:".into(), &reason)
            }
        }
    });
}

/// Says that the app now works without a network.
#[component]
pub fn OfflineBadge() -> impl IntoView {
    let state = use_state();
    view! {
        <Show when=move || state.offline_ready.get()>
            <span class="offline-ready" data-testid="offline-ready" title=move || state.text(Text::OfflineReadyHelp)>
                {move || state.text(Text::OfflineReady)}
            </span>
        </Show>
    }
}
