//! The layer table, from the preset's description, and what it says about the network: where
//! its weights are, where its arithmetic is, and from which map on a pixel sees the whole digit.

use convscope::summary::{LinearShare, Summary};
use leptos::prelude::*;

use super::i18n::{Text, fill};
use super::network::thousands;
use super::{AppState, use_state};

/// A share as the facts print it: whole per cent, one decimal below 10 %, "<0.1%" for none.
fn percent(share: f64) -> String {
    let percent = 100.0 * share;
    if percent >= 9.95 {
        format!("{percent:.0}%")
    } else if percent >= 0.05 {
        format!("{percent:.1}%")
    } else {
        "<0.1%".to_string()
    }
}

/// Why the share matters, where it says something: a classifier that holds most weights, or
/// global pooling that left almost none there.
fn share_reason(share: LinearShare) -> Option<Text> {
    if share.params > 0.5 {
        Some(Text::LinearHoldsMost)
    } else if share.params < 0.05 {
        Some(Text::LinearHoldsLittle)
    } else {
        None
    }
}

fn linear_share_fact(state: AppState, summary: &Summary) -> String {
    let share = summary.linear_share();
    let (params, macs) = (percent(share.params), percent(share.macs));
    let fact = fill(state.text(Text::LinearShare), &[&params, &macs]);
    match share_reason(share) {
        Some(reason) => format!(
            "{fact}{}{}",
            state.text(Text::SentenceGap),
            state.text(reason)
        ),
        None => fact,
    }
}

fn whole_view_fact(state: AppState, summary: &Summary) -> Option<String> {
    let whole = summary.first_whole_view()?;
    let side = summary.input_side()?.to_string();
    let field = whole.receptive_field.to_string();
    let tap = whole.tap.as_deref().unwrap_or(&whole.name);
    Some(fill(
        state.text(Text::WholeView),
        &[tap, &whole.name, &side, &side, &field, &field],
    ))
}

/// The table's two lessons, under its title.
#[component]
fn LayerFacts(summary: Memo<Option<Summary>>) -> impl IntoView {
    let state = use_state();
    view! {
        {move || {
            summary
                .get()
                .map(|summary| {
                    view! {
                        <ul class="layer-facts" data-testid="layer-facts">
                            <li data-testid="linear-share">{linear_share_fact(state, &summary)}</li>
                            {whole_view_fact(state, &summary)
                                .map(|fact| view! { <li data-testid="whole-view">{fact}</li> })}
                        </ul>
                    }
                })
        }}
    }
}

#[component]
pub fn LayerTable() -> impl IntoView {
    let state = use_state();
    let summary = Memo::new(move |_| state.preset.get().architecture().summary().ok());
    view! {
        <section class="panel layer-table" aria-labelledby="layers-title">
            <h2 id="layers-title">{move || state.text(Text::LayerTable)}</h2>
            <LayerFacts summary=summary />
            <p class="help">{move || state.text(Text::LayerTableHelp)}</p>
            <div class="table-scroll">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{move || state.text(Text::Layer)}</th>
                            <th scope="col">{move || state.text(Text::Type)}</th>
                            <th scope="col">{move || state.text(Text::Tap)}</th>
                            <th scope="col">{move || state.text(Text::OutputShape)}</th>
                            <th scope="col" class="number">{move || state.text(Text::Params)}</th>
                            <th scope="col" class="number">{move || state.text(Text::Macs)}</th>
                            <th scope="col" class="number" title=move || state.text(Text::ReceptiveFieldHelp)>
                                {move || state.text(Text::ReceptiveField)}
                            </th>
                            <th scope="col" class="number" title=move || state.text(Text::JumpHelp)>
                                {move || state.text(Text::Jump)}
                            </th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            summary
                                .get()
                                .map(|summary| {
                                    let whole_view = summary
                                        .first_whole_view()
                                        .map(|row| row.name.clone());
                                    summary
                                        .layers
                                        .into_iter()
                                        .map(|row| {
                                            let sees_all = whole_view.as_deref() == Some(row.name.as_str());
                                            let layer = row.name.clone();
                                            view! {
                                                <tr class:whole-view=sees_all data-layer=layer>
                                                    <td><code>{row.name}</code></td>
                                                    <td>{row.kind}</td>
                                                    <td>{row.tap.unwrap_or_default()}</td>
                                                    <td>{format!("{:?}", row.output_shape)}</td>
                                                    <td class="number">{thousands(row.params)}</td>
                                                    <td class="number">{thousands(row.macs)}</td>
                                                    <td class="number">
                                                        {format!("{0}×{0}", row.receptive_field)}
                                                    </td>
                                                    <td class="number">{row.jump}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()
                                })
                        }}
                    </tbody>
                    <tfoot>
                        {move || {
                            summary
                                .get()
                                .map(|summary| {
                                    view! {
                                        <tr>
                                            <th scope="row" colspan="4">{move || state.text(Text::Total)}</th>
                                            <td class="number">{thousands(summary.total_params)}</td>
                                            <td class="number">{thousands(summary.total_macs)}</td>
                                            <td colspan="2"></td>
                                        </tr>
                                    }
                                })
                        }}
                    </tfoot>
                </table>
            </div>
        </section>
    }
}
