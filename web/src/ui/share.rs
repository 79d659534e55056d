//! The page's state in its URL, so a link shows what its sender saw: network, backend, view,
//! language, the opened tap, channel and pixel, the input (an MNIST test digit, or the
//! drawing as strokes) and the probes ([`super::probe::link`]). The URL follows the page (replacing, not adding, history entries); a
//! button copies it. A link's value the page cannot use is left out, and the page says so.

use std::cell::RefCell;

use convscope::arch::Preset;
use convscope::data::{Stroke, decode_strokes, encode_strokes};
use convscope::pixel_math::PixelQuery;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::UrlSearchParams;

use super::i18n::{Lang, Text};
use super::inference::{self, mnist_digit};
use super::present::{Embedded, Mode};
use super::probe::link::{self as probe_link, ProbeLink};
use super::tabs::Tab;
use super::{AppState, use_state};
use crate::protocol::BackendChoice;

const NETWORK: &str = "net";
const BACKEND: &str = "backend";
const LANGUAGE: &str = "lang";
const VIEW: &str = "view";
const TAP: &str = "tap";
const CHANNEL: &str = "channel";
const PIXEL: &str = "pixel";
const INPUT: &str = "input";
const PRESENT: &str = "present";
const EMBED: &str = "embed";
const MNIST_PREFIX: &str = "mnist:";
const DRAWING_PREFIX: &str = "draw:";

/// What a link asks for; `None` where it says nothing (or nothing usable).
#[derive(Clone, Debug, Default)]
pub struct LinkState {
    pub preset: Option<&'static Preset>,
    pub backend: Option<BackendChoice>,
    pub lang: Option<Lang>,
    tab: Option<Tab>,
    tap: Option<String>,
    channel: Option<usize>,
    /// x, y.
    pixel: Option<[usize; 2]>,
    mnist: Option<usize>,
    drawing: Option<Vec<Stroke>>,
    mode: Mode,
    probes: ProbeLink,
    /// `name=value` of each parameter the page could not use.
    rejected: Vec<String>,
}

thread_local! {
    /// The link's drawing until the drawing canvas takes it.
    static LINK_DRAWING: RefCell<Option<Vec<Stroke>>> = const { RefCell::new(None) };
}

fn query_params() -> Option<UrlSearchParams> {
    let search = web_sys::window()?.location().search().ok()?;
    UrlSearchParams::new_with_str(&search).ok()
}

/// Reads the page's URL (`?present` and `?embed=` choose the page's [`Mode`]).
pub fn read_link() -> LinkState {
    let Some(params) = query_params() else {
        return LinkState::default();
    };
    let mut link = LinkState::default();
    let mut rejected = Vec::new();
    let reject = link_rejected;
    let read = |name: &str| params.get(name).filter(|value| !value.is_empty());
    if let Some(value) = read(NETWORK) {
        link.preset = Preset::by_name(&value).ok();
        if link.preset.is_none() {
            rejected.push(reject(NETWORK, &value));
        }
    }
    if let Some(value) = read(BACKEND) {
        link.backend = BackendChoice::from_name(&value);
        if link.backend.is_none() {
            rejected.push(reject(BACKEND, &value));
        }
    }
    if let Some(value) = read(LANGUAGE) {
        link.lang = Lang::from_code(&value);
        if link.lang.is_none() {
            rejected.push(reject(LANGUAGE, &value));
        }
    }
    if let Some(value) = read(VIEW) {
        link.tab = Tab::ALL.into_iter().find(|tab| tab.name() == value);
        if link.tab.is_none() {
            rejected.push(reject(VIEW, &value));
        }
    }
    // Checked against the network in `restore_link`, once the network is known.
    link.tap = read(TAP);
    if let Some(value) = read(CHANNEL) {
        link.channel = value.parse().ok();
        if link.channel.is_none() || link.tap.is_none() {
            rejected.push(reject(CHANNEL, &value));
            link.channel = None;
        }
    }
    if let Some(value) = read(PIXEL) {
        link.pixel = value
            .split_once(',')
            .and_then(|(x, y)| Some([x.parse().ok()?, y.parse().ok()?]));
        if link.pixel.is_none() || link.channel.is_none() {
            rejected.push(reject(PIXEL, &value));
            link.pixel = None;
        }
    }
    if let Some(value) = read(INPUT) {
        if let Some(index) = value.strip_prefix(MNIST_PREFIX) {
            link.mnist = index.parse().ok().filter(|&i| i < 10_000);
        } else if let Some(strokes) = value.strip_prefix(DRAWING_PREFIX) {
            link.drawing = decode_strokes(strokes).ok().filter(|s| !s.is_empty());
        }
        if link.mnist.is_none() && link.drawing.is_none() {
            rejected.push(reject(INPUT, &value));
        }
    }
    if params.has(PRESENT) {
        link.mode = Mode::Present;
    }
    if let Some(value) = read(EMBED) {
        match Embedded::from_name(&value) {
            Some(view) => link.mode = Mode::Embed(view),
            None => rejected.push(reject(EMBED, &value)),
        }
    }
    link.probes = probe_link::read(&params, &mut rejected);
    link.rejected = rejected;
    link
}

