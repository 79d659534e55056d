//! The prediction, its ten probabilities and the preprocessing stages that led to it.

use convscope::arch::CLASSES;
use leptos::html::Canvas;
use leptos::prelude::*;

use super::heatmap::draw_gray;
use super::i18n::Text;
use super::probe::SaliencyOverlay;
use super::receptive_field::{RfOutline, describe, probe_region};
use super::use_state;
use crate::protocol::{GrayPixels, Steps};

/// The predicted digit and how sure the network is: small enough to stay in view.
#[component]
pub fn PredictionSummary() -> impl IntoView {
    let state = use_state();
    let prediction = move || state.inference.get().map(|inference| inference.class);
    view! {
        <section class="prediction-summary" aria-labelledby="prediction-title" aria-live="polite">
            <h2 id="prediction-title" class="visually-hidden">{move || state.text(Text::Prediction)}</h2>
            <div class="prediction-line">
                <span class="prediction" data-testid="prediction">
                    {move || prediction().map(|class| class.to_string())}
                </span>
                <span class="prediction-detail" aria-busy=move || state.working.get().to_string()>
                    {move || state.working.get().then(|| view! { <span class="spinner" aria-hidden="true"></span> })}
                    {move || match state.inference.get() {
                        // A slow network's first answer (a seed network on WebGPU) takes
                        // seconds: the line says it is coming instead of asking for a digit.
                        None if state.working.get() => state.text(Text::Computing).to_string(),
                        None => state.text(Text::NoPrediction).to_string(),
                        Some(inference) => {
                            let mut detail = format!(
                                "{:.1}% · {} {:.0} ms",
                                inference.probabilities[inference.class] * 100.0,
                                state.text(Text::ComputeTime),
                                inference.compute_ms,
                            );
                            if let Some((index, label)) = inference.mnist {
                                detail += &format!(
                                    " · {}{index}, {} {label}",
                                    state.text(Text::MnistLabel),
                                    state.text(Text::Label),
                                );
                            }
                            detail
                        }
                    }}
                </span>
            </div>
        </section>
    }
}

/// The ten probabilities and the preprocessing that led to the network's input.
#[component]
pub fn PredictionDetails() -> impl IntoView {
    let state = use_state();
    let prediction = move || state.inference.get().map(|inference| inference.class);
    let probabilities = move || {
        state
            .inference
            .get()
            .map(|inference| inference.probabilities.clone())
            .unwrap_or_else(|| vec![0.0; CLASSES])
    };
    view! {
        <section class="panel prediction-panel" aria-labelledby="probabilities-title">
            <h3 id="probabilities-title">{move || state.text(Text::Probabilities)}</h3>
            <ol class="probabilities" data-testid="probabilities">
                {move || {
                    let best = prediction();
                    probabilities()
                        .into_iter()
                        .enumerate()
                        .map(|(digit, p)| {
                            let percent = format!("{:.1}%", p * 100.0);
                            view! {
                                <li class:best=best == Some(digit) data-digit=digit>
                                    <span class="digit">{digit}</span>
                                    <span
                                        class="bar"
                                        role="meter"
                                        aria-valuemin="0"
                                        aria-valuemax="100"
                                        aria-valuenow=format!("{:.1}", p * 100.0)
                                        aria-label=format!("{digit}")
                                    >
                                        <span class="fill" style=format!("width:{:.1}%", p * 100.0)></span>
                                    </span>
                                    <span class="percent">{percent}</span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
            <StepsView />
        </section>
    }
}

/// The network's input is the last step.
const LAST_STEP: usize = 3;

/// Picks one stage out of the preprocessing steps.
type StepOf = fn(&Steps) -> &GrayPixels;

#[component]
fn StepsView() -> impl IntoView {
    let state = use_state();
    let steps = Memo::new(move |_| {
        state
            .inference
            .get()
            .map(|inference| inference.steps.clone())
    });
    let probed = probe_region();
    let stages: [(Text, StepOf); 4] = [
        (Text::StepOriginal, |s| &s.original),
        (Text::StepCropped, |s| &s.cropped),
        (Text::StepDigit, |s| &s.digit),
        (Text::StepInput, |s| &s.network_input),
    ];
    view! {
        <h3>{move || state.text(Text::Preprocessing)}</h3>
        <div class="steps">
            {stages
                .into_iter()
                .enumerate()
                .map(|(index, (text, pick))| {
                    let canvas = NodeRef::<Canvas>::new();
                    Effect::new(move |_| {
                        let (Some(steps), Some(canvas)) = (steps.get(), canvas.get()) else {
                            return;
                        };
                        draw_gray(&canvas, pick(&steps));
                    });
                    let is_input = index == LAST_STEP;
                    view! {
                        {(index > 0).then(|| view! { <span class="arrow" aria-hidden="true">"→"</span> })}
                        <figure class="step" class:network-input=is_input>
                            <div class="rf-frame">
                                <canvas node_ref=canvas class="step-canvas" width="1" height="1"></canvas>
                                {is_input.then(|| view! { <SaliencyOverlay /> <RfOutline region=probed /> })}
                            </div>
                            <figcaption>{move || state.text(text)}</figcaption>
                        </figure>
                    }
                })
                .collect_view()}
        </div>
        <p class="help probe-caption" aria-live="polite">
            {move || state.probe.get().map(|(tap, ..)| format!("{tap}: {}", describe(state, probed.get())))}
        </p>
    }
}
