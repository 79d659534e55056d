//! The race's result table: where each lane stands, when it reached 95 % and 98 %, and who
//! got there first, in images and in seconds.

use convscope::training::{Lane, RACE_MILESTONES, RaceAxis, RaceStanding};
use leptos::prelude::*;

use super::super::i18n::Text;
use super::super::palette::network_color;
use super::super::{AppState, use_state};
use super::RaceStatus;

fn percent(value: f64) -> String {
    format!("{:.1}", value * 100.0)
}

/// "3,200 img · 12.4 s", or "not yet" while the race can still get there ("not reached" once
/// it is over).
fn reached(state: AppState, lane: &Lane, milestone: f64, finished: bool) -> String {
    let not_reached = if finished {
        Text::RaceNeverReached
    } else {
        Text::RaceNotReached
    };
    lane.reached(milestone).map_or_else(
        || state.text(not_reached).to_string(),
        |point| format!("{} img · {:.1} s", point.images, point.seconds),
    )
}

/// "95 %: resnet18-lite by images, alexnet-lite by seconds".
fn winners(state: AppState, standing: &RaceStanding, finished: bool) -> Vec<String> {
    let nobody = if finished {
        Text::RaceNobody
    } else {
        Text::RaceNobodyYet
    };
    RACE_MILESTONES
        .iter()
        .map(|&milestone| {
            let name = |axis| {
                standing
                    .first_to(milestone, axis)
                    .map(|lane| standing.lanes[lane].preset.clone())
            };
            let result = match (name(RaceAxis::Images), name(RaceAxis::Seconds)) {
                (Some(by_images), Some(by_seconds)) => format!(
                    "{by_images} {}, {by_seconds} {}",
                    state.text(Text::RaceByImages),
                    state.text(Text::RaceBySeconds)
                ),
                _ => state.text(nobody).to_string(),
            };
            format!(
                "{} {}%: {result}",
                state.text(Text::RaceFirstTo),
                percent(milestone).trim_end_matches(".0")
            )
        })
        .collect()
}

#[component]
pub fn RaceTable() -> impl IntoView {
    let state = use_state();
    let race = state.race;
    let rows = move || {
        let standing = race.standing.get()?;
        let finished = race.status.get() == RaceStatus::Finished;
        let budget = standing.config.budget;
        let rows = standing
            .lanes
            .iter()
            .map(|lane| {
                let accuracy = lane.accuracies.last().map(|p| p.value);
                let loss = lane.losses.last().map(|p| p.value);
                let speed = (lane.seconds > 0.0).then(|| lane.images as f64 / lane.seconds);
                let note = if lane.diverged_at.is_some() {
                    format!("{} {}", state.text(Text::RaceDiverged), lane.diverged_at.unwrap_or(0))
                } else {
                    format!("{:.0}%", (lane.used(budget) * 100.0).min(100.0))
                };
                view! {
                    <tr
                        data-preset=lane.preset.clone()
                        data-images=lane.images
                        data-seconds=format!("{:.3}", lane.seconds)
                        data-measured=lane.accuracies.len()
                        data-accuracy=accuracy.map(percent)
                    >
                        <th scope="row">
                            <span class="swatch" style=format!("background:{}", network_color(&lane.preset))></span>
                            {lane.preset.clone()}
                        </th>
                        <td>{note}</td>
                        <td>{lane.images}</td>
                        <td>{format!("{:.1}", lane.seconds)}</td>
                        <td>{speed.map(|s| format!("{s:.0}"))}</td>
                        <td>{loss.map(|l| format!("{l:.3}"))}</td>
                        <td>{accuracy.map(|a| format!("{}%", percent(a)))}</td>
                        {RACE_MILESTONES
                            .iter()
                            .map(|&m| view! { <td>{reached(state, lane, m, finished)}</td> })
                            .collect_view()}
                    </tr>
                }
            })
            .collect_view();
        let winners = winners(state, &standing, finished)
            .into_iter()
            .map(|line| view! { <li>{line}</li> })
            .collect_view();
        Some(view! {
            <ul class="race-winners" data-testid="race-winners">{winners}</ul>
            <div class="table-scroll">
                <table class="race-table" data-testid="race-table">
                    <thead>
                        <tr>
                            <th>{move || state.text(Text::Network)}</th>
                            <th>{move || state.text(Text::RaceBudgetUsed)}</th>
                            <th>{move || state.text(Text::RaceImagesSeen)}</th>
                            <th>{move || state.text(Text::RaceSecondsTrained)}</th>
                            <th>"img/s"</th>
                            <th>{move || state.text(Text::RaceLastLoss)}</th>
                            <th>{move || state.text(Text::RaceLastAccuracy)}</th>
                            {RACE_MILESTONES
                                .iter()
                                .map(|&m| view! { <th>{format!("{} {}%", state.text(Text::RaceReached), percent(m).trim_end_matches(".0"))}</th> })
                                .collect_view()}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        })
    };
    view! { {rows} }
}
