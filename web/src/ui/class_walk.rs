//! Classroom mode's walk: ← and → (or the buttons) go block by block through the network and
//! on through the four networks in the post's order, each opened by its title card
//! (`lessons::Place`). The bar names the four networks, so the class sees where the lesson is,
//! and a teacher can jump to any of them.

use convscope::arch::Preset;
use convscope::lessons::{Place, lesson, walk_networks, walk_stops};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::KeyboardEvent;

use super::i18n::{Lang, Text, fill};
use super::network::thousands;
use super::weights_source::select_preset;
use super::{AppState, use_state};

/// Where the walk stands: the opened tap's stop, or the network's title card.
pub fn current_place(state: AppState) -> Place {
    Place::at(state.preset.get(), state.selected_tap.get().as_deref())
}

fn go_to(state: AppState, place: Place) {
    if place.preset.name != state.preset.get_untracked().name {
        select_preset(state, place.preset);
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
    match neighbour(state, forward) {
        Some(place) if place.preset.name != state.preset.get().name => fill(
            state.text(if forward {
                Text::PresentOnTo
            } else {
                Text::PresentBackTo
            }),
            &[place.preset.family.display_name()],
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
        let stops = walk_stops(&here.preset.architecture().taps().unwrap_or_default());
        match (here.stop, here.tap()) {
            (Some(index), Some(tap)) => format!("{} / {} · {tap}", index + 1, stops.len()),
            _ => fill(
                state.text(Text::PresentBlocksAhead),
                &[&stops.len().to_string()],
            ),
        }
    };
    let networks = move || {
        let current = state.preset.get();
        walk_networks(current.kind)
            .into_iter()
            .map(|preset: &'static Preset| {
                let here = preset.name == current.name;
                view! {
                    <button
                        class="present-network"
                        data-testid="present-network"
                        data-preset=preset.name
                        aria-current=here.then_some("step")
                        on:click=move |_| go_to(state, Place { preset, stop: None })
                    >
                        {preset.family.display_name()}
                    </button>
                }
            })
            .collect_view()
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
