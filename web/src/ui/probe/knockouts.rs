//! Knock-outs: the parts a network can lose whole (Inception branches, a residual block's main
//! path or shortcut, a VGG block's convolutions) as toggles, the channels switched off (from
//! the enlarged channel), and the test accuracy of the set beside the intact network's.

use convscope::probe::{WholeKind, WholeTarget, whole_targets};
use leptos::prelude::*;

use super::super::i18n::Text;
use super::super::{AppState, engine_link, use_state};
use super::{JobProgress, changed};
use crate::protocol::{KnockoutAccuracy, Request};

/// The test set's size, and a quick look's.
pub const TEST_DIGITS: [usize; 2] = [10_000, 1_000];

/// A choice of how many test digits a search runs over.
#[component]
pub fn DigitsChoice(digits: RwSignal<usize>, test_id: &'static str) -> impl IntoView {
    let state = use_state();
    view! {
        <select
            data-testid=test_id
            aria-label=move || state.text(Text::KnockoutDigits)
            on:change=move |event| {
                if let Ok(size) = event_target_value(&event).parse() {
                    digits.set(size);
                }
            }
        >
            {TEST_DIGITS
                .into_iter()
                .map(|size| {
                    view! {
                        <option value=size.to_string() prop:selected=move || digits.get() == size>
                            {move || format!("{size} {}", state.text(Text::TestDigits))}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
}

/// Switches `target` off, or back on.
pub fn toggle(state: AppState, target: &str) {
    state
        .probes
        .knockouts
        .update(|targets| match targets.iter().position(|t| t == target) {
            Some(index) => {
                targets.remove(index);
            }
            None => {
                targets.push(target.to_string());
                targets.sort();
            }
        });
    changed(state);
}

/// A button that switches one part off and on.
#[component]
pub fn KnockoutToggle(target: String, #[prop(into)] label: Signal<String>) -> impl IntoView {
    let state = use_state();
    let off = {
        let target = target.clone();
        move || {
            state
                .probes
                .knockouts
                .with(|targets| targets.contains(&target))
        }
    };
    let on_click = {
        let target = target.clone();
        move |_| toggle(state, &target)
    };
    let off_for_title = off.clone();
    view! {
        <button
            class="knockout"
            class:off=off.clone()
            data-testid="knockout"
            data-target=target
            aria-pressed=move || off().to_string()
            title=move || {
                if off_for_title() { state.text(Text::KnockoutOn) } else { state.text(Text::KnockoutOff) }
            }
            on:click=on_click
        >
            {move || label.get()}
        </button>
    }
}

fn kind_text(kind: WholeKind) -> Text {
    match kind {
        WholeKind::Branch => Text::KnockBranch,
        WholeKind::MainPath => Text::KnockMain,
        WholeKind::Shortcut => Text::KnockShortcut,
        WholeKind::BlockConvolutions => Text::KnockBlockConvs,
    }
}

/// Whole targets grouped by the block they belong to, in forward order.
fn by_block(targets: Vec<WholeTarget>) -> Vec<(String, Vec<WholeTarget>)> {
    let mut blocks: Vec<(String, Vec<WholeTarget>)> = Vec::new();
    for target in targets {
        let block = match target.kind {
            WholeKind::BlockConvolutions => target.target.clone(),
            _ => target
                .target
                .rsplit_once('.')
                .map_or(target.target.clone(), |(block, _)| block.to_string()),
        };
        match blocks.last_mut() {
            Some((last, members)) if *last == block => members.push(target),
            _ => blocks.push((block, vec![target])),
        }
    }
    blocks
}

pub fn cancel_accuracy(state: AppState) {
    if JobProgress::cancel(state.probes.accuracy_run) {
        engine_link::send(&Request::CancelKnockoutAccuracy);
    }
}

fn start_accuracy(state: AppState, size: usize) {
    let id = JobProgress::begin(state.probes.accuracy_run, size);
    engine_link::send(&Request::KnockoutAccuracy {
        id,
        knockouts: state.probes.knockouts.get_untracked(),
        size,
    });
}

pub fn on_progress(state: AppState, id: u64, done: usize, total: usize) {
    JobProgress::advance(state.probes.accuracy_run, id, done, total);
}

pub fn on_done(state: AppState, id: u64, result: Option<Result<KnockoutAccuracy, String>>) {
    if !JobProgress::finish(state.probes.accuracy_run, id) {
        return;
    }
    match result {
        Some(Ok(row)) => state.probes.tried.update(|rows| rows.push(row)),
        Some(Err(message)) => state.error.set(Some(message)),
        None => {}
    }
}

fn percent(fraction: f64) -> String {
    format!("{:.2}", 100.0 * fraction)
}

#[component]
pub fn KnockoutSection() -> impl IntoView {
    let state = use_state();
    let probes = state.probes;
    let blocks = Memo::new(move |_| by_block(whole_targets(&state.preset.get().architecture())));
    let channels = move || {
        probes
            .knockouts
            .get()
            .into_iter()
            .filter(|target| target.contains(':'))
            .collect::<Vec<_>>()
    };
    let digits = RwSignal::new(TEST_DIGITS[0]);
    let running = move || probes.accuracy_run.get().is_running();
    view! {
        <section class="panel probe-section" aria-labelledby="knockout-title">
            <h3 id="knockout-title">{move || state.text(Text::KnockoutTitle)}</h3>
            <p class="help">{move || state.text(Text::KnockoutHelp)}</p>
            {move || {
                let blocks = blocks.get();
                if blocks.is_empty() {
                    return view! { <p class="help">{move || state.text(Text::KnockoutNoParts)}</p> }.into_any();
                }
                view! {
                    <ul class="knockout-blocks">
                        {blocks
                            .into_iter()
                            .map(|(block, targets)| {
                                view! {
                                    <li>
                                        <code>{block}</code>
                                        {targets
                                            .into_iter()
                                            .map(|target| {
                                                let kind = target.kind;
                                                let last = target.target.rsplit('.').next().unwrap_or_default().to_string();
                                                let label = Signal::derive(move || match kind {
                                                    WholeKind::Branch => format!("{} {}", state.text(kind_text(kind)), last.trim_start_matches("branch")),
                                                    _ => state.text(kind_text(kind)).to_string(),
                                                });
                                                view! { <KnockoutToggle target=target.target label=label /> }
                                            })
                                            .collect_view()}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            <p class="help">{move || state.text(Text::KnockoutChannelsHint)}</p>
            <div class="knockout-channels" data-testid="knockout-channels">
                {move || {
                    channels()
                        .into_iter()
                        .map(|target| {
                            let label = target.clone();
                            view! { <KnockoutToggle target=target label=Signal::derive(move || label.clone()) /> }
                        })
                        .collect_view()
                }}
            </div>
            <div class="row">
                <button
                    data-testid="knockout-clear"
                    disabled=move || probes.knockouts.with(Vec::is_empty)
                    on:click=move |_| {
                        probes.knockouts.set(Vec::new());
                        changed(state);
                    }
                >
                    {move || state.text(Text::KnockoutClear)}
                </button>
                <DigitsChoice digits=digits test_id="knockout-digits" />
                <button
                    data-testid="knockout-accuracy"
                    disabled=running
                    on:click=move |_| start_accuracy(state, digits.get_untracked())
                >
                    {move || state.text(Text::KnockoutAccuracy)}
                </button>
                <button data-testid="knockout-cancel" hidden=move || !running() on:click=move |_| cancel_accuracy(state)>
                    {move || state.text(Text::Cancel)}
                </button>
            </div>
            {move || match probes.accuracy_run.get() {
                JobProgress::Running { done, total, .. } => {
                    view! {
                        <progress data-testid="knockout-progress" max=total.to_string() value=done.to_string()></progress>
                    }
                        .into_any()
                }
                JobProgress::Idle => ().into_any(),
            }}
            <div class="table-scroll">
                <table data-testid="knockout-table">
                    <thead>
                        <tr>
                            <th>{move || state.text(Text::KnockoutSet)}</th>
                            <th class="number">{move || state.text(Text::Accuracy)}</th>
                            <th class="number">{move || state.text(Text::Intact)}</th>
                            <th class="number">{move || state.text(Text::Change)}</th>
                            <th class="number">{move || state.text(Text::TestDigits)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            probes
                                .tried
                                .get()
                                .into_iter()
                                .map(|row| {
                                    let set = if row.knockouts.is_empty() {
                                        state.text(Text::KnockoutNone).to_string()
                                    } else {
                                        row.knockouts.join(", ")
                                    };
                                    let change = 100.0 * (row.accuracy - row.intact);
                                    view! {
                                        <tr data-accuracy=percent(row.accuracy) data-intact=percent(row.intact)>
                                            <td class="knockout-set">{set}</td>
                                            <td class="number">{format!("{}%", percent(row.accuracy))}</td>
                                            <td class="number">{format!("{}%", percent(row.intact))}</td>
                                            <td class="number" class:worse=change < 0.0>{format!("{change:+.2}")}</td>
                                            <td class="number">{row.total}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
