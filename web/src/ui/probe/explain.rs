//! Saliency and Grad-CAM: the section that switches them on and shows both maps, and the
//! overlays on the network input and on the drawing.

use convscope::arch::CLASSES;
use convscope::probe::{Heatmap, default_cam_tap, grad_cam_taps};
use leptos::html::Canvas;
use leptos::prelude::*;

use super::super::colormap::lut;
use super::super::heatmap::draw;
use super::super::i18n::Text;
use super::super::use_state;
use super::{OverlayMap, changed};
use crate::protocol::GrayPixels;

/// `map` resized to `width`×`height` (bilinear, cell centres aligned), scaled by its largest
/// value to 0..=1.
fn upsampled(map: &Heatmap, width: usize, height: usize) -> Vec<f32> {
    let max = map.max();
    if max <= 0.0 || map.width == 0 || map.height == 0 {
        return vec![0.0; width * height];
    }
    let at = |x: usize, y: usize| map.values[y * map.width + x] / max;
    let source = |target: usize, from: usize, to: usize| {
        let position = ((target as f32 + 0.5) * from as f32 / to as f32 - 0.5).max(0.0);
        let low = (position.floor() as usize).min(from - 1);
        (low, (low + 1).min(from - 1), position - low as f32)
    };
    let mut values = Vec::with_capacity(width * height);
    for y in 0..height {
        let (y0, y1, fy) = source(y, map.height, height);
        for x in 0..width {
            let (x0, x1, fx) = source(x, map.width, width);
            let top = at(x0, y0) * (1.0 - fx) + at(x1, y0) * fx;
            let bottom = at(x0, y1) * (1.0 - fx) + at(x1, y1) * fx;
            values.push(top * (1.0 - fy) + bottom * fy);
        }
    }
    values
}

/// Transparent where the map is low (opacity grows with the square of the value), so what
/// lies under it shows through and only the strong places are coloured.
fn overlay_rgba(values: &[f32]) -> Vec<u8> {
    let colors = lut();
    values
        .iter()
        .flat_map(|&v| {
            let v = v.clamp(0.0, 1.0);
            let [r, g, b] = colors[(v * 255.0) as usize];
            [r, g, b, (v * v * 230.0) as u8]
        })
        .collect()
}

/// The input in gray with the map laid over it, opaque: the section's pictures.
fn blended_rgba(input: &GrayPixels, values: &[f32]) -> Vec<u8> {
    let colors = lut();
    input
        .pixels
        .iter()
        .zip(values)
        .flat_map(|(&gray, &v)| {
            let v = v.clamp(0.0, 1.0);
            let alpha = v.sqrt() * 0.8;
            let [r, g, b] = colors[(v * 255.0) as usize];
            let mix = |c: u8| (f32::from(gray) * 0.6 * (1.0 - alpha) + f32::from(c) * alpha) as u8;
            [mix(r), mix(g), mix(b), 255]
        })
        .collect()
}

/// The map the overlays show, at the network input's size, with that size.
fn overlay_values() -> Memo<Option<(usize, usize, Vec<f32>)>> {
    let state = use_state();
    Memo::new(move |_| {
        let which = state.probes.overlay.get();
        if !state.probes.explain.get() {
            return None;
        }
        state.inference.with(|inference| {
            let inference = inference.as_ref()?;
            let explanation = inference.explanation.as_ref()?;
            let input = &inference.steps.network_input;
            let (width, height) = (input.width as usize, input.height as usize);
            let map = match which {
                OverlayMap::GradCam => &explanation.cam,
                OverlayMap::Saliency => &explanation.saliency,
            };
            Some((width, height, upsampled(map, width, height)))
        })
    })
}

