//! What a prediction withstands: sliders that shift, turn, scale, thicken and blur the digit
//! (the prediction and the maps follow live), and the probability of the class against a
//! shift of −8…+8 pixels, across and down, for the four browser networks at once.

use convscope::probe::{Distortion, MAX_SHIFT};
use leptos::prelude::*;

use super::super::i18n::Text;
use super::super::inference::current_input;
use super::super::newest::NewestRequest;
use super::super::palette::network_color;
use super::super::tabs::Tab;
use super::super::{AppState, engine_link, use_state};
use super::changed;
use crate::protocol::{NetworkShiftCurve, Request};

/// The curves cost four networks × 34 digits: they wait until the input has been still this
/// long, so drawing is not slowed down by them.
const SETTLE_MS: u64 = 500;

thread_local! {
    static CURVES: NewestRequest = const { NewestRequest::new() };
    /// Bumped by every change; a delayed ask goes out only if none came after it.
    static CHANGES: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Asks for the curves once nothing has changed for [`SETTLE_MS`].
fn ask_when_settled(state: AppState) {
    let change = CHANGES.get() + 1;
    CHANGES.set(change);
    state.probes.curves_pending.set(true);
    set_timeout(
        move || {
            if CHANGES.get() == change && state.tab.get_untracked() == Tab::Probe {
                ask(state);
            }
        },
        std::time::Duration::from_millis(SETTLE_MS),
    );
}

fn ask(state: AppState) {
    let Some(input) = current_input(state) else {
        return;
    };
    let Some(predicted) = state
        .inference
        .with_untracked(|i| i.as_ref().map(|i| i.class))
    else {
        return;
    };
    state.probes.curves_pending.set(true);
    let Some(id) = CURVES.with(NewestRequest::start) else {
        return;
    };
    let class = state.probes.class.get_untracked().unwrap_or(predicted);
    engine_link::send(&Request::ShiftCurves {
        id,
        input,
        probe: super::settings(state),
        class,
    });
}

pub fn on_curves(state: AppState, id: u64, result: Result<Vec<NetworkShiftCurve>, String>) {
    let (newest, again) = CURVES.with(|request| request.finish(id));
    if newest {
        match result {
            Ok(curves) => state.probes.shift_curves.set(curves),
            Err(message) => state.error.set(Some(message)),
        }
    }
    if again && state.tab.get_untracked() == Tab::Probe {
        ask(state);
    } else {
        state.probes.curves_pending.set(false);
    }
}

/// One slider: its test id, text, range and step, and how it reads and writes the setting.
struct Slider {
    id: &'static str,
    text: Text,
    range: (f64, f64, f64),
    unit: &'static str,
    get: fn(&Distortion) -> f64,
    set: fn(&mut Distortion, f64),
}

const SLIDERS: [Slider; 6] = [
    Slider {
        id: "shift-x",
        text: Text::ShiftX,
        range: (-MAX_SHIFT as f64, MAX_SHIFT as f64, 1.0),
        unit: " px",
        get: |d| f64::from(d.shift_x),
        set: |d, v| d.shift_x = v as f32,
    },
    Slider {
        id: "shift-y",
        text: Text::ShiftY,
        range: (-MAX_SHIFT as f64, MAX_SHIFT as f64, 1.0),
        unit: " px",
        get: |d| f64::from(d.shift_y),
        set: |d, v| d.shift_y = v as f32,
    },
    Slider {
        id: "rotate",
        text: Text::Rotate,
        range: (-90.0, 90.0, 5.0),
        unit: "°",
        get: |d| f64::from(d.rotate),
        set: |d, v| d.rotate = v as f32,
    },
    Slider {
        id: "scale",
        text: Text::Scale,
        range: (0.5, 1.5, 0.05),
        unit: "×",
        get: |d| f64::from(d.scale),
        set: |d, v| d.scale = v as f32,
    },
    Slider {
        id: "thickness",
        text: Text::Thickness,
        range: (-2.0, 3.0, 1.0),
        unit: " px",
        get: |d| f64::from(d.thickness),
        set: |d, v| d.thickness = v.round() as i32,
    },
    Slider {
        id: "noise",
        text: Text::Noise,
        range: (0.0, 0.6, 0.05),
        unit: "",
        get: |d| f64::from(d.noise),
        set: |d, v| d.noise = v as f32,
    },
];

const WIDTH: f64 = 340.0;
const HEIGHT: f64 = 170.0;
const LEFT: f64 = 34.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 8.0;
const BOTTOM: f64 = 24.0;

fn x_at(shift: i32) -> f64 {
    let span = 2.0 * MAX_SHIFT as f64;
    LEFT + (WIDTH - LEFT - RIGHT) * (f64::from(shift) + MAX_SHIFT as f64) / span
}

fn y_at(probability: f32) -> f64 {
    TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - f64::from(probability.clamp(0.0, 1.0)))
}

