//! The Probe tab: where the network looked (saliency, Grad-CAM), what happens without a part
//! (knock-outs and their test accuracy), and what a prediction withstands (distortions, the
//! shift curve). The settings travel with every inference request, so the prediction and the
//! maps show their effect live; none of them touches the weights.

mod detect;
mod explain;
mod knockouts;
pub mod link;
mod robustness;

use convscope::probe::{Distortion, Heatmap};
use leptos::prelude::*;

use super::i18n::Text;
use super::{AppState, inference, use_state};
use crate::protocol::{
    ExplainSettings, KnockoutAccuracy, NetworkShiftCurve, ProbeSettings, Response, TopExamples,
};
pub use detect::inspect;
pub use explain::{DrawingSaliency, SaliencyOverlay};
pub use knockouts::KnockoutToggle;

/// Which map the overlays on the input and the drawing show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OverlayMap {
    GradCam,
    Saliency,
}

/// Where a search over the test set (knock-out accuracy, top digits) stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobProgress {
    Idle,
    Running { id: u64, done: usize, total: usize },
}

thread_local! {
    static LAST_JOB: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// A fresh id for a request whose answer must be told from older ones.
fn next_request_id() -> u64 {
    let id = LAST_JOB.get() + 1;
    LAST_JOB.set(id);
    id
}

impl JobProgress {
    pub fn is_running(self) -> bool {
        matches!(self, JobProgress::Running { .. })
    }

    /// A new search over `total` digits in `progress`; its id.
    fn begin(progress: RwSignal<Self>, total: usize) -> u64 {
        let id = next_request_id();
        progress.set(JobProgress::Running { id, done: 0, total });
        id
    }

    fn runs(progress: RwSignal<Self>, id: u64) -> bool {
        matches!(progress.get_untracked(), JobProgress::Running { id: now, .. } if now == id)
    }

    /// Progress of search `id`, if it is the one running.
    fn advance(progress: RwSignal<Self>, id: u64, done: usize, total: usize) {
        if Self::runs(progress, id) {
            progress.set(JobProgress::Running { id, done, total });
        }
    }

    /// Search `id` ended: whether it was the one running (then its answer counts).
    fn finish(progress: RwSignal<Self>, id: u64) -> bool {
        let running = Self::runs(progress, id);
        if running {
            progress.set(JobProgress::Idle);
        }
        running
    }

    /// Stops showing a search; whether one was running (then the engine is told to cancel it).
    fn cancel(progress: RwSignal<Self>) -> bool {
        let running = progress.get_untracked().is_running();
        progress.set(JobProgress::Idle);
        running
    }
}

#[derive(Clone, Copy)]
pub struct ProbeSignals {
    /// Saliency and Grad-CAM are computed with every inference.
    pub explain: RwSignal<bool>,
    /// The class explained; `None`: the predicted one.
    pub class: RwSignal<Option<usize>>,
    /// Grad-CAM's tap; `None`: the network's last convolutional map.
    pub cam_tap: RwSignal<Option<String>>,
    pub overlay: RwSignal<OverlayMap>,
    /// Knock-out targets, sorted.
    pub knockouts: RwSignal<Vec<String>>,
    pub distortion: RwSignal<Distortion>,
    pub accuracy_run: RwSignal<JobProgress>,
    /// Every knock-out set measured, newest last.
    pub tried: RwSignal<Vec<KnockoutAccuracy>>,
    pub shift_curves: RwSignal<Vec<NetworkShiftCurve>>,
    /// The channel whose detector is shown: tap and channel.
    pub detect_target: RwSignal<Option<(String, usize)>>,
    pub top_run: RwSignal<JobProgress>,
    pub top_found: RwSignal<Option<TopExamples>>,
    pub maximized: RwSignal<Option<Heatmap>>,
    pub maximizing: RwSignal<bool>,
    /// Newer curves are on their way (the input or a setting changed).
    pub curves_pending: RwSignal<bool>,
}

impl ProbeSignals {
    pub fn new() -> Self {
        Self {
            explain: RwSignal::new(false),
            class: RwSignal::new(None),
            cam_tap: RwSignal::new(None),
            overlay: RwSignal::new(OverlayMap::GradCam),
            knockouts: RwSignal::new(Vec::new()),
            distortion: RwSignal::new(Distortion::default()),
            accuracy_run: RwSignal::new(JobProgress::Idle),
            tried: RwSignal::new(Vec::new()),
            shift_curves: RwSignal::new(Vec::new()),
            detect_target: RwSignal::new(None),
            top_run: RwSignal::new(JobProgress::Idle),
            top_found: RwSignal::new(None),
            maximized: RwSignal::new(None),
            maximizing: RwSignal::new(false),
            curves_pending: RwSignal::new(false),
        }
    }
}

/// What the next inference runs with.
pub fn settings(state: AppState) -> ProbeSettings {
    let probes = state.probes;
    ProbeSettings {
        knockouts: probes.knockouts.get_untracked(),
        distortion: probes.distortion.get_untracked(),
        explain: probes.explain.get_untracked().then(|| ExplainSettings {
            class: probes.class.get_untracked(),
            cam_tap: probes.cam_tap.get_untracked(),
        }),
    }
}

/// Another network: its parts have other names, so knock-outs and the chosen tap go; the
/// table of tried sets is about the old network's weights.
pub fn on_network_replaced(state: AppState) {
    let probes = state.probes;
    probes.knockouts.set(Vec::new());
    probes.cam_tap.set(None);
    probes.tried.set(Vec::new());
    probes.shift_curves.set(Vec::new());
    probes.detect_target.set(None);
    probes.top_found.set(None);
    probes.maximized.set(None);
    knockouts::cancel_accuracy(state);
    detect::cancel(state);
}

pub fn on_response(state: AppState, response: Response) {
    match response {
        Response::KnockoutProgress { id, done, total } => {
            knockouts::on_progress(state, id, done, total)
        }
        Response::KnockoutAccuracyDone { id, result } => knockouts::on_done(state, id, result),
        Response::ShiftCurves { id, result } => robustness::on_curves(state, id, result),
        Response::TopExamplesProgress { id, done, total } => {
            detect::on_progress(state, id, done, total)
        }
        Response::TopExamplesDone { id, result } => detect::on_done(state, id, result),
        Response::ActivationMaximized { id, result } => detect::on_maximized(state, id, result),
        _ => {}
    }
}

/// The engine refused a search over the test set (the error says why).
pub fn on_job_failed(state: AppState) {
    state.probes.accuracy_run.set(JobProgress::Idle);
    state.probes.top_run.set(JobProgress::Idle);
}

/// A probe setting changed: the input runs again with it.
fn changed(state: AppState) {
    inference::rerun(state);
}

#[component]
pub fn ProbePanel() -> impl IntoView {
    let state = use_state();
    view! {
        <div class="probe-panel" data-testid="probe-panel">
            <p class="help">{move || state.text(Text::ProbeIntro)}</p>
            <explain::ExplainSection />
            <detect::DetectSection />
            <knockouts::KnockoutSection />
            <robustness::RobustnessSection />
        </div>
    }
}
