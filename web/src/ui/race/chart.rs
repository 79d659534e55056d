//! The race's curves: every lane's loss and test accuracy against images seen or seconds,
//! one colour per network (the same as in the shift curves).

use convscope::training::{
    Lane, RACE_MILESTONES, RaceAxis, RacePoint, chance_accuracy, chance_loss,
};
use leptos::prelude::*;

use super::super::i18n::Text;
use super::super::palette::network_color;
use super::super::use_state;

const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 170.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 10.0;
const TOP: f64 = 8.0;
const BOTTOM: f64 = 24.0;

/// Which measurement a chart plots.
#[derive(Clone, Copy, PartialEq)]
enum Measure {
    Loss,
    Accuracy,
}

impl Measure {
    fn points(self, lane: &Lane) -> &[RacePoint] {
        match self {
            Measure::Loss => &lane.losses,
            Measure::Accuracy => &lane.accuracies,
        }
    }
}

struct Frame {
    x_max: f64,
    low: f64,
    high: f64,
}

impl Frame {
    fn x(&self, x: f64) -> f64 {
        LEFT + (WIDTH - LEFT - RIGHT) * x / self.x_max.max(1e-9)
    }

    fn y(&self, y: f64) -> f64 {
        TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - (y - self.low) / (self.high - self.low).max(1e-9))
    }
}

/// Loss from 0 to its largest value; accuracy from the lowest tenth measured (at most 90 %)
/// to 100 %, so the last points apart are visible.
fn frame(lanes: &[Lane], measure: Measure, axis: RaceAxis) -> Frame {
    let points = || lanes.iter().flat_map(|lane| measure.points(lane).iter());
    let x_max = points().map(|p| p.at(axis)).fold(0.0, f64::max).max(1.0);
    let values = || points().map(|p| p.value);
    let (low, high) = match measure {
        Measure::Loss => (0.0, values().fold(0.0, f64::max).max(0.1) * 1.05),
        Measure::Accuracy => {
            let lowest = values().fold(0.9, f64::min);
            ((lowest * 10.0).floor() / 10.0, 1.0)
        }
    };
    Frame { x_max, low, high }
}

fn tick(measure: Measure, value: f64) -> String {
    match measure {
        Measure::Loss => format!("{value:.2}"),
        Measure::Accuracy => format!("{:.0}%", value * 100.0),
    }
}

fn x_tick(axis: RaceAxis, value: f64) -> String {
    match axis {
        RaceAxis::Images => format!("{value:.0} img"),
        RaceAxis::Seconds => format!("{value:.0} s"),
    }
}

