//! The four browser networks side by side on the current input: each one's prediction and
//! top three, parameters, MACs, time and where its weights came from; and their stages lined
//! up by how far each has shrunk the input (its jump: input pixels per output pixel).

use convscope::arch::{Preset, PresetKind};
use convscope::lessons::walk_stops;
use leptos::prelude::*;

use super::i18n::Text;
use super::inference::current_input;
use super::network::thousands;
use super::newest::NewestRequest;
use super::tabs::Tab;
use super::{AppState, engine_link, test_hooks, use_state};
use crate::protocol::{ComparedNetwork, Request};

thread_local! {
    static COMPARISON: NewestRequest = const { NewestRequest::new() };
}

fn ask(state: AppState) {
    let Some(input) = current_input(state) else {
        return;
    };
    if let Some(id) = COMPARISON.with(NewestRequest::start) {
        engine_link::send(&Request::Compare { id, input });
    }
}

pub fn on_compared(state: AppState, id: u64, result: Result<Vec<ComparedNetwork>, String>) {
    let (newest, again) = COMPARISON.with(|request| request.finish(id));
    if newest {
        match result {
            Ok(networks) => {
                test_hooks::record_comparison(&networks);
                state.compared.set(networks);
            }
            Err(message) => state.error.set(Some(message)),
        }
    }
    if again && state.tab.get_untracked() == Tab::Compare {
        ask(state);
    }
}

/// Where a network's weights came from, as the page knows it.
fn weights_origin(state: AppState, network: &ComparedNetwork) -> String {
    if !network.current {
        return state.text(Text::WeightsPretrained).to_string();
    }
    super::figure::weights_description(state)
}

/// Top three digits with their probabilities.
fn top_three(probabilities: &[f32]) -> Vec<(usize, f32)> {
    let mut ranked: Vec<(usize, f32)> = probabilities.iter().copied().enumerate().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranked.truncate(3);
    ranked
}

/// A stage of a network: its tap name, channels and jump.
struct Stage {
    name: String,
    channels: usize,
    jump: usize,
}

/// The presets that train and run fast in a browser, in the order every view lists them.
pub fn browser_presets() -> impl Iterator<Item = &'static Preset> {
    Preset::ALL.iter().filter(|p| p.kind == PresetKind::Browser)
}

#[component]
pub fn CompareView() -> impl IntoView {
    let state = use_state();
    // Each new result for the input (or showing the view) compares again, while it shows.
    Effect::new(move |_| {
        state.inference.track();
        if state.tab.get() == Tab::Compare {
            ask(state);
        }
    });
    let cards = move || {
        state
            .compared
            .get()
            .into_iter()
            .map(|network| {
                let preset = Preset::by_name(&network.preset).ok();
                let summary = preset.and_then(|p| p.architecture().summary().ok());
                let (params, macs) =
                    summary.map_or((0, 0), |s| (s.total_params, s.total_macs));
                let top = top_three(&network.probabilities);
                let origin = weights_origin(state, &network);
                view! {
                    <article class="compare-card" class:current=network.current data-testid="compare-card" data-preset=network.preset.clone()>
                        <h3>{network.preset.clone()}</h3>
                        <p class="compare-prediction">
                            <span class="prediction" data-testid="prediction">{network.class}</span>
                            <span class="help">
                                {format!(" {:.1}%", network.probabilities[network.class] * 100.0)}
                            </span>
                        </p>
                        <ol class="compare-top" data-testid="compare-top">
                            {top
                                .into_iter()
                                .map(|(digit, p)| view! { <li>{format!("{digit} · {:.1}%", p * 100.0)}</li> })
                                .collect_view()}
                        </ol>
                        <dl class="compare-facts">
                            <dt>{move || state.text(Text::Params)}</dt>
                            <dd data-testid="compare-params">{thousands(params)}</dd>
                            <dt>{move || state.text(Text::Macs)}</dt>
                            <dd>{thousands(macs)}</dd>
                            <dt>{move || state.text(Text::CompareTime)}</dt>
                            <dd>{format!("{:.1} ms", network.compute_ms)}</dd>
                            <dt>{move || state.text(Text::Weights)}</dt>
                            <dd data-testid="compare-weights">{origin}</dd>
                        </dl>
                    </article>
                }
            })
            .collect_view()
    };
    // Rows: how far the input has shrunk (jump); cells: each network's stages at that scale.
    let depth_rows = move || {
        let columns: Vec<(&'static Preset, Vec<Stage>)> = browser_presets()
            .map(|preset| {
                let architecture = preset.architecture();
                let taps = architecture.taps().unwrap_or_default();
                let fields = architecture.receptive_fields().unwrap_or_default();
                let stops = walk_stops(&taps)
                    .into_iter()
                    .filter_map(|stop| {
                        let tap = taps.iter().find(|t| t.name == stop)?;
                        let field = fields.iter().find(|f| f.name == stop)?;
                        Some(Stage {
                            channels: tap.shape[0],
                            jump: field.field.rows.jump,
                            name: stop,
                        })
                    })
                    .collect();
                (preset, stops)
            })
            .collect();
        let mut jumps: Vec<usize> = columns
            .iter()
            .flat_map(|(_, stops)| stops.iter().map(|s| s.jump))
            .collect();
        jumps.sort_unstable();
        jumps.dedup();
        view! {
            <table class="compare-depth" data-testid="compare-depth">
                <thead>
                    <tr>
                        <th>{move || state.text(Text::Jump)}</th>
                        {columns.iter().map(|(p, _)| view! { <th>{p.name}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {jumps
                        .into_iter()
                        .map(|jump| {
                            view! {
                                <tr>
                                    <th scope="row">{format!("×{jump}")}</th>
                                    {columns
                                        .iter()
                                        .map(|(preset, stops)| {
                                            let here: Vec<String> = stops
                                                .iter()
                                                .filter(|s| s.jump == jump)
                                                .map(|s| format!("{}\u{a0}({})", s.name, s.channels))
                                                .collect();
                                            // On a phone each cell is a line named by its network (style.css).
                                            view! {
                                                <td data-network=preset.name class:none=here.is_empty()>
                                                    {here.join(", ")}
                                                </td>
                                            }
                                        })
                                        .collect_view()}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
    };
    view! {
        <section class="compare" data-testid="compare-view" aria-labelledby="compare-title">
            <h2 id="compare-title">{move || state.text(Text::CompareTitle)}</h2>
            <p class="help">{move || state.text(Text::CompareHelp)}</p>
            <div class="compare-cards">{cards}</div>
            <h3>{move || state.text(Text::CompareDepth)}</h3>
            <p class="help">{move || state.text(Text::CompareDepthHelp)}</p>
            <div class="table-scroll">{depth_rows}</div>
        </section>
    }
}
