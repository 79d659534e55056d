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

fn label(value: f64) -> String {
    if value.abs() >= 100.0 {
        format!("{value:.0}")
    } else if value.abs() >= 1.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

/// A line chart; `fixed_range` pins the y axis (accuracy), else it spans the data from 0.
#[component]
pub fn LineChart(
    points: Signal<Vec<ChartPoint>>,
    title: Text,
    test_id: &'static str,
    #[prop(optional)] fixed_range: Option<(f64, f64)>,
    #[prop(optional)] unit: &'static str,
) -> impl IntoView {
    let state = use_state();
    let scale = move || {
        let points = points.get();
        let x_max = points.iter().map(|p| p.x).fold(1.0, f64::max);
        let (low, high) = fixed_range.unwrap_or_else(|| {
            let high = points
                .iter()
                .map(|p| p.y)
                .filter(|y| y.is_finite())
                .fold(0.0, f64::max);
            (0.0, if high > 0.0 { high * 1.05 } else { 1.0 })
        });
        Scale { x_max, low, high }
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
                {format!("{} {}", state.text(Text::Step), scale.x_max)}
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
