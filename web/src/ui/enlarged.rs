//! One channel of a tap, large, in a dialog: its values under the pointer, the receptive
//! field of the hovered pixel (in the dialog, and behind it on the input column's network input
//! and drawing), ←/→ through the channels.

use convscope::pixel_math::PixelQuery;
use leptos::html::Canvas;
use leptos::prelude::*;
use web_sys::{KeyboardEvent, MouseEvent};

use super::feature_maps::{format_value, shape3, tap_values};
use super::heatmap::{Grid, channel_ranges, draw, render_grid};
use super::i18n::Text;
use super::pixel_math::PixelMathView;
use super::probe::{KnockoutToggle, inspect};
use super::receptive_field::ReceptiveFieldView;
use super::use_state;
use crate::protocol::FloatTensor;

/// One channel, large, with its values under the pointer.
#[component]
pub fn EnlargedChannel() -> impl IntoView {
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
        state.probe.set(None);
    });
    // Another channel (or none) drops the chosen pixel and its maths; the first run is the
    // page opening, maybe on a link's pixel.
    Effect::new(move |opened: Option<Option<(String, usize)>>| {
        let enlarged = state.enlarged.get();
        if opened.is_some_and(|opened| opened != enlarged) {
            state.chosen_pixel.set(None);
        }
        enlarged
    });
    // Focus moves to the dialog when it opens or shows another channel, not on every redraw.
    Effect::new(move |_| {
        if current.get().is_some()
            && let Some(dialog) = dialog.get()
        {
            let _ = dialog.focus();
        }
    });
    // Redrawn for every inference: the input, a knock-out or a distortion changes the map.
    Effect::new(move |_| {
        let (Some((name, channel, shape)), Some(canvas)) = (current.get(), canvas.get()) else {
            return;
        };
        let Some(inference) = state.inference.get() else {
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
    // The pixel of the channel under the pointer: tap, channel, x, y.
    let pixel_at = move |event: &MouseEvent| {
        let (name, channel, shape) = current.get_untracked()?;
        let canvas = canvas.get()?;
        let (client_width, client_height) = (canvas.client_width(), canvas.client_height());
        if client_width <= 0 || client_height <= 0 {
            return None;
        }
        let x =
            (event.offset_x().max(0) as usize * shape[2] / client_width as usize).min(shape[2] - 1);
        let y = (event.offset_y().max(0) as usize * shape[1] / client_height as usize)
            .min(shape[1] - 1);
        Some((name, channel, x, y))
    };
    // The pixel whose maths show under the map.
    let choose = move |tap: String, channel: usize, column: usize, row: usize| {
        state.chosen_pixel.set(Some(PixelQuery {
            tap,
            channel,
            row,
            column,
        }));
    };
    let on_click = move |event: MouseEvent| {
        if let Some((tap, channel, column, row)) = pixel_at(&event) {
            choose(tap, channel, column, row);
        }
    };
    // From the keyboard: with the map focused, the arrow keys move the chosen pixel (not the
    // channel) and its maths follow.
    let on_canvas_key = move |event: KeyboardEvent| {
        let (dx, dy): (isize, isize) = match event.key().as_str() {
            "ArrowLeft" => (-1, 0),
            "ArrowRight" => (1, 0),
            "ArrowUp" => (0, -1),
            "ArrowDown" => (0, 1),
            "Enter" | " " => (0, 0),
            _ => return,
        };
        event.prevent_default();
        event.stop_propagation();
        let Some((tap, channel, shape)) = current.get_untracked() else {
            return;
        };
        let (column, row) = match state.chosen_pixel.get_untracked() {
            Some(chosen) if chosen.tap == tap && chosen.channel == channel => (
                (chosen.column as isize + dx).clamp(0, shape[2] as isize - 1) as usize,
                (chosen.row as isize + dy).clamp(0, shape[1] as isize - 1) as usize,
            ),
            _ => (0, 0),
        };
        pixel.set(Some((column, row)));
        state.probe.set(Some((tap.clone(), column, row)));
        choose(tap, channel, column, row);
    };
    let marker = move || {
        let query = state.chosen_pixel.get()?;
        let (_, _, shape) = current.get()?;
        Some(format!(
            "left:{}%;top:{}%;width:{}%;height:{}%",
            query.column as f64 * 100.0 / shape[2] as f64,
            query.row as f64 * 100.0 / shape[1] as f64,
            100.0 / shape[2] as f64,
            100.0 / shape[1] as f64,
        ))
    };
    let on_move = move |event: MouseEvent| {
        let Some((name, channel, x, y)) = pixel_at(&event) else {
            return;
        };
        let Some((_, _, shape)) = current.get_untracked() else {
            return;
        };
        let Some(inference) = state.inference.get_untracked() else {
            return;
        };
        if let Some(values) = tap_values(&inference, &name) {
            let index = (channel * shape[1] + y) * shape[2] + x;
            let bytes = &values.values[index * 4..index * 4 + 4];
            let value = f32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
            hover.set(format!("x={x} y={y}: {}", format_value(value)));
            pixel.set(Some((x, y)));
            // Also behind the dialog: on the network input and the drawing in the input column.
            state.probe.set(Some((name.clone(), x, y)));
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
                <div class="enlarged-body">
                    <div class="enlarged-map">
                        <div class="enlarged-frame">
                            <canvas
                                node_ref=canvas
                                class="heatmap enlarged-canvas"
                                data-testid="enlarged-canvas"
                                tabindex="0"
                                aria-label=move || state.text(Text::PixelKeysHelp)
                                on:mousemove=on_move
                                on:click=on_click
                                on:keydown=on_canvas_key
                            ></canvas>
                            {move || marker().map(|style| view! { <div class="pixel-marker" style=style></div> })}
                        </div>
                        <p class="hover-value" aria-live="polite">{move || hover.get()}</p>
                        <ReceptiveFieldView tap=Signal::from(tap) pixel=pixel />
                        <p class="help">{move || state.text(Text::HoverHelp)}</p>
                    </div>
                    <div class="enlarged-maths">
                        <PixelMathView />
                    </div>
                </div>
                <div class="buttons">
                    {move || {
                        current
                            .get()
                            .map(|(name, channel, _)| {
                                let target = format!("{name}:{channel}");
                                let label = Signal::derive(move || state.text(Text::KnockoutThisChannel).to_string());
                                view! {
                                    <KnockoutToggle target=target label=label />
                                    <button data-testid="detect-channel-button" on:click=move |_| inspect(state, name.clone(), channel)>
                                        {move || state.text(Text::DetectThisChannel)}
                                    </button>
                                }
                            })
                    }}
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
