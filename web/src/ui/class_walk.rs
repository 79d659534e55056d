//! Classroom mode's walk: ← and → (or the buttons) go block by block through the network and
//! on through the four networks in the post's order, each opened by its title card, to the four
//! side by side (`lessons::Place`). The bar names the networks, so the class sees where the
//! lesson is, and a teacher can jump to any of them.

use convscope::arch::{Preset, PresetKind};
use convscope::lessons::{Place, lesson, walk_networks, walk_stops};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::KeyboardEvent;

use super::i18n::{Lang, Text, fill};
use super::network::thousands;
use super::tabs::Tab;
use super::weights_source::select_preset;
use super::{AppState, use_state};

/// Where the walk stands: the four together while the compare view shows (for the browser
/// networks, the ones it runs), else the opened tap's stop or the network's title card.
pub fn current_place(state: AppState) -> Place {
    let preset = state.preset.get();
    if state.tab.get() == Tab::Compare && preset.kind == PresetKind::Browser {
        return Place::Together;
    }
    Place::at(preset, state.selected_tap.get().as_deref())
}

fn go_to(state: AppState, place: Place) {
    if let Some(preset) = place.preset()
        && preset.name != state.preset.get_untracked().name
    {
        select_preset(state, preset);
    }
    // The compare view runs while its tab is the shown one.
    if place == Place::Together {
        state.tab.set(Tab::Compare);
    } else if state.tab.get_untracked() == Tab::Compare {
        state.tab.set(Tab::Lesson);
    }
    let tap = place.tap();
    state.highlighted.set(tap.iter().cloned().collect());
    state.selected_tap.set(tap);
}

/// The place after (`forward`) or before where the walk stands.
fn neighbour(state: AppState, forward: bool) -> Option<Place> {
    let here = current_place(state);
    if forward {
        here.next()
    } else {
        here.previous()
    }
}

fn step(state: AppState, forward: bool) {
    if let Some(place) = neighbour(state, forward) {
        go_to(state, place);
    }
}

/// ← and → walk, unless a field or the enlarged channel has the keys.
fn listen_for_arrows(state: AppState) {
    let on_key = Closure::<dyn Fn(KeyboardEvent)>::new(move |event: KeyboardEvent| {
        let in_field = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
        if in_field || state.enlarged.get_untracked().is_some() {
            return;
        }
        match event.key().as_str() {
            "ArrowRight" | "PageDown" => step(state, true),
            "ArrowLeft" | "PageUp" => step(state, false),
            _ => return,
        }
        event.prevent_default();
    });
    if let Some(window) = web_sys::window() {
        let _ = window.add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
    }
    // Listens for the page's lifetime.
    on_key.forget();
}

/// A button's words: the next block, or the network it leads on to.
fn button_label(state: AppState, forward: bool) -> String {
    let here = current_place(state).preset().map(|p| p.name);
    match neighbour(state, forward) {
        Some(Place::Together) => state.text(Text::PresentOnToTogether).to_string(),
        Some(place) if place.preset().map(|p| p.name) != here => fill(
            state.text(if forward {
                Text::PresentOnTo
            } else {
                Text::PresentBackTo
            }),
            &[place.preset().map_or("", |p| p.family.display_name())],
        ),
        _ => state
            .text(if forward {
                Text::PresentNext
            } else {
                Text::PresentPrevious
            })
            .to_string(),
    }
}

/// The walk's buttons, the four networks and where it stands.
#[component]
pub fn PresentBar() -> impl IntoView {
    let state = use_state();
    listen_for_arrows(state);
    let position = move || {
        let here = current_place(state);
        let count =
            |preset: &Preset| walk_stops(&preset.architecture().taps().unwrap_or_default()).len();
        match (&here, here.tap()) {
            (Place::Stop(preset, index), Some(tap)) => {
                format!("{} / {} · {tap}", index + 1, count(preset))
            }
            (Place::Title(preset), _) => fill(
                state.text(Text::PresentBlocksAhead),
                &[&count(preset).to_string()],
            ),
            _ => state.text(Text::PresentTogether).to_string(),
        }
    };
    let networks = move || {
        let here = current_place(state);
        let kind = state.preset.get().kind;
        let chip = move |place: Place, label: &'static str, name: &'static str| {
            // A network's chip stands for its card and its stops; "All four" for the end.
            let current = here.preset() == place.preset();
            view! {
                <button
                    class="present-network"
                    data-testid="present-network"
                    data-preset=name
                    aria-current=current.then_some("step")
                    on:click=move |_| go_to(state, place.clone())
                >
                    {label}
                </button>
            }
        };
        let titles = walk_networks(kind)
            .into_iter()
            .map(|preset: &'static Preset| {
                chip(
                    Place::Title(preset),
                    preset.family.display_name(),
                    preset.name,
                )
            })
            .collect_view();
        let together = (kind == PresetKind::Browser).then(|| {
            chip(
                Place::Together,
                state.text(Text::PresentTogetherChip),
                "together",
            )
        });
        view! { {titles} {together} }
    };
    view! {
        <nav class="present-bar" aria-label=move || state.text(Text::PresentWalk)>
            <span class="present-networks" role="group" aria-label=move || state.text(Text::PresentNetworks)>
                {networks}
            </span>
            <StepButton forward=false />
            <span class="present-position" data-testid="present-position">{position}</span>
            <StepButton forward=true />
        </nav>
    }
}

/// Previous or next: named for where it leads, off at the ends of the walk.
#[component]
fn StepButton(forward: bool) -> impl IntoView {
    let state = use_state();
    view! {
        <button
            data-testid=if forward { "present-next" } else { "present-prev" }
            disabled=move || neighbour(state, forward).is_none()
            on:click=move |_| step(state, forward)
        >
            {move || button_label(state, forward)}
        </button>
    }
}

/// A network's title card, before its first block: what is new in it, and its size.
#[component]
pub fn TitleCard(preset: &'static Preset) -> impl IntoView {
    let state = use_state();
    let lesson = lesson(preset.family);
    let architecture = preset.architecture();
    let blocks = walk_stops(&architecture.taps().unwrap_or_default()).len();
    let summary = architecture.summary().ok();
    let [channels, height, width] = preset.input;
    let facts = move || {
        let (params, macs) = summary
            .as_ref()
            .map_or((0, 0), |s| (s.total_params, s.total_macs));
        fill(
            state.text(Text::PresentFacts),
            &[
                preset.name,
                &format!("{channels}×{height}×{width}"),
                &blocks.to_string(),
                &thousands(params),
                &thousands(macs),
            ],
        )
    };
    let bilingual = move |text: convscope::lessons::Bilingual| {
        if state.lang.get() == Lang::Zh {
            text.zh
        } else {
            text.en
        }
    };
    view! {
        <section class="present-stop present-title" data-testid="present-title" data-preset=preset.name>
            <h2>{move || bilingual(lesson.title)}</h2>
            <p class="present-facts" data-testid="present-facts">{facts}</p>
            <p class="present-intro">{move || bilingual(lesson.intro)}</p>
            <p class="help">{move || state.text(Text::PresentTitleHint)}</p>
        </section>
    }
}