/// Laid over the network input in the preprocessing steps.
#[component]
pub fn SaliencyOverlay() -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let values = overlay_values();
    Effect::new(move |_| {
        if let (Some(canvas), Some((width, height, values))) = (canvas.get(), values.get()) {
            draw(&canvas, width, height, &overlay_rgba(&values));
        }
    });
    view! {
        <canvas
            node_ref=canvas
            class="saliency-overlay"
            data-testid="saliency-overlay"
            width="1"
            height="1"
            hidden=move || values.with(Option::is_none)
        ></canvas>
    }
}

/// Laid over the drawing where the network input came from (while the drawing is the input
/// and no distortion moves the digit away from it).
#[component]
pub fn DrawingSaliency() -> impl IntoView {
    let state = use_state();
    let canvas = NodeRef::<Canvas>::new();
    let values = overlay_values();
    // Only while there is a map to place: during a drawing without one, a new frame on every
    // answer would restyle a hidden canvas.
    let frame = Memo::new(move |_| {
        if !state.drawing_is_input.get()
            || !state.probes.distortion.get().is_identity()
            || values.with(Option::is_none)
        {
            return None;
        }
        state.inference.with(|inference| {
            let placement = inference.as_ref()?.steps.placement;
            Some(placement.field_on_original())
        })
    });
    Effect::new(move |_| {
        if let (Some(canvas), Some((width, height, values))) = (canvas.get(), values.get()) {
            draw(&canvas, width, height, &overlay_rgba(&values));
        }
    });
    let style = move || {
        let percent = |fraction: f64| format!("{:.3}%", 100.0 * fraction);
        frame
            .get()
            .map_or_else(String::new, |[left, top, right, bottom]| {
                format!(
                    "left:{};top:{};width:{};height:{}",
                    percent(left),
                    percent(top),
                    percent(right - left),
                    percent(bottom - top)
                )
            })
    };
    view! {
        <canvas
            node_ref=canvas
            class="saliency-overlay drawing"
            data-testid="saliency-overlay-drawing"
            width="1"
            height="1"
            style=style
            hidden=move || frame.with(Option::is_none) || values.with(Option::is_none)
        ></canvas>
    }
}

/// One of the section's two pictures: the input with a map over it.
#[component]
fn ExplainedPicture(cam: bool, test_id: &'static str) -> impl IntoView {
    let state = use_state();
    let canvas = NodeRef::<Canvas>::new();
    let picture = Memo::new(move |_| {
        state.inference.with(|inference| {
            let inference = inference.as_ref()?;
            let explanation = inference.explanation.as_ref()?;
            let map = if cam {
                &explanation.cam
            } else {
                &explanation.saliency
            };
            let input = inference.steps.network_input.clone();
            let values = upsampled(map, input.width as usize, input.height as usize);
            Some((input, values, map.max(), explanation.cam_tap.clone()))
        })
    });
    Effect::new(move |_| {
        if let (Some(canvas), Some((input, values, ..))) = (canvas.get(), picture.get()) {
            draw(
                &canvas,
                input.width as usize,
                input.height as usize,
                &blended_rgba(&input, &values),
            );
        }
    });
    view! {
        <canvas
            node_ref=canvas
            class="explained-picture"
            data-testid=test_id
            data-max=move || picture.with(|p| p.as_ref().map(|(_, _, max, _)| format!("{max}")))
            data-tap=move || picture.with(|p| p.as_ref().map(|(.., tap)| tap.clone()))
            width="1"
            height="1"
        ></canvas>
    }
}

