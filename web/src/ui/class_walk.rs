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

use super::i18n::{Text, fill};
use super::network::thousands;
use super::tabs::Tab;
use super::weights_source::select_preset;
use super::{AppState, use_state};

/// Where the walk stands: the four together while the compare view shows (for the browser
/// networks, the ones it runs), else the opened tap's stop or the network's title card. The
/// page keeps it in one memo (`walk_place`) that the bar and the stop share.
fn current_place(state: AppState) -> Place {
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

/// Where the walk stands, computed once per change of the network, the opened tap or the tab.
pub fn walk_place(state: AppState) -> Memo<Place> {
    Memo::new(move |_| current_place(state))
}

/// The place after (`forward`) or before `here`.
fn neighbour(here: &Place, forward: bool) -> Option<Place> {
    if forward {
        here.next()
    } else {
        here.previous()
    }
}

/// ← and → walk, unless a field or the enlarged channel has the keys.
fn listen_for_arrows(state: AppState, here: Memo<Place>) {
    let on_key = Closure::<dyn Fn(KeyboardEvent)>::new(move |event: KeyboardEvent| {
        let in_field = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
        if in_field || state.enlarged.get_untracked().is_some() {
            return;
        }
        let forward = match event.key().as_str() {
            "ArrowRight" | "PageDown" => true,
            "ArrowLeft" | "PageUp" => false,
            _ => return,
        };
        event.prevent_default();
        // The listener outlives the page that made it; a disposed walk has nowhere to go.
        if let Some(place) = here
            .try_get_untracked()
            .and_then(|here| neighbour(&here, forward))
        {
            go_to(state, place);
        }
    });
    if let Some(window) = web_sys::window() {
        let _ = window.add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
    }
    // Listens for the page's lifetime.
    on_key.forget();
}

/// A button's words: the next block, or the network it leads on to.
fn button_label(state: AppState, here: &Place, there: Option<&Place>, forward: bool) -> String {
    match there {
        Some(Place::Together) => state.text(Text::PresentOnToTogether).to_string(),
        Some(place) if place.preset() != here.preset() => fill(
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
pub fn PresentBar(here: Memo<Place>) -> impl IntoView {
    let state = use_state();
    listen_for_arrows(state, here);
    let position = move || {
        let here = here.get();
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
        let here = here.get();
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
            <StepButton here=here forward=false />
            <span class="present-position" data-testid="present-position">{position}</span>
            <StepButton here=here forward=true />
        </nav>
    }
}

/// Previous or next: named for where it leads, off at the ends of the walk.
#[component]
fn StepButton(here: Memo<Place>, forward: bool) -> impl IntoView {
    let state = use_state();
    let there = Memo::new(move |_| here.with(|here| neighbour(here, forward)));
    view! {
        <button
            data-testid=if forward { "present-next" } else { "present-prev" }
            disabled=move || there.with(Option::is_none)
            on:click=move |_| {
                if let Some(place) = there.get_untracked() {
                    go_to(state, place);
                }
            }
        >
            {move || here.with(|here| there.with(|there| button_label(state, here, there.as_ref(), forward)))}
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
    view! {
        <section class="present-stop present-title" data-testid="present-title" data-preset=preset.name>
            <h2>{move || state.lang.get().pick(lesson.title)}</h2>
            <p class="present-facts" data-testid="present-facts">{facts}</p>
            <p class="present-intro">{move || state.lang.get().pick(lesson.intro)}</p>
            <p class="help">{move || state.text(Text::PresentTitleHint)}</p>
        </section>
    }
}