#[component]
fn RaceCurves(measure: Measure, title: Text) -> impl IntoView {
    let state = use_state();
    let race = state.race;
    let lanes = move || {
        race.standing
            .with(|s| s.as_ref().map(|s| s.lanes.clone()).unwrap_or_default())
    };
    view! {
        <figure class="chart race-curves">
            <figcaption>{move || state.text(title)}</figcaption>
            <svg
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                data-measure=match measure { Measure::Loss => "loss", Measure::Accuracy => "accuracy" }
                role="img"
                aria-label=move || state.text(title)
            >
                {move || {
                    let lanes = lanes();
                    let axis = race.axis.get();
                    let frame = frame(&lanes, measure, axis);
                    let bottom = HEIGHT - BOTTOM;
                    // Accuracy: the milestones of the table (95 % labelled left, 98 % right,
                    // so they never overlap) and 10 %, a guess; loss: ln 10, a guess.
                    let guides: Vec<(f64, String, bool)> = match measure {
                        Measure::Accuracy => RACE_MILESTONES
                            .iter()
                            .enumerate()
                            .map(|(i, &m)| (m, tick(measure, m), i % 2 == 1))
                            .chain([(chance_accuracy(), state.text(Text::GuessAccuracy).to_string(), true)])
                            .filter(|&(m, _, _)| m > frame.low)
                            .collect(),
                        Measure::Loss => vec![(chance_loss(), state.text(Text::GuessLoss).to_string(), true)],
                    };
                    let guides = guides
                        .into_iter()
                        .filter(|(value, _, _)| *value < frame.high)
                        .map(|(value, label, right)| {
                            let (x, anchor) = if right { (WIDTH - RIGHT - 2.0, "end") } else { (LEFT + 2.0, "start") };
                            view! {
                                <line class="guide" data-value=format!("{value:.4}") x1=LEFT x2=WIDTH - RIGHT y1=frame.y(value) y2=frame.y(value)></line>
                                <text class="tick" x=x y=frame.y(value) - 2.0 text-anchor=anchor>{label}</text>
                            }
                        })
                        .collect_view();
                    let curves = lanes
                        .iter()
                        .map(|lane| {
                            let points = measure.points(lane);
                            let path = points
                                .iter()
                                .map(|p| format!("{:.1},{:.1}", frame.x(p.at(axis)), frame.y(p.value)))
                                .collect::<Vec<_>>()
                                .join(" ");
                            let color = network_color(&lane.preset);
                            let dots = (measure == Measure::Accuracy).then(|| {
                                points
                                    .iter()
                                    .map(|p| view! {
                                        <circle cx=format!("{:.1}", frame.x(p.at(axis))) cy=format!("{:.1}", frame.y(p.value)) r="2.2" fill=color></circle>
                                    })
                                    .collect_view()
                            });
                            view! {
                                <polyline
                                    class="lane-curve"
                                    data-preset=lane.preset.clone()
                                    data-points=points.len()
                                    points=path
                                    stroke=color
                                    fill="none"
                                ></polyline>
                                {dots}
                            }
                        })
                        .collect_view();
                    view! {
                        <line class="axis" x1=LEFT y1=TOP x2=LEFT y2=bottom></line>
                        <line class="axis" x1=LEFT y1=bottom x2=WIDTH - RIGHT y2=bottom></line>
                        <text class="tick" x=LEFT - 4.0 y=TOP + 8.0 text-anchor="end">{tick(measure, frame.high)}</text>
                        <text class="tick" x=LEFT - 4.0 y=bottom text-anchor="end">{tick(measure, frame.low)}</text>
                        <text class="tick" x=LEFT y=HEIGHT - 8.0>"0"</text>
                        <text class="tick" x=WIDTH - RIGHT y=HEIGHT - 8.0 text-anchor="end">{x_tick(axis, frame.x_max)}</text>
                        {guides}
                        {curves}
                    }
                }}
            </svg>
        </figure>
    }
}

#[component]
pub fn RaceChart() -> impl IntoView {
    let state = use_state();
    let race = state.race;
    let on_axis = move |event: leptos::ev::Event| {
        race.axis.set(if event_target_value(&event) == "seconds" {
            RaceAxis::Seconds
        } else {
            RaceAxis::Images
        });
    };
    view! {
        <div class="race-chart" data-testid="race-chart" data-axis=move || match race.axis.get() { RaceAxis::Images => "images", RaceAxis::Seconds => "seconds" }>
            <label class="race-axis">
                {move || state.text(Text::RaceAxis)}" "
                <select data-testid="race-axis" on:change=on_axis>
                    <option value="images" prop:selected=move || race.axis.get() == RaceAxis::Images>
                        {move || state.text(Text::RaceImagesSeen)}
                    </option>
                    <option value="seconds" prop:selected=move || race.axis.get() == RaceAxis::Seconds>
                        {move || state.text(Text::RaceSecondsTrained)}
                    </option>
                </select>
            </label>
            <div class="race-charts">
                <RaceCurves measure=Measure::Loss title=Text::RaceLossTitle />
                <RaceCurves measure=Measure::Accuracy title=Text::RaceAccuracyTitle />
            </div>
            <ul class="legend">
                {move || {
                    race.standing
                        .with(|s| s.as_ref().map(|s| s.config.presets.clone()).unwrap_or_default())
                        .into_iter()
                        .map(|name| {
                            view! {
                                <li>
                                    <span class="swatch" style=format!("background:{}", network_color(&name))></span>
                                    {name}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}
