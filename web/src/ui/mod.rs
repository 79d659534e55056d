//! The page: leptos components on an [`AppState`] of signals. [`engine_link`] carries requests
//! to the engine worker and [`dispatch`] hands its answers to [`inference`] (the current input),
//! [`weights_source`] (where weights come from) and [`training`].

mod app;
mod channels;
mod checkpoints;
mod class_walk;
mod colormap;
mod compare;
mod dispatch;
mod download;
mod engine_client;
mod engine_link;
mod engine_text;
mod enlarged;
mod feature_maps;
mod figure;
mod heatmap;
mod i18n;
mod inference;
mod inputs;
mod kernels;
mod layer_table;
mod lesson;
mod network;
mod newest;
mod offline;
mod outputs;
mod overview;
mod palette;
mod pixel_math;
mod present;
mod probe;
mod race;
mod receptive_field;
mod scheduler;
mod seed_code;
mod settings;
mod share;
mod status;
mod tabs;
mod test_hooks;
mod training;
mod weights;
mod weights_source;

use std::sync::Arc;

use convscope::arch::Preset;
use convscope::data::Stroke;
use convscope::pixel_math::PixelQuery;
use leptos::prelude::*;

use crate::protocol::{BackendChoice, BackendInfo, FloatTensor, Inference};
use i18n::Lang;

/// The weights the engine holds, as the page describes them.
#[derive(Clone, Debug, PartialEq)]
pub enum WeightsState {
    Loading {
        loaded: u64,
        total: Option<u64>,
    },
    Pretrained,
    Random,
    Imported(String),
    /// Trained in this page since it opened, for this many steps.
    Trained {
        steps: u64,
    },
    /// A checkpoint this browser kept from an earlier visit.
    Restored {
        steps: u64,
    },
}

/// Everything the components read and write, as copyable signal handles.
#[derive(Clone, Copy)]
pub struct AppState {
    pub lang: RwSignal<Lang>,
    pub backend_choice: RwSignal<BackendChoice>,
    /// `None` while the engine starts.
    pub backend: RwSignal<Option<BackendInfo>>,
    pub preset: RwSignal<&'static Preset>,
    pub weights: RwSignal<WeightsState>,
    pub inference: RwSignal<Option<Arc<Inference>>>,
    pub kernels: RwSignal<Option<Arc<FloatTensor>>>,
    pub error: RwSignal<Option<String>>,
    /// An inference has been in flight long enough for the page to say that it is working
    /// (`inference::WORKING_AFTER_MS`).
    pub working: RwSignal<bool>,
    /// The channel shown large: tap name and channel index.
    pub enlarged: RwSignal<Option<(String, usize)>>,
    /// The tap opened under the overview, with all its channels.
    pub selected_tap: RwSignal<Option<String>>,
    /// Taps a lesson point is about, lit up in the overview.
    pub highlighted: RwSignal<Vec<String>>,
    /// A pixel of a tap under the pointer or the keyboard in the overview: tap, x, y.
    pub probe: RwSignal<Option<(String, usize, usize)>>,
    pub tab: RwSignal<tabs::Tab>,
    /// The pixel of the enlarged channel whose maths is shown (clicked).
    pub chosen_pixel: RwSignal<Option<PixelQuery>>,
    pub pixel_math: RwSignal<pixel_math::PixelMathState>,
    /// The compare view's latest answer: every browser preset on the current input.
    pub compared: RwSignal<Vec<crate::protocol::ComparedNetwork>>,
    /// The whole page, classroom mode or one embedded view.
    pub mode: RwSignal<present::Mode>,
    /// The service worker keeps the app: it works offline.
    pub offline_ready: RwSignal<bool>,
    /// The drawing's finished strokes (for links).
    pub strokes: RwSignal<Vec<Stroke>>,
    /// The drawing canvas holds the current input (not an upload or an MNIST digit).
    pub drawing_is_input: RwSignal<bool>,
    pub training: training::TrainingSignals,
    /// The Probe tab's settings and results.
    pub probes: probe::ProbeSignals,
    pub race: race::RaceSignals,
}

impl AppState {
    fn new(link: &share::LinkState) -> Self {
        let settings = settings::load(link);
        Self {
            lang: RwSignal::new(settings.lang),
            backend_choice: RwSignal::new(settings.backend),
            backend: RwSignal::new(None),
            preset: RwSignal::new(settings.preset),
            weights: RwSignal::new(WeightsState::Random),
            inference: RwSignal::new(None),
            kernels: RwSignal::new(None),
            error: RwSignal::new(None),
            working: RwSignal::new(false),
            enlarged: RwSignal::new(None),
            selected_tap: RwSignal::new(None),
            highlighted: RwSignal::new(Vec::new()),
            probe: RwSignal::new(None),
            tab: RwSignal::new(tabs::Tab::Lesson),
            chosen_pixel: RwSignal::new(None),
            pixel_math: RwSignal::new(pixel_math::PixelMathState::Nothing),
            compared: RwSignal::new(Vec::new()),
            mode: RwSignal::new(present::Mode::Full),
            offline_ready: RwSignal::new(false),
            strokes: RwSignal::new(Vec::new()),
            drawing_is_input: RwSignal::new(false),
            training: training::TrainingSignals::new(settings.preset),
            probes: probe::ProbeSignals::new(),
            race: race::RaceSignals::new(),
        }
    }

    pub fn text(&self, text: i18n::Text) -> &'static str {
        text.get(self.lang.get())
    }
}

pub fn mount() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into());
        status::report_panic(&info.to_string());
    }));
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
    let link = share::read_link();
    let state = AppState::new(&link);
    // Before the page mounts, so the drawing canvas finds a link's strokes.
    share::restore_link(state, link);
    test_hooks::install();
    leptos::mount::mount_to_body(move || {
        provide_context(state);
        view! { <app::App /> }
    });
    share::follow_state_in_url(state);
    offline::keep_for_offline(state);
    dispatch::start(state);
    race::restore(state);
    training::remember_settings(state);
    weights_source::select_preset(state, state.preset.get_untracked());
}

pub fn use_state() -> AppState {
    expect_context::<AppState>()
}
