//! The receptive field of a hovered feature-map pixel, outlined on the network's input: which
//! input pixels can change that activation. Computed on the page from the architecture tree
//! (no readback, no inference).

use convscope::arch::{Preset, TapField};
use leptos::html::Canvas;
use leptos::prelude::*;

use super::heatmap::{draw, gray_to_rgba};
use super::i18n::Text;
use super::use_state;

/// The receptive field of every tap of `preset` at its own input size.
fn tap_fields(preset: &Preset) -> Vec<TapField> {
    preset.architecture().receptive_fields().unwrap_or_default()
}

/// The network input with the region that pixel `pixel` of tap `tap` sees outlined.
#[component]
pub fn ReceptiveFieldView(
    tap: Signal<Option<String>>,
    pixel: RwSignal<Option<(usize, usize)>>,
) -> impl IntoView {
    let state = use_state();
    let canvas = NodeRef::<Canvas>::new();
    let fields = Memo::new(move |_| tap_fields(state.preset.get()));
    let input = Memo::new(move |_| {
        state
            .inference
            .get()
            .map(|inference| inference.steps.network_input.clone())
    });
    // [x0, y0, x1, y1], inclusive, in network-input pixels, with the input's width and height.
    let region = Memo::new(move |_| {
        // Every source is read before any early return, so the memo follows all of them.
        let (pixel, name, image) = (pixel.get(), tap.get(), input.get());
        fields.track();
        let ((x, y), name, image) = (pixel?, name?, image?);
        let (width, height) = (image.width as usize, image.height as usize);
        let field =
            fields.with(|fields| fields.iter().find(|f| f.name == name).map(|f| f.field))?;
        Some((field.region(x, y, [height, width]), width, height, (x, y)))
    });
    Effect::new(move |_| {
        let (Some(image), Some(canvas)) = (input.get(), canvas.get()) else {
            return;
        };
        draw(
            &canvas,
            image.width as usize,
            image.height as usize,
            &gray_to_rgba(&image.pixels),
        );
    });
    let percent =
        |part: usize, whole: usize| format!("{:.3}%", 100.0 * part as f64 / whole.max(1) as f64);
    view! {
        <figure class="receptive-field">
            <div class="rf-frame">
                <canvas node_ref=canvas class="rf-input" width="1" height="1"></canvas>
                {move || {
                    region
                        .get()
                        .map(|([x0, y0, x1, y1], width, height, _)| {
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
                }}
            </div>
            <figcaption>
                {move || match region.get() {
                    Some(([x0, y0, x1, y1], width, height, (x, y))) => format!(
                        "{} ({x}, {y}) {} x {x0}–{x1}, y {y0}–{y1} ({} {width}×{height})",
                        state.text(Text::ReceptiveFieldOf),
                        state.text(Text::Sees),
                        state.text(Text::OfInput),
                    ),
                    None => state.text(Text::ReceptiveFieldHint).to_string(),
                }}
            </figcaption>
        </figure>
    }
}
