//! The page's layout.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::ClipboardEvent;

use super::channels::ChannelsPanel;
use super::class_walk::{PresentBar, walk_place};
use super::compare::CompareView;
use super::i18n::Text;
use super::inputs::{DrawPanel, UploadPanel, use_image_file};
use super::layer_table::LayerTable;
use super::lesson::LessonPanel;
use super::network::NetworkPicker;
use super::offline::OfflineBadge;
use super::outputs::{PredictionDetails, PredictionSummary};
use super::overview::Overview;
use super::present::{Embedded, EmbeddedTap, Mode, PresentStop};
use super::probe::ProbePanel;
use super::race::RacePanel;
use super::seed_code::SeedCode;
use super::share::CopyLink;
use super::status::{BackendBadge, BackendPicker, ErrorBanner, LangSwitch};
use super::tabs::{LessonJump, Tab, TabBar, TabPanel};
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
    move || match state.mode.get() {
        Mode::Full => full_page().into_any(),
        Mode::Present => classroom_page().into_any(),
        Mode::Embed(view) => embedded_page(view).into_any(),
    }
}

fn full_page() -> impl IntoView {
    let state = use_state();
    view! {
        <header class="top">
            <div class="title">
                <h1>"convscope"</h1>
                <p class="tagline">{move || state.text(Text::Tagline)}</p>
                <LessonJump />
            </div>
            <PageControls />
        </header>
        <ErrorBanner />
        // The input column stays in view (sticky) while the network column scrolls.
        <main class="workspace">
            <aside class="input-column" aria-label=move || state.text(Text::Input)>
                <InputStrip />
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
                <TabPanel tab=Tab::Probe>
                    <ProbePanel />
                </TabPanel>
                <TabPanel tab=Tab::Compare>
                    <CompareView />
                    <RacePanel />
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

/// Network, backend, language, link; what the engine runs on and whether the app works offline.
#[component]
fn PageControls() -> impl IntoView {
    view! {
        <div class="controls">
            <NetworkPicker />
            <BackendPicker />
            <LangSwitch />
            <CopyLink />
            <BackendBadge />
            <OfflineBadge />
        </div>
    }
}

/// The drawing and the prediction, kept in view.
#[component]
fn InputStrip() -> impl IntoView {
    view! {
        <div class="input-strip">
            <DrawPanel />
            <PredictionSummary />
        </div>
    }
}

/// For a projector: large type, the walk through the network, the controls folded away.
fn classroom_page() -> impl IntoView {
    let state = use_state();
    let place = walk_place(state);
    view! {
        <header class="top present-top">
            <h1>"convscope"</h1>
            <PresentBar here=place />
            <details class="tucked">
                <summary>{move || state.text(Text::PresentControls)}</summary>
                <PageControls />
            </details>
        </header>
        <ErrorBanner />
        <main class="workspace present">
            <aside class="input-column" aria-label=move || state.text(Text::Input)>
                <InputStrip />
            </aside>
            // The block being explained first, the whole network under it for context.
            <div class="network-column">
                <PresentStop here=place />
                <Overview />
            </div>
        </main>
    }
}

/// One view and its input, nothing else: for an iframe in slides.
fn embedded_page(view: Embedded) -> impl IntoView {
    let state = use_state();
    view! {
        <ErrorBanner />
        <main class="workspace embedded" data-testid="embedded" data-view=format!("{view:?}").to_lowercase()>
            <aside class="input-column" aria-label=move || state.text(Text::Input)>
                <InputStrip />
            </aside>
            <div class="network-column">
                {match view {
                    Embedded::Overview => view! { <Overview /> }.into_any(),
                    Embedded::Tap => view! { <EmbeddedTap /> }.into_any(),
                    Embedded::Compare => view! { <CompareView /> }.into_any(),
                }}
            </div>
        </main>
    }
}
