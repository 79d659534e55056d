//! The views under the overview, one at a time: the lesson, the post's code, the opened tap's
//! channels, the probes, the comparison, training (with the weights), the layer table. Every panel stays in the page (hidden), so
//! its state and running work survive a switch.

use leptos::prelude::*;
use web_sys::KeyboardEvent;

use super::i18n::{Text, fill};
use super::use_state;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Lesson,
    Code,
    Channels,
    Train,
    Layers,
    Compare,
    Probe,
}

impl Tab {
    pub const ALL: [Tab; 7] = [
        Tab::Lesson,
        Tab::Code,
        Tab::Channels,
        Tab::Probe,
        Tab::Compare,
        Tab::Train,
        Tab::Layers,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Tab::Lesson => "lesson",
            Tab::Code => "code",
            Tab::Channels => "channels",
            Tab::Train => "train",
            Tab::Layers => "layers",
            Tab::Compare => "compare",
            Tab::Probe => "probe",
        }
    }

    fn text(self) -> Text {
        match self {
            Tab::Lesson => Text::TabLesson,
            Tab::Code => Text::TabCode,
            Tab::Channels => Text::TabChannels,
            Tab::Train => Text::TabTrain,
            Tab::Layers => Text::TabLayers,
            Tab::Compare => Text::TabCompare,
            Tab::Probe => Text::TabProbe,
        }
    }
}

/// A tab's button in the page.
fn tab_button(tab: Tab) -> Option<web_sys::HtmlElement> {
    let element = web_sys::window()?
        .document()?
        .get_element_by_id(&format!("tab-{}", tab.name()))?;
    wasm_bindgen::JsCast::dyn_into(element).ok()
}

/// The tab strip; arrow keys move between tabs as in the WAI-ARIA tabs pattern.
#[component]
pub fn TabBar() -> impl IntoView {
    let state = use_state();
    let on_key = move |event: KeyboardEvent| {
        let step: isize = match event.key().as_str() {
            "ArrowRight" => 1,
            "ArrowLeft" => -1,
            _ => return,
        };
        let index = Tab::ALL
            .iter()
            .position(|&t| t == state.tab.get_untracked())
            .unwrap_or(0);
        let next = Tab::ALL[(index as isize + step).rem_euclid(Tab::ALL.len() as isize) as usize];
        state.tab.set(next);
        if let Some(button) = tab_button(next) {
            let _ = button.focus();
        }
    };
    view! {
        <div class="tab-bar" role="tablist" on:keydown=on_key>
            {Tab::ALL
                .into_iter()
                .map(|tab| {
                    let active = move || state.tab.get() == tab;
                    view! {
                        <button
                            role="tab"
                            id=format!("tab-{}", tab.name())
                            data-testid=format!("tab-{}", tab.name())
                            aria-controls=format!("panel-{}", tab.name())
                            aria-selected=move || active().to_string()
                            tabindex=move || if active() { "0" } else { "-1" }
                            class:active=active
                            on:click=move |_| state.tab.set(tab)
                        >
                            {move || state.text(tab.text())}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// The network's lesson, one line under the title, for a student who has not scrolled past the
/// maps to the tabs: it shows the Lesson tab and brings it to the top of the screen.
#[component]
pub fn LessonJump() -> impl IntoView {
    let state = use_state();
    let jump = move |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        state.tab.set(Tab::Lesson);
        if let Some(button) = tab_button(Tab::Lesson) {
            // The tab bar, not the button, carries the margin that keeps it clear of a phone's
            // sticky strip.
            if let Some(bar) = button.parent_element() {
                bar.scroll_into_view();
            }
            let _ = button.focus();
        }
    };
    view! {
        <a class="lesson-jump" data-testid="lesson-jump" href="#tab-lesson" on:click=jump>
            {move || fill(state.text(Text::LessonJump), &[state.preset.get().family.display_name()])}
        </a>
    }
}

/// One tab's content; hidden, not removed, while another tab is shown.
#[component]
pub fn TabPanel(tab: Tab, children: Children) -> impl IntoView {
    let state = use_state();
    view! {
        <div
            role="tabpanel"
            class="tab-panel"
            id=format!("panel-{}", tab.name())
            aria-labelledby=format!("tab-{}", tab.name())
            hidden=move || state.tab.get() != tab
        >
            {children()}
        </div>
    }
}
