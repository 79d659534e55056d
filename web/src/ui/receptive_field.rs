//! The receptive field of a hovered feature-map pixel, outlined on the network's input: which
//! input pixels can change that activation. Computed on the page from the architecture tree
//! (no readback, no inference).

use convscope::arch::{Preset, TapField};
use leptos::html::Canvas;
use leptos::prelude::*;

use super::heatmap::draw_gray;
use super::i18n::Text;
use super::use_state;

/// The receptive field of every tap of `preset` at its own input size.
pub fn tap_fields(preset: &Preset) -> Vec<TapField> {
    preset.architecture().receptive_fields().unwrap_or_default()
}

/// A receptive field on the network input: `[x0, y0, x1, y1]` (inclusive), the input's width
/// and height, and the tap pixel it belongs to.
pub type Region = ([usize; 4], usize, usize, (usize, usize));

/// The region pixel `pixel` of tap `tap` sees, for the current input's size.
pub fn region(
    tap: Signal<Option<String>>,
    pixel: Signal<Option<(usize, usize)>>,
) -> Memo<Option<Region>> {
    let state = use_state();
    let fields = Memo::new(move |_| tap_fields(state.preset.get()));
    Memo::new(move |_| {
        // Every source is read before any early return, so the memo follows all of them.
        let (pixel, name) = (pixel.get(), tap.get());
        let size = state.inference.with(|inference| {
            inference.as_ref().map(|i| {
                let image = &i.steps.network_input;
                (image.width as usize, image.height as usize)
            })
        });
        fields.track();
        let ((x, y), name, (width, height)) = (pixel?, name?, size?);
        let field =
            fields.with(|fields| fields.iter().find(|f| f.name == name).map(|f| f.field))?;
        Some((field.region(x, y, [height, width]), width, height, (x, y)))
    })
}

/// The region of the overview's probed pixel (see [`super::AppState::probe`]).
pub fn probe_region() -> Memo<Option<Region>> {
    let state = use_state();
    region(
        Signal::derive(move || state.probe.get().map(|(tap, ..)| tap)),
        Signal::derive(move || state.probe.get().map(|(_, x, y)| (x, y))),
    )
}

/// The probed pixel's region on the drawing itself, mapped back through the preprocessing
/// (crop, scale, placement); shown only while the drawing is the input.
#[component]
pub fn DrawingOutline() -> impl IntoView {
    let state = use_state();
    let region = probe_region();
    let percent = |fraction: f64| format!("{:.3}%", 100.0 * fraction);
    move || {
        let (bounds, width, height, _) = region.get()?;
        let placement = state
            .inference
            .with(|inference| inference.as_ref().map(|i| i.steps.placement))?;
        if !state.drawing_is_input.get() {
            return None;
        }
        let [left, top, right, bottom] = placement.original_fraction(bounds, [height, width]);
        let style = format!(
            "left:{};top:{};width:{};height:{}",
            percent(left),
            percent(top),
            percent(right - left),
            percent(bottom - top),
        );
        Some(view! { <div class="rf-outline" data-testid="rf-outline-drawing" style=style></div> })
    }
}

/// The outline of a region, over a network-input picture in a `position: relative` frame.
#[component]
pub fn RfOutline(region: Memo<Option<Region>>) -> impl IntoView {
    let percent =
        |part: usize, whole: usize| format!("{:.3}%", 100.0 * part as f64 / whole.max(1) as f64);
    move || {
        region.get().map(|([x0, y0, x1, y1], width, height, _)| {
            let style = format!(
                "left:{};top:{};width:{};height:{}",
                percent(x0, width),
                percent(y0, height),
                percent(x1 + 1 - x0, width),
                percent(y1 + 1 - y0, height),
            );
            view! {
                <div
                    class="rf-outline"
                    data-testid="rf-outline"
                    data-x0=x0.to_string()
                    data-y0=y0.to_string()
                    data-x1=x1.to_string()
                    data-y1=y1.to_string()
                    style=style
                ></div>
            }
        })
    }
}

/// What a region says in words.
pub fn describe(state: super::AppState, region: Option<Region>) -> String {
    match region {
        Some(([x0, y0, x1, y1], width, height, (x, y))) => format!(
            "{} ({x}, {y}) {} x {x0}–{x1}, y {y0}–{y1} ({} {width}×{height})",
            state.text(Text::ReceptiveFieldOf),
            state.text(Text::Sees),
            state.text(Text::OfInput),
        ),
        None => state.text(Text::ReceptiveFieldHint).to_string(),
    }
}

/// The network input with the region that pixel `pixel` of tap `tap` sees outlined.
#[component]
pub fn ReceptiveFieldView(
    tap: Signal<Option<String>>,
    pixel: RwSignal<Option<(usize, usize)>>,
) -> impl IntoView {
    let state = use_state();
    let canvas = NodeRef::<Canvas>::new();
    let input = Memo::new(move |_| {
        state
            .inference
            .get()
            .map(|inference| inference.steps.network_input.clone())
    });
    let region = region(tap, pixel.into());
    Effect::new(move |_| {
        let (Some(image), Some(canvas)) = (input.get(), canvas.get()) else {
            return;
        };
        draw_gray(&canvas, &image);
    });
    view! {
        <figure class="receptive-field">
            <div class="rf-frame">
                <canvas node_ref=canvas class="rf-input" width="1" height="1"></canvas>
                <RfOutline region />
            </div>
            <figcaption>{move || describe(state, region.get())}</figcaption>
        </figure>
    }
}