pub fn link_rejected(name: &str, value: &str) -> String {
    let shown: String = value.chars().take(40).collect();
    format!("{name}={shown}")
}

/// The tap, channel and pixel of a link, if `preset` has them.
fn checked_tap(link: &mut LinkState, preset: &Preset) {
    let Some(name) = link.tap.clone() else {
        return;
    };
    let taps = preset.architecture().taps().unwrap_or_default();
    let Some(tap) = taps.into_iter().find(|tap| tap.name == name) else {
        link.rejected.push(link_rejected(TAP, &name));
        (link.tap, link.channel, link.pixel) = (None, None, None);
        return;
    };
    let [channels, height, width] = tap.shape;
    if let Some(channel) = link.channel.filter(|&c| c >= channels) {
        link.rejected
            .push(link_rejected(CHANNEL, &channel.to_string()));
        (link.channel, link.pixel) = (None, None);
    }
    if let Some([x, y]) = link.pixel.filter(|&[x, y]| x >= width || y >= height) {
        link.rejected
            .push(link_rejected(PIXEL, &format!("{x},{y}")));
        link.pixel = None;
    }
}

/// Puts the link's view in place once the page is mounted (the network, backend and language
/// are already the link's); says which of its values were left out.
pub fn restore_link(state: AppState, mut link: LinkState) {
    checked_tap(&mut link, state.preset.get_untracked());
    probe_link::restore(state, std::mem::take(&mut link.probes), &mut link.rejected);
    if let Some(tap) = &link.tap {
        state.selected_tap.set(Some(tap.clone()));
        state.tab.set(Tab::Channels);
        if let Some(channel) = link.channel {
            state.enlarged.set(Some((tap.clone(), channel)));
            if let Some([column, row]) = link.pixel {
                state.chosen_pixel.set(Some(PixelQuery {
                    tap: tap.clone(),
                    channel,
                    row,
                    column,
                }));
            }
        }
    }
    if let Some(tab) = link.tab {
        state.tab.set(tab);
    }
    if link.mode == Mode::Embed(Embedded::Tap) && link.tap.is_none() {
        link.rejected.push(link_rejected(EMBED, "tap"));
        link.mode = Mode::Full;
    }
    if link.mode == Mode::Embed(Embedded::Compare) {
        // The compare view runs while its tab is the shown one.
        state.tab.set(Tab::Compare);
    }
    state.mode.set(link.mode);
    if let Some(index) = link.mnist {
        inference::set_input(state, Some(mnist_digit(index)));
    }
    LINK_DRAWING.with(|drawing| *drawing.borrow_mut() = link.drawing.take());
    if !link.rejected.is_empty() {
        state.error.set(Some(format!(
            "{} {}",
            state.text(Text::LinkRejected),
            link.rejected.join(", ")
        )));
    }
}

/// The link's drawing, once: the drawing canvas draws it and makes it the input.
pub fn take_link_drawing() -> Option<Vec<Stroke>> {
    LINK_DRAWING.with(|drawing| drawing.borrow_mut().take())
}