#[component]
pub fn ExplainSection() -> impl IntoView {
    let state = use_state();
    let probes = state.probes;
    let taps = Memo::new(move |_| grad_cam_taps(&state.preset.get().architecture()));
    let default_tap =
        Memo::new(move |_| default_cam_tap(&state.preset.get().architecture()).unwrap_or_default());
    let explanation = move || state.inference.with(|i| i.as_ref()?.explanation.clone());
    let on_toggle = move |_| {
        probes.explain.update(|on| *on = !*on);
        changed(state);
    };
    let on_class = move |event| {
        probes.class.set(event_target_value(&event).parse().ok());
        changed(state);
    };
    let on_tap = move |event| {
        let tap = event_target_value(&event);
        probes.cam_tap.set((!tap.is_empty()).then_some(tap));
        changed(state);
    };
    let on_overlay = move |event| {
        probes
            .overlay
            .set(if event_target_value(&event) == "saliency" {
                OverlayMap::Saliency
            } else {
                OverlayMap::GradCam
            });
    };
    view! {
        <section class="panel probe-section" aria-labelledby="explain-title">
            <h3 id="explain-title">{move || state.text(Text::ExplainTitle)}</h3>
            <p class="help">{move || state.text(Text::ExplainHelp)}</p>
            <div class="row probe-controls">
                <button
                    data-testid="saliency-toggle"
                    aria-pressed=move || probes.explain.get().to_string()
                    on:click=on_toggle
                >
                    {move || {
                        if probes.explain.get() {
                            state.text(Text::ExplainOff)
                        } else {
                            state.text(Text::ExplainOn)
                        }
                    }}
                </button>
                <label>
                    {move || state.text(Text::ExplainClass)}
                    " "
                    <select data-testid="class-select" on:change=on_class>
                        <option value="" prop:selected=move || probes.class.get().is_none()>
                            {move || state.text(Text::ExplainPredicted)}
                        </option>
                        {(0..CLASSES)
                            .map(|class| {
                                view! {
                                    <option value=class.to_string() prop:selected=move || probes.class.get() == Some(class)>
                                        {class.to_string()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    "Grad-CAM "
                    <select data-testid="cam-tap" on:change=on_tap>
                        <option value="" prop:selected=move || probes.cam_tap.get().is_none()>
                            {move || format!("{} ({})", state.text(Text::CamDefault), default_tap.get())}
                        </option>
                        {move || {
                            taps.get()
                                .into_iter()
                                .map(|tap| {
                                    let chosen = tap.clone();
                                    let value = tap.clone();
                                    view! {
                                        <option
                                            value=value
                                            prop:selected=move || probes.cam_tap.get().as_deref() == Some(chosen.as_str())
                                        >
                                            {tap}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                <label>
                    {move || state.text(Text::OverlayShows)}
                    " "
                    <select data-testid="overlay-map" on:change=on_overlay>
                        <option value="cam" prop:selected=move || probes.overlay.get() == OverlayMap::GradCam>"Grad-CAM"</option>
                        <option value="saliency" prop:selected=move || probes.overlay.get() == OverlayMap::Saliency>
                            {move || state.text(Text::Saliency)}
                        </option>
                    </select>
                </label>
            </div>
            <div class="explained" hidden=move || explanation().is_none()>
                <figure>
                    <ExplainedPicture cam=false test_id="saliency-map" />
                    <figcaption>
                        <strong>{move || state.text(Text::Saliency)}</strong>
                        " "
                        <code>"|∂ score / ∂ pixel|"</code>
                        <br />
                        {move || state.text(Text::SaliencyHelp)}
                    </figcaption>
                </figure>
                <figure>
                    <ExplainedPicture cam=true test_id="cam-map" />
                    <figcaption>
                        <strong>{move || format!("Grad-CAM · {}", explanation().map(|e| e.cam_tap).unwrap_or_default())}</strong>
                        " "
                        <code>"ReLU(Σₖ αₖ Aₖ)"</code>
                        <br />
                        {move || state.text(Text::CamHelp)}
                    </figcaption>
                </figure>
            </div>
            <p class="help" data-testid="explained-class" data-class=move || explanation().map(|e| e.class.to_string())>
                {move || {
                    explanation()
                        .map(|e| {
                            let why = if e.predicted {
                                state.text(Text::ExplainPredicted)
                            } else {
                                state.text(Text::ExplainChosen)
                            };
                            format!("{} {} ({why})", state.text(Text::ExplainingClass), e.class)
                        })
                }}
            </p>
        </section>
    }
}
