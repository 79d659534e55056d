//! The maths of one output pixel, under the enlarged channel: click a pixel and the engine
//! returns what the layer read (patch and kernel, pooling window, branch, main path and
//! shortcut); the page shows each step and checks that they add up to the value it shows.

use std::sync::Arc;

use convscope::pixel_math::{ChannelTerm, PixelMath, PixelQuery, Step, WeightedSum};
use leptos::html::Canvas;
use leptos::prelude::*;

use super::feature_maps::{format_value, tap_values};
use super::heatmap::{Grid, channel_ranges, draw, render_grid};
use super::i18n::Text;
use super::{AppState, engine_link, use_state};
use crate::protocol::Request;

/// Input channels shown one by one; the others are summed in one line.
const SHOWN_TERMS: usize = 4;
/// Patches up to this side are written out as numbers; larger ones are drawn.
const NUMBERED_SIDE: usize = 3;

/// The pixel maths of the chosen pixel, as far as the engine has answered.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum PixelMathState {
    #[default]
    Nothing,
    Waiting,
    Ready(Arc<PixelMath>),
    Failed(String),
}

/// The engine's answer; an answer about an older input or another pixel is dropped.
pub fn on_explained(state: AppState, inference: u64, result: Result<PixelMath, String>) {
    let current = state.inference.with_untracked(|i| i.as_ref().map(|i| i.id));
    if current != Some(inference) {
        return;
    }
    let chosen = state.chosen_pixel.get_untracked();
    state.pixel_math.set(match result {
        Ok(math) if Some(&math.query) == chosen.as_ref() => PixelMathState::Ready(Arc::new(math)),
        Ok(_) => return,
        Err(message) => PixelMathState::Failed(message),
    });
}

