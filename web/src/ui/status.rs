//! The engine's status: backend badge and switch, language switch, the error banner.

use leptos::prelude::*;

use super::engine_text::localized;
use super::i18n::{Lang, Text};
use super::{dispatch, settings, use_state};
use crate::protocol::BackendChoice;

#[component]
pub fn BackendBadge() -> impl IntoView {
    let state = use_state();
    let text = move || match state.backend.get() {
        None => state.text(Text::Starting).to_string(),
        Some(info) if info.webgpu => format!("WebGPU · {}", info.adapter),
        Some(info) if info.cpu_threads > 1 => format!(
            "CPU · {} · {} {}",
            info.adapter,
            info.cpu_threads,
            state.text(Text::CpuThreads)
        ),
        Some(info) => format!("CPU · {}", info.adapter),
    };
    let title = move || {
        state
            .backend
            .get()
            .and_then(|info| info.fallback_reason)
            .unwrap_or_default()
    };
    view! {
        <span
            class="badge"
            class:gpu=move || state.backend.get().is_some_and(|b| b.webgpu)
            data-testid="backend-badge"
            title=title
            role="status"
        >
            {text}
        </span>
    }
}

#[component]
pub fn BackendPicker() -> impl IntoView {
    let state = use_state();
    let caption = |choice| match choice {
        BackendChoice::Auto => Text::BackendAuto,
        BackendChoice::WebGpu => Text::BackendWebGpu,
        BackendChoice::Cpu => Text::BackendCpu,
    };
    let on_change = move |event| {
        if let Some(choice) = BackendChoice::from_name(&event_target_value(&event)) {
            settings::save_backend(choice);
            state.backend_choice.set(choice);
            dispatch::restart_engine(state);
        }
    };
    view! {
        <label class="field backend-field">
            <span>{move || state.text(Text::Backend)}</span>
            <select data-testid="backend-select" on:change=on_change>
                {BackendChoice::ALL
                    .into_iter()
                    .map(|choice| {
                        view! {
                            <option value=choice.name() prop:selected=move || state.backend_choice.get() == choice>
                                {move || state.text(caption(choice))}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

#[component]
pub fn LangSwitch() -> impl IntoView {
    let state = use_state();
    Effect::new(move |_| {
        let lang = state.lang.get();
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", lang.code());
        }
    });
    let on_change = move |event| {
        if let Some(lang) = Lang::from_code(&event_target_value(&event)) {
            settings::save_lang(lang);
            state.lang.set(lang);
        }
    };
    view! {
        <label class="field">
            <span>{move || state.text(Text::Language)}</span>
            <select data-testid="lang-select" on:change=on_change>
                <option value="en" prop:selected=move || state.lang.get() == Lang::En>"English"</option>
                <option value="zh-CN" prop:selected=move || state.lang.get() == Lang::Zh>"简体中文"</option>
            </select>
        </label>
    }
}

#[component]
pub fn ErrorBanner() -> impl IntoView {
    let state = use_state();
    view! {
        <Show when=move || state.error.get().is_some()>
            <div class="error-banner" data-testid="error-banner" role="alert">
                <strong>{move || state.text(Text::ErrorTitle)}</strong>
                " "
                <span class="error-message">
                    {move || localized(state.lang.get(), &state.error.get().unwrap_or_default())}
                </span>
                <button class="dismiss" on:click=move |_| state.error.set(None)>
                    {move || state.text(Text::Dismiss)}
                </button>
            </div>
        </Show>
    }
}

/// A panic on the page is a bug; say so in the page even if the UI can no longer render.
pub fn report_panic(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(banner) = document.create_element("div") else {
        return;
    };
    banner.set_class_name("error-banner");
    let _ = banner.set_attribute("data-testid", "error-banner");
    let _ = banner.set_attribute("role", "alert");
    banner.set_text_content(Some(&format!(
        "convscope hit a bug and may not respond; reload the page. ({message})"
    )));
    if let Some(body) = document.body() {
        let _ = body.prepend_with_node_1(&banner);
    }
}
