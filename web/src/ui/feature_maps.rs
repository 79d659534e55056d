//! Every tap of the network as a grid of per-channel heatmaps, laid out by the network's own
//! description: Inception branches side by side before their concatenation, a residual
//! block's main path and shortcut side by side before their sum.

use std::sync::Arc;

use convscope::arch::{Preset, TapInfo, TapKind};
use leptos::html::Canvas;
use leptos::prelude::*;
use web_sys::{KeyboardEvent, MouseEvent};

use super::colormap::css_gradient;
use super::heatmap::{Grid, channel_ranges, draw, render_grid};
use super::i18n::Text;
use super::receptive_field::ReceptiveFieldView;
use super::use_state;
use crate::protocol::{FloatTensor, Inference};

/// A tap and the taps that feed it side by side (branches, or main path and shortcut).
#[derive(Clone, Debug, PartialEq)]
pub struct TapGroup {
    pub parts: Vec<TapInfo>,
    pub output: TapInfo,
}

fn is_part(kind: TapKind) -> bool {
    matches!(
        kind,
        TapKind::Branch | TapKind::MainPath | TapKind::Shortcut
    )
}

/// The preset's taps grouped for display; parts precede the tap they feed.
pub fn tap_groups(preset: &Preset) -> Vec<TapGroup> {
    let taps = preset.architecture().taps().unwrap_or_default();
    let mut groups = Vec::new();
    let mut parts = Vec::new();
    for tap in taps {
        if is_part(tap.kind) {
            parts.push(tap);
        } else {
            groups.push(TapGroup {
                parts: std::mem::take(&mut parts),
                output: tap,
            });
        }
    }
    groups
}

pub fn kind_label(kind: TapKind) -> &'static str {
    match kind {
        TapKind::Conv => "conv",
        TapKind::Pool => "pool",
        TapKind::Block => "block",
        TapKind::Inception => "inception",
        TapKind::Branch => "branch",
        TapKind::Residual => "sum",
        TapKind::MainPath => "main path",
        TapKind::Shortcut => "shortcut",
        TapKind::Hidden => "hidden",
    }
}

fn tap_values<'a>(inference: &'a Inference, name: &str) -> Option<&'a FloatTensor> {
    inference
        .taps
        .iter()
        .find(|tap| tap.name == name)
        .map(|tap| &tap.activation)
}

fn shape3(tensor: &FloatTensor) -> Option<[usize; 3]> {
    match tensor.shape[..] {
        [c, h, w] => Some([c, h, w]),
        _ => None,
    }
}

/// Display size: small maps are magnified, large grids fit the column.
fn display_width(grid: &Grid) -> usize {
    let scale = (96 / grid.tile_width.max(1)).clamp(1, 6);
    (grid.width() * scale).min(grid.width().max(240))
}

fn format_value(value: f32) -> String {
    if value == 0.0 || (1e-3..1e4).contains(&value.abs()) {
        format!("{value:.3}")
    } else {
        format!("{value:.2e}")
    }
}

#[component]
pub fn FeatureMaps() -> impl IntoView {
    let state = use_state();
    let groups = Memo::new(move |_| tap_groups(state.preset.get()));
    view! {
        <section class="panel maps-panel" aria-labelledby="maps-title">
            <h2 id="maps-title">{move || state.text(Text::FeatureMaps)}</h2>
            <p class="help">{move || state.text(Text::FeatureMapsHelp)}</p>
            <div class="legend" aria-hidden="true">
                <span>"min"</span>
                <span class="legend-bar" style=format!("background:{}", css_gradient())></span>
                <span>"max"</span>
            </div>
            <Kernels />
            <div class="feature-maps" data-testid="feature-maps">
                <For
                    each=move || groups.get()
                    // Presets share tap names ("b1.conv") with other shapes: key on all of it.
                    key=|group| format!("{group:?}")
                    children=move |group| view! { <TapGroupView group /> }
                />
            </div>
            <EnlargedChannel />
        </section>
    }
}

#[component]
fn TapGroupView(group: TapGroup) -> impl IntoView {
    let has_parts = !group.parts.is_empty();
    let parts = group
        .parts
        .into_iter()
        .map(|tap| view! { <TapView tap /> })
        .collect_view();
    view! {
        <div class="tap-group" class:with-parts=has_parts>
            {has_parts.then(|| view! { <div class="tap-parts">{parts}</div> })}
            <TapView tap=group.output />
        </div>
    }
}