/// The value the page shows for a pixel of the current inference.
fn shown_value(state: AppState, query: &PixelQuery) -> Option<f32> {
    state.inference.with(|inference| {
        let values = tap_values(inference.as_ref()?, &query.tap)?;
        let [_, height, width] = values.shape[..] else {
            return None;
        };
        let index = (query.channel * height + query.row) * width + query.column;
        let bytes = values.values.get(index * 4..index * 4 + 4)?;
        Some(f32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
    })
}

#[component]
pub fn PixelMathView() -> impl IntoView {
    let state = use_state();
    // Each new inference (a stroke, new weights) asks again for the chosen pixel.
    Effect::new(move |_| {
        let Some(query) = state.chosen_pixel.get() else {
            state.pixel_math.set(PixelMathState::Nothing);
            return;
        };
        let Some(inference) = state.inference.with(|i| i.as_ref().map(|i| i.id)) else {
            return;
        };
        state.pixel_math.set(PixelMathState::Waiting);
        engine_link::send(&Request::ExplainPixel { inference, query });
    });
    move || {
        match state.pixel_math.get() {
        PixelMathState::Nothing => {
            view! { <p class="help">{move || state.text(Text::PixelMathHint)}</p> }.into_any()
        }
        PixelMathState::Waiting => {
            view! { <p class="help" aria-busy="true">{move || state.text(Text::PixelMathWaiting)}</p> }
                .into_any()
        }
        PixelMathState::Failed(message) => view! {
            <p class="help error-text" data-testid="pixel-math-error">
                {move || state.text(Text::PixelMathFailed)}": "{message.clone()}
            </p>
        }
        .into_any(),
        PixelMathState::Ready(math) => {
            let shown = shown_value(state, &math.query).unwrap_or(math.value);
            let sum = math.step.recomputed();
            let PixelQuery {
                channel,
                row,
                column,
                ..
            } = math.query;
            view! {
                <section
                    class="pixel-math"
                    data-testid="pixel-math"
                    data-value=shown.to_string()
                    data-sum=sum.to_string()
                    aria-live="polite"
                >
                    <h4>
                        {move || {
                            format!(
                                "{} · {} {channel} · x={column} y={row}",
                                state.text(Text::PixelMathTitle),
                                state.text(Text::Channel),
                            )
                        }}
                    </h4>
                    {step_view(state, &math.step)}
                    <p class="pixel-math-result">
                        {move || state.text(Text::PixelMathShown)}
                        " "
                        <strong>{format_value(shown)}</strong>
                        {((sum - f64::from(shown)).abs() <= 1e-4 * (1.0 + f64::from(shown).abs()))
                            .then_some(" ✓")}
                    </p>
                </section>
            }
            .into_any()
        }
    }
    }
}

fn number(value: f64) -> String {
    format_value(value as f32)
}

fn step_view(state: AppState, step: &Step) -> AnyView {
    match step {
        Step::Weighted(sum) => weighted_view(state, sum),
        Step::MaxPool(window) => {
            let winner = window.winner();
            let cells: Vec<Option<String>> = window
                .values
                .iter()
                .map(|v| v.map(format_value))
                .collect();
            view! {
                <p>{move || state.text(Text::PixelMathMaxPool)}</p>
                <p class="help">
                    {format!(
                        "{k}×{k} · {} ({}, {})",
                        state.text(Text::PixelMathWindow),
                        window.origin[1],
                        window.origin[0],
                        k = window.kernel,
                    )}
                </p>
                {number_grid(window.kernel, cells, winner)}
            }
            .into_any()
        }
        Step::Average(average) => {
            let count = average.values.len();
            let total: f64 = average.values.iter().map(|v| f64::from(*v)).sum();
            view! {
                <p>{move || state.text(Text::PixelMathAverage)}</p>
                <p class="formula">
                    {format!(
                        "Σ / {count} = {} / {count} = {}",
                        number(total),
                        number(total / count.max(1) as f64),
                    )}
                    {format!(" ({}×{})", average.height, average.width)}
                </p>
            }
            .into_any()
        }
        Step::Concat(source) => {
            let starts = source.branch_starts.map(|s| s.to_string()).join(", ");
            view! {
                <p>{move || state.text(Text::PixelMathConcat)}</p>
                <p class="formula">
                    <code>{source.branch_tap.clone()}</code>
                    {format!(
                        " · {} {} = {}",
                        state.text(Text::Channel),
                        source.branch_channel,
                        format_value(source.branch_value),
                    )}
                </p>
                <p class="help">{format!("{} {starts}", state.text(Text::PixelMathBranchStarts))}</p>
            }
            .into_any()
        }
        Step::Sum(sum) => view! {
            <p>{move || state.text(Text::PixelMathSum)}</p>
            <p class="formula">
                {format!(
                    "ReLU({} + {}) = ReLU({}) = {}",
                    format_value(sum.main),
                    format_value(sum.shortcut),
                    number(f64::from(sum.main) + f64::from(sum.shortcut)),
                    number(step.recomputed()),
                )}
            </p>
            <p class="help"><code>{sum.main_tap.clone()}</code>" + "<code>{sum.shortcut_tap.clone()}</code></p>
        }
        .into_any(),
        Step::Identity { input } => view! {
            <p>{move || state.text(Text::PixelMathIdentity)}</p>
            <p class="formula">{format_value(*input)}</p>
        }
        .into_any(),
    }
}

fn weighted_view(state: AppState, sum: &WeightedSum) -> AnyView {
    let strongest = sum.strongest_terms();
    let shown: Vec<ChannelTerm> = strongest
        .iter()
        .take(SHOWN_TERMS)
        .map(|t| (*t).clone())
        .collect();
    let others = strongest.len().saturating_sub(SHOWN_TERMS);
    let others_sum: f64 = strongest.iter().skip(SHOWN_TERMS).map(|t| t.sum()).sum();
    let kernel = sum.kernel;
    let z = sum.before_batch_norm();
    let mut lines = vec![
        (Text::PixelMathProducts, number(sum.products())),
        (
            Text::PixelMathBias,
            format!(
                "{} + {} = {}",
                number(sum.products()),
                format_value(sum.bias),
                number(z)
            ),
        ),
    ];
    if let Some(norm) = &sum.batch_norm {
        lines.push((
            Text::PixelMathBatchNorm,
            format!(
                "({} − {}) / √({} + {}) × {} + {} = {}",
                number(z),
                format_value(norm.mean),
                format_value(norm.variance),
                norm.epsilon,
                format_value(norm.gamma),
                format_value(norm.beta),
                number(sum.before_relu()),
            ),
        ));
    }
    if sum.relu {
        lines.push((
            Text::PixelMathRelu,
            format!(
                "max(0, {}) = {}",
                number(sum.before_relu()),
                number(sum.before_relu().max(0.0))
            ),
        ));
    }
    let linear = kernel == 1 && sum.terms.len() > 1 && sum.origin == [0, 0];
    view! {
        <p>{move || state.text(Text::PixelMathWeighted)}</p>
        <p class="help">
            {format!(
                "{} {} · {k}×{k} · {} ({}, {}) · {} {}",
                state.text(Text::PixelMathLayer),
                sum.layer,
                state.text(Text::PixelMathPatchAt),
                sum.origin[1],
                sum.origin[0],
                sum.terms.len(),
                state.text(Text::PixelMathInputChannels),
                k = kernel,
            )}
        </p>
        <ol class="pixel-terms">
            {shown
                .into_iter()
                .map(|term| {
                    let partial = number(term.sum());
                    let label = format!(
                        "{} {}",
                        if linear { state.text(Text::PixelMathFeature) } else { state.text(Text::Channel) },
                        term.channel,
                    );
                    view! {
                        <li class="pixel-term">
                            <span class="term-label">{label}</span>
                            {patch_view(kernel, &term.inputs)}
                            <span class="times">"·"</span>
                            {patch_view(kernel, &term.weights)}
                            <span class="equals">{format!("= {partial}")}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
        {(others > 0)
            .then(|| {
                view! {
                    <p class="help">
                        {format!(
                            "+ {others} {} = {}",
                            state.text(Text::PixelMathOtherChannels),
                            number(others_sum),
                        )}
                    </p>
                }
            })}
        <table class="pixel-steps">
            <tbody>
                {lines
                    .into_iter()
                    .map(|(what, formula)| {
                        view! {
                            <tr>
                                <th scope="row">{move || state.text(what)}</th>
                                <td class="formula">{formula}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// A patch or kernel: numbers when small, else a small heatmap.
fn patch_view(kernel: usize, values: &[f32]) -> AnyView {
    if kernel <= NUMBERED_SIDE {
        let cells = values.iter().map(|v| Some(format_value(*v))).collect();
        return number_grid(kernel, cells, None);
    }
    let canvas = NodeRef::<Canvas>::new();
    let values = values.to_vec();
    Effect::new(move |_| {
        if let Some(canvas) = canvas.get() {
            let shape = [1, kernel, kernel];
            let grid = Grid::new(shape);
            let rgba = render_grid(&values, &grid, &channel_ranges(&values, shape));
            draw(&canvas, grid.width(), grid.height(), &rgba);
        }
    });
    view! { <canvas node_ref=canvas class="heatmap patch"></canvas> }.into_any()
}

/// A `side × side` grid of numbers (empty cells: padding), one cell marked.
fn number_grid(side: usize, cells: Vec<Option<String>>, marked: Option<usize>) -> AnyView {
    let style = format!("grid-template-columns: repeat({side}, auto)");
    view! {
        <span class="number-grid" style=style>
            {cells
                .into_iter()
                .enumerate()
                .map(|(index, cell)| {
                    let class = match (&cell, marked == Some(index)) {
                        (_, true) => "winner",
                        (None, _) => "padding",
                        _ => "",
                    };
                    view! { <span class=class>{cell.unwrap_or_else(|| "·".into())}</span> }
                })
                .collect_view()}
        </span>
    }
    .into_any()
}