fn polyline(shifts: &[i32], probabilities: &[f32]) -> String {
    shifts
        .iter()
        .zip(probabilities)
        .map(|(&shift, &p)| format!("{:.1},{:.1}", x_at(shift), y_at(p)))
        .collect::<Vec<_>>()
        .join(" ")
}

#[component]
fn ShiftCurveChart() -> impl IntoView {
    let state = use_state();
    let curves = state.probes.shift_curves;
    let class = move || curves.with(|c| c.first().map(|c| c.curve.class));
    view! {
        <figure class="shift-curve-figure">
            <svg
                class="shift-curve"
                data-testid="shift-curve"
                data-class=move || class().map(|c| c.to_string())
                aria-busy=move || (curves.with(Vec::is_empty) || state.probes.curves_pending.get()).to_string()
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img"
                aria-label=move || state.text(Text::ShiftCurveTitle)
            >
                {[0.0_f32, 0.5, 1.0]
                    .into_iter()
                    .map(|p| {
                        view! {
                            <line class="grid" x1=LEFT x2=WIDTH - RIGHT y1=y_at(p) y2=y_at(p)></line>
                            <text class="axis" x=LEFT - 4.0 y=y_at(p) + 3.0 text-anchor="end">{format!("{p}")}</text>
                        }
                    })
                    .collect_view()}
                {[-MAX_SHIFT, -4, 0, 4, MAX_SHIFT]
                    .into_iter()
                    .map(|shift| {
                        view! {
                            <text class="axis" x=x_at(shift) y=HEIGHT - 8.0 text-anchor="middle">{format!("{shift:+}")}</text>
                        }
                    })
                    .collect_view()}
                {move || {
                    curves
                        .get()
                        .into_iter()
                        .flat_map(|network| {
                            let color = network_color(&network.preset);
                            let curve = network.curve;
                            [("x", curve.horizontal.clone(), ""), ("y", curve.vertical.clone(), "4 3")]
                                .into_iter()
                                .map(|(axis, values, dash)| {
                                    let data = values.iter().map(|p| format!("{p:.4}")).collect::<Vec<_>>().join(",");
                                    view! {
                                        <polyline
                                            class="curve"
                                            data-preset=network.preset.clone()
                                            data-axis=axis
                                            data-values=data
                                            points=polyline(&curve.shifts, &values)
                                            stroke=color
                                            stroke-dasharray=dash
                                            fill="none"
                                        ></polyline>
                                    }
                                })
                                .collect::<Vec<_>>()
                        })
                        .collect_view()
                }}
            </svg>
            <figcaption>
                <ul class="legend">
                    {move || {
                        curves
                            .get()
                            .into_iter()
                            .map(|network| {
                                view! {
                                    <li>
                                        <span class="swatch" style=format!("background:{}", network_color(&network.preset))></span>
                                        {network.preset}
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
                {move || {
                    class()
                        .map(|class| format!("{} {class}. {}", state.text(Text::ShiftCurveOf), state.text(Text::ShiftCurveHelp)))
                }}
            </figcaption>
        </figure>
    }
}

#[component]
pub fn RobustnessSection() -> impl IntoView {
    let state = use_state();
    let probes = state.probes;
    // The curves follow the input, its prediction and the settings while the tab shows.
    Effect::new(move |_| {
        let shown = state.tab.get() == Tab::Probe;
        let has_inference = state.inference.with(Option::is_some);
        probes.class.track();
        if shown && has_inference {
            ask_when_settled(state);
        }
    });
    view! {
        <section class="panel probe-section" aria-labelledby="robustness-title">
            <h3 id="robustness-title">{move || state.text(Text::RobustnessTitle)}</h3>
            <p class="help">{move || state.text(Text::RobustnessHelp)}</p>
            <div class="sliders">
                {SLIDERS
                    .iter()
                    .map(|slider| {
                        let Slider { id, text, range: (min, max, step), unit, get, set } = *slider;
                        let value = move || get(&probes.distortion.get());
                        view! {
                            <label class="slider">
                                <span>{move || state.text(text)}</span>
                                <input
                                    type="range"
                                    data-testid=id
                                    min=min
                                    max=max
                                    step=step
                                    prop:value=value
                                    on:input=move |event| {
                                        if let Ok(v) = event_target_value(&event).parse::<f64>() {
                                            probes.distortion.update(|d| set(d, v));
                                            changed(state);
                                        }
                                    }
                                />
                                <output>{move || format!("{}{unit}", (value() * 100.0).round() / 100.0)}</output>
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
            <button
                data-testid="distortion-reset"
                disabled=move || probes.distortion.get().is_identity()
                on:click=move |_| {
                    probes.distortion.set(Distortion::default());
                    changed(state);
                }
            >
                {move || state.text(Text::DistortionReset)}
            </button>
            <ShiftCurveChart />
        </section>
    }
}
