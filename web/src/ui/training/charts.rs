//! Loss and accuracy curves as SVG: one `<circle>` per logged point, so they can be counted.
//! Their plot area is also that of the layers' health curves (`inside.rs`).

use leptos::prelude::*;

use super::super::figure::{ExportFigure, Figure};
use super::super::i18n::Text;
use super::super::use_state;

pub(super) const WIDTH: f64 = 320.0;
pub(super) const HEIGHT: f64 = 150.0;
pub(super) const LEFT: f64 = 40.0;
pub(super) const RIGHT: f64 = 8.0;
pub(super) const TOP: f64 = 8.0;
pub(super) const BOTTOM: f64 = 22.0;

/// One point of a curve: x (the step), y, and whether it is drawn filled.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartPoint {
    pub x: f64,
    pub y: f64,
    pub filled: bool,
}

/// Maps data to the plot area: x from 0 to the last step, y over `[low, high]`.
struct Scale {
    x_max: f64,
    low: f64,
    high: f64,
}

impl Scale {
    fn x(&self, x: f64) -> f64 {
        LEFT + (WIDTH - LEFT - RIGHT) * x / self.x_max.max(1.0)
    }

    fn y(&self, y: f64) -> f64 {
        let span = (self.high - self.low).max(1e-9);
        TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - (y - self.low) / span)
    }
}

/// A tick's number: as many decimals as its size needs.
pub(super) fn label(value: f64) -> String {
    if value == 0.0 {
        "0".to_string()
    } else if value.abs() >= 100.0 {
        format!("{value:.0}")
    } else if value.abs() >= 1.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

/// The y range of a chart without a fixed one: from 0 over the data, and over the guess line
/// too while the chart is empty or its curve climbs to half of it. A run from random weights
/// then starts on the line, and a fine-tune far below it keeps its detail.
fn spanned_range(points: &[ChartPoint], guess: Option<f64>) -> (f64, f64) {
    let data_high = points
        .iter()
        .map(|p| p.y)
        .filter(|y| y.is_finite())
        .fold(0.0, f64::max);
    let guess_high = guess
        .filter(|&guess| points.is_empty() || data_high >= guess / 2.0)
        .unwrap_or(0.0);
    let high = data_high.max(guess_high);
    (0.0, if high > 0.0 { high * 1.05 } else { 1.0 })
}

/// A line chart; `fixed_range` pins the y axis (accuracy), else it spans the data from 0.
/// `guess` is what a network that has learned nothing scores, drawn as a dashed line with its
/// label, so a curve is read against it.
#[component]
pub fn LineChart(
    points: Signal<Vec<ChartPoint>>,
    title: Text,
    test_id: &'static str,
    #[prop(optional)] fixed_range: Option<(f64, f64)>,
    #[prop(optional)] unit: &'static str,
    #[prop(optional)] guess: Option<(f64, Text)>,
) -> impl IntoView {
    let state = use_state();
    let scale = move || {
        points.with(|points| {
            let x_max = points.iter().map(|p| p.x).fold(0.0, f64::max);
            let (low, high) =
                fixed_range.unwrap_or_else(|| spanned_range(points, guess.map(|(value, _)| value)));
            Scale { x_max, low, high }
        })
    };
    let guess_line = move || {
        let scale = scale();
        guess
            .filter(|&(value, _)| value > scale.low && value < scale.high)
            .map(|(value, text)| {
                let y = scale.y(value);
                view! {
                    <line class="guide" data-value=format!("{value:.4}") x1=LEFT x2=WIDTH - RIGHT y1=y y2=y />
                    <text class="tick" x=WIDTH - RIGHT - 2.0 y=y - 3.0 text-anchor="end">
                        {move || state.text(text)}
                    </text>
                }
            })
    };
    let polyline = move || {
        let scale = scale();
        points
            .get()
            .iter()
            .filter(|p| p.y.is_finite())
            .map(|p| format!("{:.1},{:.1}", scale.x(p.x), scale.y(p.y)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let circles = move || {
        let scale = scale();
        points
            .get()
            .into_iter()
            .filter(|p| p.y.is_finite())
            .map(|p| {
                view! {
                    <circle
                        class="point"
                        class:filled=p.filled
                        cx=format!("{:.1}", scale.x(p.x))
                        cy=format!("{:.1}", scale.y(p.y))
                        r="2.5"
                    >
                        <title>{format!("{} {}: {}{unit}", state.text(Text::Step), p.x, label(p.y))}</title>
                    </circle>
                }
            })
            .collect_view()
    };
    let axes = move || {
        let scale = scale();
        let bottom = HEIGHT - BOTTOM;
        view! {
            <line class="axis" x1=LEFT y1=TOP x2=LEFT y2=bottom />
            <line class="axis" x1=LEFT y1=bottom x2=WIDTH - RIGHT y2=bottom />
            <text class="tick" x=LEFT - 4.0 y=TOP + 8.0 text-anchor="end">
                {format!("{}{unit}", label(scale.high))}
            </text>
            <text class="tick" x=LEFT - 4.0 y=bottom text-anchor="end">
                {format!("{}{unit}", label(scale.low))}
            </text>
            <text class="tick" x=WIDTH - RIGHT y=HEIGHT - 6.0 text-anchor="end">
                {if scale.x_max > 0.0 {
                    format!("{} {}", state.text(Text::Step), scale.x_max)
                } else {
                    state.text(Text::Step).to_string()
                }}
            </text>
        }
    };
    view! {
        <figure class="chart">
            <figcaption>{move || state.text(title)}</figcaption>
            <svg
                data-testid=test_id
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img"
                aria-label=move || state.text(title)
            >
                {axes}
                {guess_line}
                <polyline class="curve" points=polyline />
                {circles}
            </svg>
            <ExportFigure
                figure=Figure::Chart(test_id)
                title=Signal::derive(move || state.text(title).to_string())
            />
        </figure>
    }
}