#[component]
fn TapView(tap: TapInfo) -> impl IntoView {
    let state = use_state();
    let canvas = NodeRef::<Canvas>::new();
    let grid = Grid::new(tap.shape);
    let range = RwSignal::new(None::<(f32, f32)>);
    let name = tap.name.clone();
    Effect::new({
        let name = name.clone();
        move |_| {
            let inference = state.inference.get();
            let Some(canvas) = canvas.get() else {
                return;
            };
            let values = inference
                .as_deref()
                .and_then(|inference| tap_values(inference, &name))
                .filter(|values| shape3(values) == Some(tap.shape));
            match values {
                Some(values) => {
                    let values = values.to_f32();
                    let ranges = channel_ranges(&values, tap.shape);
                    let rgba = render_grid(&values, &grid, &ranges);
                    draw(&canvas, grid.width(), grid.height(), &rgba);
                    let overall = values
                        .iter()
                        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| {
                            (lo.min(v), hi.max(v))
                        });
                    range.set(Some(overall));
                }
                None => {
                    draw(&canvas, 1, 1, &[0, 0, 0, 0]);
                    range.set(None);
                }
            }
        }
    });
    let open = {
        let name = name.clone();
        move |channel: usize| state.enlarged.set(Some((name.clone(), channel)))
    };
    let on_click = {
        let open = open.clone();
        move |event: MouseEvent| {
            let Some(canvas) = canvas.get() else {
                return;
            };
            let (client_width, client_height) = (canvas.client_width(), canvas.client_height());
            if client_width == 0 || client_height == 0 || canvas.width() <= 1 {
                return;
            }
            let x = event.offset_x() as f64 * canvas.width() as f64 / client_width as f64;
            let y = event.offset_y() as f64 * canvas.height() as f64 / client_height as f64;
            if let Some(channel) = grid.channel_at(x as usize, y as usize) {
                open(channel);
            }
        }
    };
    let on_key = move |event: KeyboardEvent| {
        if event.key() == "Enter" || event.key() == " " {
            event.prevent_default();
            open(0);
        }
    };
    let [channels, height, width] = tap.shape;
    let label = format!("{name}: {channels} × {height}×{width}");
    view! {
        <figure class="tap" data-block=name.clone() id=format!("fm-{name}")>
            <figcaption>
                <span class="tap-name">{name.clone()}</span>
                " "
                <span class="tap-kind">{kind_label(tap.kind)}</span>
                " "
                <span class="tap-shape">{format!("{channels}×{height}×{width}")}</span>
            </figcaption>
            <canvas
                node_ref=canvas
                class="heatmap"
                width="1"
                height="1"
                tabindex="0"
                role="img"
                aria-label=label
                style=format!("width:{}px", display_width(&grid))
                on:click=on_click
                on:keydown=on_key
            ></canvas>
            <div class="tap-range">
                {move || {
                    range
                        .get()
                        .map(|(lo, hi)| {
                            format!(
                                "{} {} … {}",
                                state.text(Text::Range),
                                format_value(lo),
                                format_value(hi),
                            )
                        })
                }}
            </div>
        </figure>
    }
}

