//! The selected network's lesson. Each point names its taps: hovering or focusing it lights
//! them up in the overview, clicking opens the first.

use convscope::arch::Preset;
use convscope::lessons::{lesson, network_after, network_before};
use leptos::prelude::*;

use super::i18n::{Text, fill};
use super::overview::open_tap;
use super::tabs::Tab;
use super::use_state;
use super::weights_source::select_preset;

/// The first few names of a point's taps, then how many more.
fn named(blocks: &[String]) -> impl IntoView + use<> {
    const SHOWN: usize = 3;
    let more = blocks.len().saturating_sub(SHOWN);
    view! {
        {blocks.iter().take(SHOWN).map(|b| view! { <code>{b.clone()}</code> " " }).collect_view()}
        {(more > 0).then(|| format!("+{more}"))}
    }
}

#[component]
pub fn LessonPanel() -> impl IntoView {
    let state = use_state();
    let points = Memo::new(move |_| {
        let preset = state.preset.get();
        let taps = preset.architecture().taps().unwrap_or_default();
        lesson(preset.family)
            .points
            .iter()
            .map(|point| (point.text, point.focus.select(&taps)))
            .collect::<Vec<_>>()
    });
    let current = move || lesson(state.preset.get().family);
    view! {
        <article class="lesson" data-testid="lesson" aria-labelledby="lesson-title">
            <h2 id="lesson-title">{move || state.lang.get().pick(current().title)}</h2>
            <p>{move || state.lang.get().pick(current().intro)}</p>
            <ol class="lesson-points">
                {move || {
                    points
                        .get()
                        .into_iter()
                        .map(|(text, blocks)| {
                            let first = blocks.first().cloned();
                            let light = {
                                let blocks = blocks.clone();
                                move || state.highlighted.set(blocks.clone())
                            };
                            let dim = move || state.highlighted.set(Vec::new());
                            let open = move || {
                                if let Some(first) = &first {
                                    open_tap(state, first);
                                }
                            };
                            view! {
                                <li
                                    class="lesson-item"
                                    data-testid="lesson-item"
                                    data-blocks=blocks.join(" ")
                                    tabindex="0"
                                    role="button"
                                    on:mouseenter={
                                        let light = light.clone();
                                        move |_| light()
                                    }
                                    on:focus=move |_| light()
                                    on:mouseleave=move |_| dim()
                                    on:blur=move |_| dim()
                                    on:click={
                                        let open = open.clone();
                                        move |_| open()
                                    }
                                    on:keydown=move |event: web_sys::KeyboardEvent| {
                                        if event.key() == "Enter" || event.key() == " " {
                                            event.prevent_default();
                                            open();
                                        }
                                    }
                                >
                                    <p>{move || state.lang.get().pick(text)}</p>
                                    <span class="lesson-blocks">
                                        {move || state.text(Text::LessonShows)}
                                        " "
                                        {named(&blocks)}
                                    </span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
            <PostOrder />
        </article>
    }
}

/// The networks before and after this one in the post, by their lessons' titles, so a student
/// alone reads the four in the post's order; after the last, the four side by side.
#[component]
fn PostOrder() -> impl IntoView {
    let state = use_state();
    let neighbours = Memo::new(move |_| {
        let current = state.preset.get();
        (network_before(current), network_after(current))
    });
    let link = move |preset: &'static Preset, template: Text, test_id: &'static str| {
        view! {
            <button class="lesson-step" data-testid=test_id data-preset=preset.name on:click=move |_| select_preset(state, preset)>
                {move || fill(state.text(template), &[state.lang.get().pick(lesson(preset.family).title)])}
            </button>
        }
    };
    move || {
        let (before, after) = neighbours.get();
        view! {
            <nav class="post-order" aria-label=move || state.text(Text::LessonPostOrder)>
                {before.map(|preset| link(preset, Text::LessonBefore, "lesson-before"))}
                {match after {
                    Some(preset) => link(preset, Text::LessonAfter, "lesson-after").into_any(),
                    None => view! {
                        <button class="lesson-step" data-testid="lesson-compare" on:click=move |_| state.tab.set(Tab::Compare)>
                            {move || state.text(Text::LessonLastCompare)}
                        </button>
                    }
                    .into_any(),
                }}
            </nav>
        }
    }
}
