//! Inside the network while it trains: every layer's gradient norm and every ReLU's share of
//! zeros as curves, and a filmstrip of the first-layer kernels and one channel's map for the
//! current input at each checkpoint, with a slider back through the run.

use std::sync::Arc;

use leptos::html::Canvas;
use leptos::prelude::*;

use super::super::colormap::lut;
use super::super::heatmap::{Grid, channel_ranges, draw, render_grid};
use super::super::i18n::Text;
use super::super::kernels::kernels_picture;
use super::super::{AppState, use_state};
use super::charts::{BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH, label};
use crate::protocol::{FloatTensor, LayerHealth};

/// One checkpoint as the filmstrip keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct FilmFrame {
    pub steps: u64,
    pub kernels: Arc<FloatTensor>,
    /// The channel shown: tap, channel, `[h, w]` and its values for the input of the moment.
    pub map: Option<(String, usize, [usize; 2], Vec<f32>)>,
}

/// The channel the filmstrip follows: the enlarged one, else the first channel of the opened
/// tap, else of the first tap.
fn followed_channel(state: AppState) -> Option<(String, usize)> {
    if let Some(enlarged) = state.enlarged.get_untracked() {
        return Some(enlarged);
    }
    let tap = state.selected_tap.get_untracked().or_else(|| {
        let taps = state.preset.get_untracked().architecture().taps().ok()?;
        taps.first().map(|tap| tap.name.clone())
    })?;
    Some((tap, 0))
}

/// Keeps a frame for the checkpoint at `steps`.
pub fn record_frame(state: AppState, steps: u64, kernels: Arc<FloatTensor>) {
    let map = followed_channel(state).and_then(|(tap, channel)| {
        state.inference.with_untracked(|inference| {
            let values = &inference
                .as_ref()?
                .taps
                .iter()
                .find(|t| t.name == tap)?
                .activation;
            let [channels, height, width] = values.shape[..] else {
                return None;
            };
            let area = height * width;
            (channel < channels).then(|| {
                let all = values.to_f32();
                let map = all[channel * area..(channel + 1) * area].to_vec();
                (tap.clone(), channel, [height, width], map)
            })
        })
    });
    state.training.frames.update(|frames| {
        frames.push(FilmFrame {
            steps,
            kernels,
            map,
        })
    });
}

/// Curves of one number per layer against steps; `log` plots log10.
#[component]
fn LayerCurves(
    points: Signal<Vec<(u64, Vec<f32>)>>,
    names: Signal<Vec<String>>,
    title: Text,
    test_id: &'static str,
    log: bool,
) -> impl IntoView {
    let state = use_state();
    let scaled = move |value: f32| {
        if log {
            f64::from(value.max(1e-12)).log10()
        } else {
            f64::from(value)
        }
    };
    let bounds = move || {
        let points = points.get();
        let x_max = points.last().map_or(1.0, |(step, _)| *step as f64).max(1.0);
        let values = points
            .iter()
            .flat_map(|(_, v)| v.iter().map(|&v| scaled(v)));
        let (low, high) = values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let (low, high) = if log {
            (low, high)
        } else {
            (0.0, high.max(1.0))
        };
        (x_max, low.min(high), high.max(low + 1e-6))
    };
    let colors = lut();
    view! {
        <figure class="chart">
            <figcaption>{move || state.text(title)}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") class="line-chart" data-testid=test_id role="img" aria-label=move || state.text(title)>
                {move || {
                    let (x_max, low, high) = bounds();
                    let x = move |step: u64| LEFT + (WIDTH - LEFT - RIGHT) * step as f64 / x_max;
                    let y = move |v: f64| TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - (v - low) / (high - low));
                    let points = points.get();
                    let layers = points.first().map_or(0, |(_, values)| values.len());
                    // The bounds themselves, not their rounded exponents: a log axis from
                    // 0.63 to 4.0 is not one from 1 to 10.
                    let tick = |v: f64| label(if log { 10f64.powf(v) } else { v });
                    let bottom = HEIGHT - BOTTOM;
                    let axes = view! {
                        <line class="axis" x1=LEFT y1=TOP x2=LEFT y2=bottom />
                        <line class="axis" x1=LEFT y1=bottom x2=WIDTH - RIGHT y2=bottom />
                        <text class="tick" x=LEFT - 4.0 y=TOP + 8.0 text-anchor="end">{tick(high)}</text>
                        <text class="tick" x=LEFT - 4.0 y=bottom text-anchor="end">{tick(low)}</text>
                        <text class="tick" x=WIDTH - RIGHT y=HEIGHT - 6.0 text-anchor="end">
                            {format!("{} {x_max:.0}", state.text(Text::Step))}
                        </text>
                    };
                    let lines = (0..layers)
                        .map(|layer| {
                            let path = points
                                .iter()
                                .filter_map(|(step, values)| values.get(layer).map(|&v| format!("{:.1},{:.1}", x(*step), y(scaled(v)))))
                                .collect::<Vec<_>>()
                                .join(" ");
                            // Early layers dark, late layers bright, as in the legend.
                            let [r, g, b] = colors[layer * 255 / layers.saturating_sub(1).max(1)];
                            view! {
                                <polyline
                                    class="layer-curve"
                                    data-layer=names.with(|names| names.get(layer).cloned())
                                    data-points=points.len()
                                    points=path
                                    fill="none"
                                    stroke=format!("rgb({r},{g},{b})")
                                ></polyline>
                            }
                        })
                        .collect_view();
                    view! { {axes} {lines} }
                }}
            </svg>
            <p class="help legend-line">
                {move || {
                    names.with(|names| match names.as_slice() {
                        [] => String::new(),
                        [only] => only.clone(),
                        [first, .., last] => format!("{} {first} … {last}", state.text(Text::LayersDarkToBright)),
                    })
                }}
            </p>
        </figure>
    }
}