/// The page's state as query parameters (other parameters of the URL are kept).
fn current_query(state: AppState, input: Option<String>) -> Option<String> {
    let params = query_params()?;
    for name in [NETWORK, BACKEND, LANGUAGE, VIEW, TAP, CHANNEL, PIXEL, INPUT]
        .into_iter()
        .chain(probe_link::NAMES)
    {
        params.delete(name);
    }
    params.set(NETWORK, state.preset.get().name);
    params.set(BACKEND, &state.backend_choice.get().name());
    params.set(
        LANGUAGE,
        if state.lang.get() == Lang::Zh {
            "zh"
        } else {
            "en"
        },
    );
    params.set(VIEW, state.tab.get().name());
    let enlarged = state.enlarged.get();
    let tap = enlarged
        .as_ref()
        .map(|(tap, _)| tap.clone())
        .or_else(|| state.selected_tap.get());
    if let Some(tap) = &tap {
        params.set(TAP, tap);
    }
    if let Some((_, channel)) = &enlarged {
        params.set(CHANNEL, &channel.to_string());
        if let Some(pixel) = state.chosen_pixel.get() {
            params.set(PIXEL, &format!("{},{}", pixel.column, pixel.row));
        }
    }
    if let Some(input) = input {
        params.set(INPUT, &input);
    }
    probe_link::write(&params, state);
    params.to_string().as_string()
}

/// Keeps the URL equal to the page's state.
pub fn follow_state_in_url(state: AppState) {
    // The input as a link names it; while drawing it changes once per finished stroke.
    let input = Memo::new(move |_| {
        if state.drawing_is_input.get() {
            let strokes = state.strokes.get();
            return (!strokes.is_empty())
                .then(|| format!("{DRAWING_PREFIX}{}", encode_strokes(&strokes)));
        }
        state
            .inference
            .with(|i| i.as_ref().and_then(|i| i.mnist))
            .map(|(index, _)| format!("{MNIST_PREFIX}{index}"))
    });
    Effect::new(move |_| {
        let Some(query) = current_query(state, input.get()) else {
            return;
        };
        replace_url_query(&query);
    });
}

/// `history.replaceState` (through JS: web-sys's History binding is not otherwise needed).
fn replace_url_query(query: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let url = format!("?{query}{}", window.location().hash().unwrap_or_default());
    let Ok(history) = js_sys::Reflect::get(&window, &"history".into()) else {
        return;
    };
    if let Ok(replace) = js_sys::Reflect::get(&history, &"replaceState".into())
        && let Some(replace) = replace.dyn_ref::<js_sys::Function>()
    {
        let _ = replace.call3(&history, &JsValue::NULL, &"".into(), &url.into());
    }
}

/// Copies the page's URL; where the clipboard is refused, shows it to copy by hand.
#[component]
pub fn CopyLink() -> impl IntoView {
    let state = use_state();
    let copied = RwSignal::new(false);
    let on_click = move |_| {
        let Some(window) = web_sys::window() else {
            return;
        };
        let url = window.location().href().unwrap_or_default();
        let clipboard = js_sys::Reflect::get(&window.navigator(), &"clipboard".into())
            .ok()
            .filter(|c| !c.is_undefined());
        let write = clipboard.as_ref().and_then(|clipboard| {
            let write = js_sys::Reflect::get(clipboard, &"writeText".into()).ok()?;
            let promise = write
                .dyn_ref::<js_sys::Function>()?
                .call1(clipboard, &url.clone().into())
                .ok()?;
            promise.dyn_into::<js_sys::Promise>().ok()
        });
        leptos::task::spawn_local(async move {
            let done = match write {
                Some(promise) => wasm_bindgen_futures::JsFuture::from(promise).await.is_ok(),
                None => false,
            };
            if done {
                copied.set(true);
            } else {
                state
                    .error
                    .set(Some(format!("{} {url}", state.text(Text::CopyLinkByHand))));
            }
        });
    };
    view! {
        <button class="copy-link" data-testid="copy-link" on:click=on_click on:blur=move |_| copied.set(false)>
            {move || {
                if copied.get() { state.text(Text::LinkCopied) } else { state.text(Text::CopyLink) }
            }}
        </button>
    }
}