/// One channel, large, with its values under the pointer.
#[component]
fn EnlargedChannel() -> impl IntoView {
    let state = use_state();
    let canvas = NodeRef::<Canvas>::new();
    let dialog = NodeRef::<leptos::html::Div>::new();
    let hover = RwSignal::new(String::new());
    // The hovered pixel, for its receptive field.
    let pixel = RwSignal::new(None::<(usize, usize)>);
    let current = Memo::new(move |_| {
        let (name, channel) = state.enlarged.get()?;
        let inference = state.inference.get()?;
        let shape = shape3(tap_values(&inference, &name)?)?;
        Some((name, channel.min(shape[0].saturating_sub(1)), shape))
    });
    let tap = Memo::new(move |_| current.get().map(|(name, ..)| name));
    Effect::new(move |_| {
        tap.track();
        pixel.set(None);
    });
    Effect::new(move |_| {
        let (Some((name, channel, shape)), Some(canvas)) = (current.get(), canvas.get()) else {
            return;
        };
        let Some(inference) = state.inference.get_untracked() else {
            return;
        };
        let Some(values) = tap_values(&inference, &name).map(FloatTensor::to_f32) else {
            return;
        };
        let area = shape[1] * shape[2];
        let slice = &values[channel * area..(channel + 1) * area];
        let single = [1, shape[1], shape[2]];
        let grid = Grid::new(single);
        let ranges = if area == 1 {
            channel_ranges(&values, shape)[..1].to_vec()
        } else {
            channel_ranges(slice, single)
        };
        draw(
            &canvas,
            grid.width(),
            grid.height(),
            &render_grid(slice, &grid, &ranges),
        );
        if let Some(dialog) = dialog.get() {
            let _ = dialog.focus();
        }
    });
    let step = move |delta: isize| {
        if let Some((name, channel, shape)) = current.get_untracked() {
            let channels = shape[0] as isize;
            let next = (channel as isize + delta).rem_euclid(channels) as usize;
            state.enlarged.set(Some((name, next)));
        }
    };
    let on_key = move |event: KeyboardEvent| match event.key().as_str() {
        "Escape" => state.enlarged.set(None),
        "ArrowLeft" => step(-1),
        "ArrowRight" => step(1),
        _ => {}
    };
    let on_move = move |event: MouseEvent| {
        let (Some((name, channel, shape)), Some(canvas)) = (current.get_untracked(), canvas.get())
        else {
            return;
        };
        let Some(inference) = state.inference.get_untracked() else {
            return;
        };
        let (client_width, client_height) = (canvas.client_width(), canvas.client_height());
        if client_width == 0 || client_height == 0 {
            return;
        }
        let x = (event.offset_x() as usize * shape[2] / client_width as usize).min(shape[2] - 1);
        let y = (event.offset_y() as usize * shape[1] / client_height as usize).min(shape[1] - 1);
        if let Some(values) = tap_values(&inference, &name) {
            let index = (channel * shape[1] + y) * shape[2] + x;
            let bytes = &values.values[index * 4..index * 4 + 4];
            let value = f32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
            hover.set(format!("x={x} y={y}: {}", format_value(value)));
            pixel.set(Some((x, y)));
        }
    };
    view! {
        <Show when=move || current.get().is_some()>
            <div class="overlay" on:click=move |_| state.enlarged.set(None)></div>
            <div
                class="enlarged"
                role="dialog"
                aria-modal="true"
                aria-labelledby="enlarged-title"
                tabindex="-1"
                node_ref=dialog
                on:keydown=on_key
            >
                <h3 id="enlarged-title">
                    {move || {
                        current
                            .get()
                            .map(|(name, channel, shape)| {
                                format!(
                                    "{name} · {} {} / {}",
                                    state.text(Text::Channel),
                                    channel,
                                    shape[0],
                                )
                            })
                    }}
                </h3>
                <canvas
                    node_ref=canvas
                    class="heatmap enlarged-canvas"
                    on:mousemove=on_move
                ></canvas>
                <p class="hover-value" aria-live="polite">{move || hover.get()}</p>
                <ReceptiveFieldView tap=Signal::from(tap) pixel=pixel />
                <p class="help">{move || state.text(Text::HoverHelp)}</p>
                <div class="buttons">
                    <button on:click=move |_| step(-1)>{move || state.text(Text::Previous)}</button>
                    <button on:click=move |_| step(1)>{move || state.text(Text::Next)}</button>
                    <button on:click=move |_| state.enlarged.set(None)>
                        {move || state.text(Text::Close)}
                    </button>
                </div>
            </div>
        </Show>
    }
}

/// The first convolution's kernels, summed over input channels, one tile each.
#[component]
fn Kernels() -> impl IntoView {
    let state = use_state();
    let canvas = NodeRef::<Canvas>::new();
    Effect::new(move |_| {
        let kernels: Option<Arc<FloatTensor>> = state.kernels.get();
        let Some(canvas) = canvas.get() else {
            return;
        };
        let Some(kernels) = kernels.filter(|k| k.shape.len() == 4) else {
            draw(&canvas, 1, 1, &[0, 0, 0, 0]);
            return;
        };
        let [out, inputs, kh, kw] = [
            kernels.shape[0],
            kernels.shape[1],
            kernels.shape[2],
            kernels.shape[3],
        ];
        let values = kernels.to_f32();
        let area = kh * kw;
        let summed: Vec<f32> = values
            .chunks_exact(inputs * area)
            .flat_map(|kernel| {
                (0..area).map(move |i| (0..inputs).map(|c| kernel[c * area + i]).sum::<f32>())
            })
            .collect();
        let shape = [out, kh, kw];
        let grid = Grid::new(shape);
        let rgba = render_grid(&summed, &grid, &channel_ranges(&summed, shape));
        draw(&canvas, grid.width(), grid.height(), &rgba);
        let width = format!("width:{}px", display_width(&grid).max(160));
        let _ = canvas.set_attribute("style", &width);
    });
    view! {
        <div class="kernels">
            <h3>{move || state.text(Text::Kernels)}</h3>
            <p class="help">{move || state.text(Text::KernelsHelp)}</p>
            <canvas node_ref=canvas class="heatmap" role="img" aria-label="first-layer kernels"></canvas>
        </div>
    }
}