/// The gradient-norm and dead-ReLU curves of the run.
#[component]
pub fn HealthCharts() -> impl IntoView {
    let state = use_state();
    let health = state.training.health;
    let series = move |pick: fn(&LayerHealth) -> Vec<f32>| {
        Signal::derive(move || health.with(|all| all.iter().map(|h| (h.step, pick(h))).collect()))
    };
    let names = move |pick: fn(&LayerHealth) -> Vec<String>| {
        Signal::derive(move || health.with(|all| all.last().map(pick).unwrap_or_default()))
    };
    view! {
        <div class="charts" hidden=move || health.with(Vec::is_empty)>
            <LayerCurves
                points=series(|h| h.gradient_norms.clone())
                names=names(|h| h.layers.clone())
                title=Text::GradientNorms
                test_id="grad-norm-chart"
                log=true
            />
            <LayerCurves
                points=series(|h| h.dead.clone())
                names=names(|h| h.taps.clone())
                title=Text::DeadRelus
                test_id="dead-relu-chart"
                log=false
            />
        </div>
        <p class="help" hidden=move || health.with(Vec::is_empty)>{move || state.text(Text::HealthHelp)}</p>
    }
}

/// The kernels and the followed channel at each checkpoint; the slider scrubs back.
#[component]
pub fn Filmstrip() -> impl IntoView {
    let state = use_state();
    let frames = state.training.frames;
    // `None`: follow the newest frame.
    let chosen = RwSignal::new(None::<usize>);
    let frame = Memo::new(move |_| {
        frames.with(|frames| {
            let index = chosen.get().unwrap_or(frames.len().saturating_sub(1));
            frames
                .get(index.min(frames.len().saturating_sub(1)))
                .cloned()
        })
    });
    let kernels = NodeRef::<Canvas>::new();
    let map = NodeRef::<Canvas>::new();
    Effect::new(move |_| {
        let Some(frame) = frame.get() else {
            return;
        };
        if let (Some(canvas), Some((grid, rgba))) = (kernels.get(), kernels_picture(&frame.kernels))
        {
            draw(&canvas, grid.width(), grid.height(), &rgba);
        }
        if let (Some(canvas), Some((_, _, [height, width], values))) = (map.get(), &frame.map) {
            let shape = [1, *height, *width];
            let grid = Grid::new(shape);
            draw(
                &canvas,
                grid.width(),
                grid.height(),
                &render_grid(values, &grid, &channel_ranges(values, shape)),
            );
        }
    });
    view! {
        <div class="filmstrip" hidden=move || frames.with(Vec::is_empty)>
            <h3>{move || state.text(Text::FilmstripTitle)}</h3>
            <p class="help">{move || state.text(Text::FilmstripHelp)}</p>
            <label class="slider">
                <span>{move || state.text(Text::Checkpoint)}</span>
                <input
                    type="range"
                    data-testid="filmstrip"
                    min="0"
                    max=move || frames.with(|f| f.len().saturating_sub(1)).to_string()
                    step="1"
                    prop:value=move || chosen.get().unwrap_or(frames.with(|f| f.len().saturating_sub(1))).to_string()
                    on:input=move |event| {
                        let last = frames.with_untracked(|f| f.len().saturating_sub(1));
                        chosen.set(event_target_value(&event).parse().ok().filter(|&i| i < last));
                    }
                />
                <output data-testid="filmstrip-step">{move || frame.get().map(|f| format!("{} {}", state.text(Text::StepWord), f.steps))}</output>
            </label>
            <div class="film-frame">
                <figure>
                    <canvas node_ref=kernels class="heatmap film-kernels" data-testid="filmstrip-kernels"></canvas>
                    <figcaption>{move || state.text(Text::Kernels)}</figcaption>
                </figure>
                <figure hidden=move || frame.with(|f| f.as_ref().is_none_or(|f| f.map.is_none()))>
                    <canvas node_ref=map class="heatmap film-map" data-testid="filmstrip-map"></canvas>
                    <figcaption>
                        {move || frame.get().and_then(|f| f.map).map(|(tap, channel, ..)| format!("{tap} · {} {channel}", state.text(Text::Channel)))}
                    </figcaption>
                </figure>
            </div>
        </div>
    }
}
