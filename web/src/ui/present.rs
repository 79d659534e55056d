//! Classroom mode (`?present`): large type, the controls tucked away, and a walk through the
//! networks block by block (`class_walk`): at each stop its lesson points, the code line(s)
//! that build it and its channels; at the end the four side by side. And embedding
//! (`?embed=overview`, `?embed=tap`, `?embed=compare`): one view without the page around it,
//! for an iframe in slides.

use convscope::arch::TapInfo;
use convscope::lessons::code::seed_code;
use convscope::lessons::excerpt::{ExcerptLine, code_excerpt};
use convscope::lessons::{Place, lesson, points_about};
use leptos::prelude::*;

use super::channels::explanation;
use super::class_walk::TitleCard;
use super::compare::CompareView;
use super::enlarged::EnlargedChannel;
use super::feature_maps::{TapGrid, kind_text};
use super::use_state;

/// What the page shows, from its link.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    #[default]
    Full,
    Present,
    Embed(Embedded),
}

/// The views a page can embed alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Embedded {
    Overview,
    /// The link's tap, with all its channels.
    Tap,
    /// The four browser networks side by side.
    Compare,
}

impl Embedded {
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "overview" => Some(Embedded::Overview),
            "tap" => Some(Embedded::Tap),
            "compare" => Some(Embedded::Compare),
            _ => None,
        }
    }
}

/// The current stop: what it is, what the lesson says of it, the code that builds it, its maps;
/// before a network's first block, its title card.
#[component]
pub fn PresentStop(here: Memo<Place>) -> impl IntoView {
    let state = use_state();
    let stop = Memo::new(move |_| {
        let place = here.get();
        let (Some(preset), Some(name)) = (place.preset(), place.tap()) else {
            return Err(place);
        };
        let taps = preset.architecture().taps().unwrap_or_default();
        let tap: TapInfo = taps
            .iter()
            .find(|t| t.name == name)
            .ok_or(Place::Title(preset))?
            .clone();
        let points: Vec<_> = points_about(lesson(preset.family), &taps, &name)
            .into_iter()
            .map(|point| point.text)
            .collect();
        let code = code_excerpt(
            &seed_code(&preset.architecture()).unwrap_or_default(),
            &name,
        );
        Ok((tap, points, code))
    });
    move || {
        let (tap, points, code) = match stop.get() {
            Ok(stop) => stop,
            Err(Place::Title(preset)) => return view! { <TitleCard preset=preset /> }.into_any(),
            // The lesson ends with the four networks on the class's input.
            Err(_) => {
                return view! {
                    <section class="present-together" data-testid="present-together">
                        <CompareView />
                    </section>
                }
                .into_any();
            }
        };
        let kind = tap.kind;
        let [c, h, w] = tap.shape;
        view! {
            <section class="present-stop" data-testid="present-stop" data-block=tap.name.clone()>
                <h2>
                    <code>{tap.name.clone()}</code>
                    " "
                    <span class="tap-kind">{move || state.text(kind_text(kind))}</span>
                    " "
                    <span class="tap-shape">{format!("{c} × {h}×{w}")}</span>
                </h2>
                <div class="present-text">
                    <p class="explain">{move || state.text(explanation(kind))}</p>
                    {points
                        .into_iter()
                        .map(|text| {
                            view! {
                                <p class="present-point">
                                    {move || state.lang.get().pick(text)}
                                </p>
                            }
                        })
                        .collect_view()}
                </div>
                // The maps first: they answer the drawing live, and a projector's first screen
                // (1280×720) has room for them or for a long excerpt, not for both.
                <div class="present-maps">
                    <TapGrid tap=tap.clone() />
                    {(!code.is_empty()).then(|| view! { <CodeExcerpt lines=code /> })}
                </div>
                <EnlargedChannel />
            </section>
        }
        .into_any()
    }
}

/// The post's lines that build the stop, as a projector shows them: each line's indent kept as
/// its margin, a long line wrapped under itself (4 characters further in) rather than cut off
/// at the edge of its box, where a class could not scroll to it, and a dashed rule where lines
/// of the post were left out.
#[component]
fn CodeExcerpt(lines: Vec<ExcerptLine>) -> impl IntoView {
    let lines = lines
        .into_iter()
        .map(|line| {
            // A hanging indent: the line starts at its own indent, its wrapped rest further in.
            let margin = line.indent + HANGING_INDENT;
            // A call's arguments may wrap after its bracket (`self.blk.append(Residual(` is one
            // long word otherwise); the newline keeps the lines apart when the code is copied.
            let pieces = line
                .text
                .split_inclusive('(')
                .map(|piece| view! { {piece.to_string()} {piece.ends_with('(').then(|| view! { <wbr /> })} })
                .collect_view();
            view! {
                <span
                    class="present-code-line"
                    class:after-gap=line.after_gap
                    style=format!("padding-left:{margin}ch;text-indent:-{HANGING_INDENT}ch")
                >
                    {pieces}
                    "\n"
                </span>
            }
        })
        .collect_view();
    view! { <pre class="present-code" data-testid="present-code">{lines}</pre> }
}

/// How much further in a wrapped line's rest starts than the line.
const HANGING_INDENT: usize = 4;

/// The link's tap alone, for `?embed=tap`.
#[component]
pub fn EmbeddedTap() -> impl IntoView {
    let state = use_state();
    let tap = Memo::new(move |_| {
        let name = state.selected_tap.get()?;
        state
            .preset
            .get()
            .architecture()
            .taps()
            .ok()?
            .into_iter()
            .find(|t| t.name == name)
    });
    move || {
        tap.get().map(|tap| {
            view! {
                <section class="embedded-tap" data-testid="embedded-tap" data-block=tap.name.clone()>
                    <h2><code>{tap.name.clone()}</code></h2>
                    <TapGrid tap=tap.clone() />
                    <EnlargedChannel />
                </section>
            }
        })
    }
}
