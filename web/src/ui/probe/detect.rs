//! What a channel detects: the nine MNIST test digits it fires on most (where it fired
//! outlined: the receptive field of its strongest pixel), and an input made by gradient ascent
//! to excite it.

use convscope::data::MNIST_SIDE;
use convscope::probe::{ASCENT_STEPS, Heatmap};
use leptos::html::Canvas;
use leptos::prelude::*;

use super::super::heatmap::{draw, gray_to_rgba};
use super::super::i18n::Text;
use super::super::receptive_field::tap_fields;
use super::super::tabs::Tab;
use super::super::{AppState, engine_link, use_state};
use super::knockouts::{DigitsChoice, TEST_DIGITS};
use super::{JobProgress, next_request_id};
use crate::protocol::{Request, TopExample, TopExamples};

thread_local! {
    /// The newest input asked for: answers to older ones are dropped.
    static LAST_MAXIMIZE: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Shows `channel` of `tap` in the Probe tab's detector section.
pub fn inspect(state: AppState, tap: String, channel: usize) {
    let probes = state.probes;
    cancel(state);
    probes.detect_target.set(Some((tap, channel)));
    probes.top_found.set(None);
    probes.maximized.set(None);
    state.enlarged.set(None);
    state.tab.set(Tab::Probe);
}

pub fn cancel(state: AppState) {
    if JobProgress::cancel(state.probes.top_run) {
        engine_link::send(&Request::CancelTopExamples);
    }
}

pub fn on_progress(state: AppState, id: u64, done: usize, total: usize) {
    JobProgress::advance(state.probes.top_run, id, done, total);
}

pub fn on_done(state: AppState, id: u64, result: Option<Result<TopExamples, String>>) {
    if !JobProgress::finish(state.probes.top_run, id) {
        return;
    }
    match result {
        Some(Ok(found)) => state.probes.top_found.set(Some(found)),
        Some(Err(message)) => state.error.set(Some(message)),
        None => {}
    }
}

pub fn on_maximized(state: AppState, id: u64, result: Result<Heatmap, String>) {
    if id != LAST_MAXIMIZE.get() {
        return;
    }
    state.probes.maximizing.set(false);
    match result {
        Ok(image) => state.probes.maximized.set(Some(image)),
        Err(message) => state.error.set(Some(message)),
    }
}

/// One found digit, where the channel fired outlined.
#[component]
fn Example(example: TopExample, outline: Option<[f64; 4]>) -> impl IntoView {
    let state = use_state();
    let canvas = NodeRef::<Canvas>::new();
    let pixels = example.pixels.clone();
    canvas.on_load(move |canvas| draw(&canvas, MNIST_SIDE, MNIST_SIDE, &gray_to_rgba(&pixels)));
    let style = outline.map(|[left, top, right, bottom]| {
        format!(
            "left:{:.2}%;top:{:.2}%;width:{:.2}%;height:{:.2}%",
            left * 100.0,
            top * 100.0,
            (right - left) * 100.0,
            (bottom - top) * 100.0
        )
    });
    let firing = example.firing;
    view! {
        <figure class="top-example" data-index=firing.index data-value=firing.value.to_string()>
            <div class="rf-frame">
                <canvas node_ref=canvas class="top-digit" width="1" height="1"></canvas>
                {style.map(|style| view! { <div class="rf-outline" style=style></div> })}
            </div>
            <figcaption>
                {move || format!("#{} · {} {} · {:.2}", firing.index, state.text(Text::Label), example.label, firing.value)}
            </figcaption>
        </figure>
    }
}

#[component]
pub fn DetectSection() -> impl IntoView {
    let state = use_state();
    let probes = state.probes;
    let taps = Memo::new(move |_| state.preset.get().architecture().taps().unwrap_or_default());
    let fields = Memo::new(move |_| tap_fields(state.preset.get()));
    let channels = move || {
        let (tap, _) = probes.detect_target.get()?;
        taps.with(|taps| taps.iter().find(|t| t.name == tap).map(|t| t.shape[0]))
    };
    let set_target = move |tap: String, channel: usize| {
        cancel(state);
        probes.detect_target.set(Some((tap, channel)));
        probes.top_found.set(None);
        probes.maximized.set(None);
    };
    let on_tap = move |event| {
        let tap = event_target_value(&event);
        if !tap.is_empty() {
            set_target(tap, 0);
        }
    };
    let on_channel = move |event| {
        let Some((tap, _)) = probes.detect_target.get_untracked() else {
            return;
        };
        if let Ok(channel) = event_target_value(&event).parse::<usize>()
            && channels().is_some_and(|count| channel < count)
        {
            set_target(tap, channel);
        }
    };
    let digits = RwSignal::new(TEST_DIGITS[0]);
    let find = move |_| {
        let Some((tap, channel)) = probes.detect_target.get_untracked() else {
            return;
        };
        let size = digits.get_untracked();
        let id = JobProgress::begin(probes.top_run, size);
        engine_link::send(&Request::TopExamples {
            id,
            tap,
            channel,
            size,
        });
    };
    let maximize = move |_| {
        let Some((tap, channel)) = probes.detect_target.get_untracked() else {
            return;
        };
        probes.maximizing.set(true);
        let id = next_request_id();
        LAST_MAXIMIZE.set(id);
        engine_link::send(&Request::MaximizeActivation { id, tap, channel });
    };
    // Where each found digit fired, on the 28×28 digit: the strongest pixel's receptive field.
    let outline = move |found: &TopExamples, example: &TopExample| {
        let [input_height, input_width] = {
            let [_, height, width] = state.preset.get_untracked().input;
            [height, width]
        };
        let field = fields.with_untracked(|fields| {
            fields.iter().find(|f| f.name == found.tap).map(|f| f.field)
        })?;
        let [x0, y0, x1, y1] = field.region(
            example.firing.column,
            example.firing.row,
            [input_height, input_width],
        );
        Some([
            x0 as f64 / input_width as f64,
            y0 as f64 / input_height as f64,
            (x1 + 1) as f64 / input_width as f64,
            (y1 + 1) as f64 / input_height as f64,
        ])
    };
    let maximized = NodeRef::<Canvas>::new();
    Effect::new(move |_| {
        if let (Some(canvas), Some(image)) = (maximized.get(), probes.maximized.get()) {
            let gray: Vec<u8> = image
                .values
                .iter()
                .map(|v| (v.clamp(0.0, 1.0) * 255.0).round() as u8)
                .collect();
            draw(&canvas, image.width, image.height, &gray_to_rgba(&gray));
        }
    });
    let running = move || probes.top_run.get().is_running();
    view! {
        <section class="panel probe-section" aria-labelledby="detect-title">
            <h3 id="detect-title">{move || state.text(Text::DetectTitle)}</h3>
            <p class="help">{move || state.text(Text::DetectHelp)}</p>
            <div class="row probe-controls">
                <label>
                    {move || state.text(Text::DetectTap)}
                    " "
                    <select data-testid="detect-tap" on:change=on_tap>
                        <option value="" prop:selected=move || probes.detect_target.get().is_none()>"—"</option>
                        {move || {
                            taps.get()
                                .into_iter()
                                .map(|tap| {
                                    let name = tap.name.clone();
                                    let value = tap.name.clone();
                                    view! {
                                        <option
                                            value=value
                                            prop:selected=move || probes.detect_target.get().is_some_and(|(t, _)| t == name)
                                        >
                                            {format!("{} ({})", tap.name, tap.shape[0])}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                <label>
                    {move || state.text(Text::Channel)}
                    " "
                    <input
                        type="number"
                        data-testid="detect-channel"
                        min="0"
                        max=move || channels().map(|c| c.saturating_sub(1).to_string())
                        disabled=move || probes.detect_target.get().is_none()
                        prop:value=move || probes.detect_target.get().map(|(_, c)| c.to_string()).unwrap_or_default()
                        on:change=on_channel
                    />
                </label>
                <DigitsChoice digits=digits test_id="top-examples-digits" />
                <button data-testid="top-examples-run" disabled=move || probes.detect_target.get().is_none() || running() on:click=find>
                    {move || state.text(Text::TopExamplesRun)}
                </button>
                <button data-testid="top-examples-cancel" hidden=move || !running() on:click=move |_| cancel(state)>
                    {move || state.text(Text::Cancel)}
                </button>
                <button
                    data-testid="activation-max-run"
                    disabled=move || probes.detect_target.get().is_none() || probes.maximizing.get()
                    on:click=maximize
                >
                    {move || state.text(Text::ActivationMaxRun)}
                </button>
            </div>
            {move || match probes.top_run.get() {
                JobProgress::Running { done, total, .. } => {
                    view! { <progress data-testid="top-examples-progress" max=total.to_string() value=done.to_string()></progress> }
                        .into_any()
                }
                JobProgress::Idle => ().into_any(),
            }}
            <div class="detect-results">
                <div class="top-examples" data-testid="top-examples">
                    {move || {
                        probes
                            .top_found
                            .get()
                            .map(|found| {
                                found
                                    .examples
                                    .iter()
                                    .map(|example| {
                                        view! { <Example example=example.clone() outline=outline(&found, example) /> }
                                    })
                                    .collect_view()
                            })
                    }}
                </div>
                <figure class="activation-max-figure" hidden=move || probes.maximized.with(Option::is_none)>
                    <canvas node_ref=maximized class="activation-max" data-testid="activation-max" width="1" height="1"></canvas>
                    <figcaption>
                        {move || format!("{} {}", state.text(Text::ActivationMaxCaption), ASCENT_STEPS)}
                    </figcaption>
                </figure>
            </div>
        </section>
    }
}
