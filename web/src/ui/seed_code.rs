//! The post's PyTorch code of the selected network beside it: the lines that build the opened
//! tap are marked, clicking a line opens the tap it builds. For a browser preset the code
//! carries the preset's numbers, and the lines whose numbers differ from the post say so.

use convscope::arch::{Preset, PresetKind};
use convscope::lessons::code::{CodeLine, seed_code};
use leptos::prelude::*;
use web_sys::KeyboardEvent;

use super::i18n::Text;
use super::use_state;

/// The preset's code, each line with the post's text where it differs.
fn annotated(preset: &Preset) -> Vec<(CodeLine, Option<String>)> {
    let lines = seed_code(&preset.architecture()).unwrap_or_default();
    let post = Preset::ALL
        .iter()
        .find(|p| p.kind == PresetKind::Seed && p.family == preset.family)
        .filter(|seed| seed.name != preset.name)
        .and_then(|seed| seed_code(&seed.architecture()).ok())
        .filter(|post| post.len() == lines.len());
    lines
        .into_iter()
        .enumerate()
        .map(|(index, line)| {
            let differs = post
                .as_ref()
                .map(|post| &post[index].text)
                .filter(|text| **text != line.text)
                .cloned();
            (line, differs)
        })
        .collect()
}

#[component]
pub fn SeedCode() -> impl IntoView {
    let state = use_state();
    let lines = Memo::new(move |_| annotated(state.preset.get()));
    let differing = move || lines.with(|lines| lines.iter().filter(|(_, d)| d.is_some()).count());
    view! {
        <section class="seed-code-panel" aria-labelledby="code-title">
            <h2 id="code-title">{move || state.text(Text::CodeTitle)}</h2>
            <p class="help">
                {move || {
                    match differing() {
                        0 => state.text(Text::CodeIsThePosts).to_string(),
                        n => format!("{} {n}", state.text(Text::CodeDiffers)),
                    }
                }}
            </p>
            <pre class="seed-code" data-testid="seed-code">
                <code>
                    {move || {
                        lines
                            .get()
                            .into_iter()
                            .map(|(line, post)| view! { <Line line post /> })
                            .collect_view()
                    }}
                </code>
            </pre>
        </section>
    }
}

#[component]
fn Line(line: CodeLine, post: Option<String>) -> impl IntoView {
    let state = use_state();
    let taps = line.taps.clone();
    let current = {
        let taps = taps.clone();
        move || {
            state
                .selected_tap
                .with(|selected| selected.as_ref().is_some_and(|s| taps.contains(s)))
        }
    };
    let first = taps.first().cloned();
    let select = move || {
        if let Some(first) = &first {
            state.selected_tap.set(Some(first.clone()));
        }
    };
    let clickable = !taps.is_empty();
    let differs = post.is_some();
    // Follows the language, as every other text does.
    let title = move || {
        post.as_ref()
            .map(|text| format!("{}: {}", state.text(Text::ThePostWrites), text.trim()))
    };
    view! {
        <span
            class="code-line"
            class:builds=clickable
            class:differs=differs
            data-testid="code-line"
            data-block=line.builds_one.then(|| taps.first().cloned()).flatten()
            data-blocks=taps.join(" ")
            aria-current=move || current().to_string()
            title=title
            tabindex=clickable.then_some("0")
            role=clickable.then_some("button")
            on:click={
                let select = select.clone();
                move |_| select()
            }
            on:keydown=move |event: KeyboardEvent| {
                if event.key() == "Enter" || event.key() == " " {
                    event.prevent_default();
                    select();
                }
            }
        >
            {if line.text.is_empty() { " ".to_string() } else { line.text.clone() }}
            "\n"
        </span>
    }
}
