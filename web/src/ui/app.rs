//! The page's layout.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::ClipboardEvent;

use super::channels::ChannelsPanel;
use super::i18n::Text;
use super::inputs::{DrawPanel, UploadPanel, use_image_file};
use super::lesson::LessonPanel;
use super::network::{LayerTable, NetworkPicker};
use super::offline::OfflineBadge;
use super::outputs::{PredictionDetails, PredictionSummary};
use super::overview::Overview;
use super::seed_code::SeedCode;
use super::share::CopyLink;
use super::status::{BackendBadge, BackendPicker, ErrorBanner, LangSwitch};
use super::tabs::{Tab, TabBar, TabPanel};
use super::training::TrainingPanel;
use super::use_state;
use super::weights::WeightsPanel;

/// Pasting an image anywhere on the page runs it.
fn listen_for_paste() {
    let state = use_state();
    let on_paste = Closure::<dyn Fn(ClipboardEvent)>::new(move |event: ClipboardEvent| {
        let file = event
            .clipboard_data()
            .and_then(|data| data.files())
            .and_then(|files| files.get(0));
        if let Some(file) = file {
            event.prevent_default();
            use_image_file(state, file);
        }
    });
    if let Some(window) = web_sys::window() {
        let _ = window.add_event_listener_with_callback("paste", on_paste.as_ref().unchecked_ref());
    }
    // Listens for the page's lifetime.
    on_paste.forget();
}

#[component]
pub fn App() -> impl IntoView {
    let state = use_state();
    listen_for_paste();
    view! {
        <header class="top">
            <div class="title">
                <h1>"convscope"</h1>
                <p class="tagline">{move || state.text(Text::Tagline)}</p>
            </div>
            <div class="controls">
                <NetworkPicker />
                <BackendPicker />
                <LangSwitch />
                <CopyLink />
                <BackendBadge />
                <OfflineBadge />
            </div>
        </header>
        <ErrorBanner />
        // The input column stays in view (sticky) while the network column scrolls.
        <main class="workspace">
            <aside class="input-column" aria-label=move || state.text(Text::Input)>
                <div class="input-strip">
                    <DrawPanel />
                    <PredictionSummary />
                </div>
                <PredictionDetails />
                <UploadPanel />
            </aside>
            <div class="network-column">
                <Overview />
                <TabBar />
                <TabPanel tab=Tab::Lesson>
                    <LessonPanel />
                </TabPanel>
                <TabPanel tab=Tab::Code>
                    <SeedCode />
                </TabPanel>
                <TabPanel tab=Tab::Channels>
                    <ChannelsPanel />
                </TabPanel>
                <TabPanel tab=Tab::Train>
                    <WeightsPanel />
                    <TrainingPanel />
                </TabPanel>
                <TabPanel tab=Tab::Layers>
                    <LayerTable />
                </TabPanel>
            </div>
        </main>
    }
}
