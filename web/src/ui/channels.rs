//! The opened tap: what it is, why it matters, every channel of it, and a walk to the taps
//! before and after it.

use convscope::arch::{TapInfo, TapKind};
use leptos::prelude::*;

use super::enlarged::EnlargedChannel;
use super::feature_maps::{TapGrid, kind_text};
use super::i18n::Text;
use super::kernels::Kernels;
use super::overview::open_tap;
use super::receptive_field::tap_fields;
use super::use_state;

pub fn explanation(kind: TapKind) -> Text {
    match kind {
        TapKind::Conv => Text::ExplainConv,
        TapKind::Pool => Text::ExplainPool,
        TapKind::Block => Text::ExplainBlock,
        TapKind::Inception => Text::ExplainInception,
        TapKind::Branch => Text::ExplainBranch,
        TapKind::Residual => Text::ExplainResidual,
        TapKind::MainPath => Text::ExplainMainPath,
        TapKind::Shortcut => Text::ExplainShortcut,
        TapKind::Hidden => Text::ExplainHidden,
    }
}

#[component]
pub fn ChannelsPanel() -> impl IntoView {
    let state = use_state();
    let taps = Memo::new(move |_| state.preset.get().architecture().taps().unwrap_or_default());
    let fields = Memo::new(move |_| tap_fields(state.preset.get()));
    // The opened tap with its place in the network.
    let opened = Memo::new(move |_| {
        let name = state.selected_tap.get()?;
        taps.with(|taps| {
            let index = taps.iter().position(|t| t.name == name)?;
            Some((index, taps[index].clone()))
        })
    });
    let first_conv = Memo::new(move |_| {
        taps.with(|taps| {
            taps.iter()
                .find(|t| t.kind == TapKind::Conv)
                .map(|t| t.name.clone())
        })
    });
    let step = move |delta: isize| {
        let Some((index, _)) = opened.get_untracked() else {
            return;
        };
        let next = taps.with_untracked(|taps: &Vec<TapInfo>| {
            let target = index as isize + delta;
            (0..taps.len() as isize)
                .contains(&target)
                .then(|| taps[target as usize].name.clone())
        });
        if let Some(next) = next {
            open_tap(state, &next);
        }
    };
    view! {
        <section class="channels" data-testid="channels" aria-labelledby="channels-title">
            {move || match opened.get() {
                None => view! { <p class="help">{move || state.text(Text::ChannelsHint)}</p> }.into_any(),
                Some((_, tap)) => {
                    let [c, h, w] = tap.shape;
                    let field = fields
                        .with(|fields| fields.iter().find(|f| f.name == tap.name).map(|f| f.field));
                    let is_first_conv = first_conv.get().as_deref() == Some(tap.name.as_str());
                    view! {
                        <h2 id="channels-title">
                            <code>{tap.name.clone()}</code>
                            " "
                            <span class="tap-kind">{move || state.text(kind_text(tap.kind))}</span>
                            " "
                            <span class="tap-shape">{format!("{c} × {h}×{w}")}</span>
                        </h2>
                        <p class="explain" data-testid="tap-explanation">
                            {move || state.text(explanation(tap.kind))}
                        </p>
                        {field
                            .map(|field| {
                                let size = field.rows.size.max(field.cols.size);
                                let jump = field.rows.jump.max(field.cols.jump);
                                view! {
                                    <p class="help">
                                        {move || {
                                            format!(
                                                "{} {size}×{size} · {} {jump}",
                                                state.text(Text::ReceptiveField),
                                                state.text(Text::Jump),
                                            )
                                        }}
                                    </p>
                                }
                            })}
                        <p class="help">{move || state.text(Text::FeatureMapsHelp)}</p>
                        <TapGrid tap=tap.clone() />
                        {is_first_conv.then(|| view! { <Kernels /> })}
                    }
                        .into_any()
                }
            }}
            <div class="buttons">
                <button data-testid="tap-previous" on:click=move |_| step(-1) disabled=move || opened.get().is_none_or(|(i, _)| i == 0)>
                    {move || state.text(Text::PreviousTap)}
                </button>
                <button
                    data-testid="tap-next"
                    on:click=move |_| step(1)
                    disabled=move || opened.get().is_none_or(|(i, _)| i + 1 >= taps.with(Vec::len))
                >
                    {move || state.text(Text::NextTap)}
                </button>
            </div>
            <EnlargedChannel />
        </section>
    }
}
