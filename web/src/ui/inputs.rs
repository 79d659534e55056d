//! Where digits come from: the drawing canvas, files (picker, drop, paste), MNIST's test set.

use std::rc::Rc;

use convscope::arch::CLASSES;
use convscope::data::Stroke;
use convscope::preprocess::drawing_at_working_size;
use leptos::html::{Canvas, Input};
use leptos::prelude::*;
use serde_bytes::ByteBuf;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{CanvasRenderingContext2d, DragEvent, File, HtmlCanvasElement, PointerEvent};

use super::heatmap;
use super::i18n::Text;
use super::inference::{self, InputSource, OtherInput};
use super::probe::DrawingSaliency;
use super::receptive_field::DrawingOutline;
use super::{AppState, share, use_state};
use crate::protocol::DigitInput;

/// Drawing resolution: ten canvas pixels per MNIST pixel.
const CANVAS_SIDE: u32 = 280;
const PAPER: &str = "#ffffff";
const INK: &str = "#111111";

fn context(canvas: &web_sys::HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    // Every stroke is read back for the engine: a canvas kept in memory, not on the GPU, reads
    // back without waiting for the GPU (the first call's options hold for the canvas's life).
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"willReadFrequently".into(), &true.into()).ok()?;
    canvas
        .get_context_with_context_options("2d", &options)
        .ok()??
        .dyn_into()
        .ok()
}

fn clear(canvas: &web_sys::HtmlCanvasElement) {
    if let Some(context) = context(canvas) {
        context.set_fill_style_str(PAPER);
        context.fill_rect(0.0, 0.0, CANVAS_SIDE as f64, CANVAS_SIDE as f64);
    }
}

fn paint_line(context: &CanvasRenderingContext2d, width: f64, from: (f64, f64), to: (f64, f64)) {
    context.set_stroke_style_str(INK);
    context.set_line_width(width);
    context.set_line_cap("round");
    context.set_line_join("round");
    context.begin_path();
    context.move_to(from.0, from.1);
    context.line_to(to.0, to.1);
    context.stroke();
}

/// The pointer's position in canvas pixels.
fn position(canvas: &web_sys::HtmlCanvasElement, event: &PointerEvent) -> (f64, f64) {
    let rect = canvas.get_bounding_client_rect();
    let scale_x = canvas.width() as f64 / rect.width().max(1.0);
    let scale_y = canvas.height() as f64 / rect.height().max(1.0);
    (
        (event.client_x() as f64 - rect.left()) * scale_x,
        (event.client_y() as f64 - rect.top()) * scale_y,
    )
}

#[component]
pub fn DrawPanel() -> impl IntoView {
    let state = use_state();
    let canvas = NodeRef::<Canvas>::new();
    let brush = RwSignal::new(22.0_f64);
    let has_ink = RwSignal::new(false);
    let last = StoredValue::new(None::<(f64, f64)>);
    // The stroke under the pen; finished strokes go to `state.strokes` (and the URL).
    let stroke = StoredValue::new(Stroke::default());
    // The drawing as an input: read when a request goes out, so the newest strokes count.
    let drawing = move || {
        let canvas = canvas.get_untracked()?;
        Some(InputSource::Live(Rc::new(move || read_drawing(&canvas))))
    };
    let stroke_to = move |point: (f64, f64)| {
        let Some(canvas) = canvas.get_untracked() else {
            return;
        };
        let Some(context) = context(&canvas) else {
            return;
        };
        // Whole pixels and widths, as a link keeps them, so a link redraws the same pixels.
        let [x, y] = [point.0, point.1].map(|v| v.round().clamp(0.0, CANVAS_SIDE as f64 - 1.0));
        let point = (x, y);
        let from = last.get_value().unwrap_or(point);
        let width = brush.get_untracked().round();
        paint_line(&context, width, from, point);
        last.set_value(Some(point));
        if !has_ink.get_untracked() {
            has_ink.set(true);
        }
        stroke.update_value(|stroke| {
            stroke.width = width as u16;
            stroke.points.push([x as u16, y as u16]);
        });
        inference::set_input(state, drawing());
    };
    // A link's drawing is drawn again, and is the input.
    canvas.on_load(move |canvas| {
        clear(&canvas);
        let Some(strokes) = share::take_link_drawing() else {
            return;
        };
        if let Some(context) = context(&canvas) {
            for stroke in &strokes {
                let points: Vec<(f64, f64)> = stroke
                    .points
                    .iter()
                    .map(|[x, y]| (*x as f64, *y as f64))
                    .collect();
                let first = points.first().copied().unwrap_or_default();
                let mut from = first;
                for &point in &points {
                    paint_line(&context, stroke.width as f64, from, point);
                    from = point;
                }
            }
        }
        has_ink.set(!strokes.is_empty());
        state.strokes.set(strokes);
        inference::set_input(state, drawing());
    });
    let end_stroke = move || {
        let finished = std::mem::take(&mut *stroke.write_value());
        if !finished.points.is_empty() {
            state.strokes.update(|strokes| strokes.push(finished));
        }
    };
    let on_down = move |event: PointerEvent| {
        let Some(canvas) = canvas.get_untracked() else {
            return;
        };
        event.prevent_default();
        let _ = canvas.set_pointer_capture(event.pointer_id());
        last.set_value(None);
        end_stroke();
        stroke_to(position(&canvas, &event));
    };
    let on_move = move |event: PointerEvent| {
        if last.get_value().is_none() {
            return;
        }
        if let Some(canvas) = canvas.get_untracked() {
            stroke_to(position(&canvas, &event));
        }
    };
    let on_up = move |_: PointerEvent| {
        last.set_value(None);
        end_stroke();
    };
    let on_clear = move |_| {
        if let Some(canvas) = canvas.get_untracked() {
            clear(&canvas);
        }
        has_ink.set(false);
        stroke.set_value(Stroke::default());
        state.strokes.set(Vec::new());
        inference::set_input(state, None);
    };
    let on_run = move |_| {
        if has_ink.get_untracked() {
            inference::set_input(state, drawing());
        } else {
            inference::show_input_error(state, state.text(Text::EmptyCanvas).to_string());
        }
    };
    let shown_instead = Memo::new(move |_| inference::other_input(state));
    view! {
        <section class="panel draw-panel" aria-labelledby="draw-title">
            <h2 id="draw-title">{move || state.text(Text::Draw)}</h2>
            <p class="help" id="draw-help">{move || state.text(Text::DrawHelp)}</p>
            <div
                class="draw-frame"
                class:set-aside=move || has_ink.get() && shown_instead.get().is_some()
            >
                <canvas
                    node_ref=canvas
                    class="draw-canvas"
                    data-testid="draw-canvas"
                    width=CANVAS_SIDE
                    height=CANVAS_SIDE
                    aria-describedby="draw-help"
                    aria-label=move || state.text(Text::Draw)
                    on:pointerdown=on_down
                    on:pointermove=on_move
                    on:pointerup=on_up
                    on:pointercancel=on_up
                ></canvas>
                <DrawingSaliency />
                <DrawingOutline />
                <PadCaption has_ink shown_instead />
            </div>
            <div class="row">
                <label>
                    {move || state.text(Text::Brush)}
                    " "
                    <input
                        type="range"
                        min="8"
                        max="40"
                        prop:value=move || brush.get()
                        on:input=move |event| {
                            if let Ok(width) = event_target_value(&event).parse() {
                                brush.set(width);
                            }
                        }
                    />
                </label>
                <button data-testid="clear-button" on:click=on_clear>
                    {move || state.text(Text::Clear)}
                </button>
                <button data-testid="run-button" on:click=on_run>
                    {move || state.text(Text::Run)}
                </button>
            </div>
        </section>
    }
}

/// Over the pad while the network looks at another input (the page opens on MNIST test #0; a
/// pick or an upload sets a drawing aside without erasing it): which input, and how the
/// drawing comes back, so a pad beside a prediction about something else puzzles no one.
#[component]
fn PadCaption(has_ink: RwSignal<bool>, shown_instead: Memo<Option<OtherInput>>) -> impl IntoView {
    let state = use_state();
    view! {
        {move || {
            shown_instead
                .get()
                .map(|shown| {
                    let what = match shown {
                        // Whole phrases per line: the phone's pad is narrow.
                        OtherInput::Mnist { index, label } => {
                            view! {
                                <span>{format!("{}{index},", state.text(Text::MnistLabel))}</span>
                                " "
                                <span>{format!("{} {label}", state.text(Text::Label))}</span>
                            }
                                .into_any()
                        }
                        OtherInput::Upload => {
                            view! { <span>{state.text(Text::CaptionUpload)}</span> }.into_any()
                        }
                    };
                    let next = if has_ink.get() { Text::PadDrawingKept } else { Text::PadDrawYourOwn };
                    view! {
                        <p class="pad-caption" data-testid="pad-caption">
                            <span>{state.text(Text::PadNowShowing)}</span>
                            <ShownInput />
                            <strong>{what}</strong>
                            <span>{state.text(next)}</span>
                        </p>
                    }
                })
        }}
    }
}

/// The input the network shows instead of the drawing, small: the caption's words name it, this
/// shows it (the first screen has no other picture of it).
#[component]
fn ShownInput() -> impl IntoView {
    let state = use_state();
    let canvas = NodeRef::<Canvas>::new();
    Effect::new(move |_| {
        let Some(canvas) = canvas.get() else {
            return;
        };
        state.inference.with(|inference| {
            if let Some(inference) = inference {
                heatmap::draw_gray(&canvas, &inference.steps.original);
            }
        });
    });
    view! {
        <canvas node_ref=canvas class="pad-shown" data-testid="pad-shown" width="1" height="1"></canvas>
    }
}

/// The canvas's pixels, as the engine takes a drawing: shrunk here to the size the engine works
/// on, so a quarter of them cross to the worker.
fn read_drawing(canvas: &HtmlCanvasElement) -> Option<DigitInput> {
    let (width, height) = (canvas.width(), canvas.height());
    let pixels = context(canvas)?
        .get_image_data(0.0, 0.0, width as f64, height as f64)
        .ok()?;
    let shrunk = drawing_at_working_size(width, height, pixels.data().0).ok()?;
    let (width, height) = shrunk.dimensions();
    Some(DigitInput::Drawing {
        width,
        height,
        rgba: ByteBuf::from(shrunk.into_raw()),
    })
}

async fn file_bytes(file: &File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| format!("could not read {}: {e:?}", file.name()))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Runs the network on an image file.
pub fn use_image_file(state: AppState, file: File) {
    leptos::task::spawn_local(async move {
        match file_bytes(&file).await {
            Ok(bytes) => inference::set_input(
                state,
                Some(InputSource::Fixed(DigitInput::File {
                    name: file.name(),
                    bytes: ByteBuf::from(bytes),
                })),
            ),
            Err(message) => inference::show_input_error(state, message),
        }
    });
}

/// Reads a file the user chose, for the weights import.
pub fn read_file(file: File, then: impl FnOnce(String, Vec<u8>) + 'static) {
    let state = use_state();
    leptos::task::spawn_local(async move {
        match file_bytes(&file).await {
            Ok(bytes) => then(file.name(), bytes),
            Err(message) => state.error.set(Some(message)),
        }
    });
}

#[component]
pub fn UploadPanel() -> impl IntoView {
    let state = use_state();
    let input = NodeRef::<Input>::new();
    let dragging = RwSignal::new(false);
    let on_change = move |_| {
        let Some(input) = input.get_untracked() else {
            return;
        };
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            use_image_file(state, file);
        }
        // The same file chosen again is a new request.
        input.set_value("");
    };
    let on_drop = move |event: DragEvent| {
        event.prevent_default();
        dragging.set(false);
        if let Some(file) = event
            .data_transfer()
            .and_then(|transfer| transfer.files())
            .and_then(|files| files.get(0))
        {
            use_image_file(state, file);
        }
    };
    view! {
        <section
            class="panel upload-panel"
            class:dragging=move || dragging.get()
            aria-labelledby="upload-title"
            on:dragover=move |event: DragEvent| {
                event.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <h2 id="upload-title">{move || state.text(Text::Upload)}</h2>
            // The browser's own file button speaks the browser's language: ours speaks the page's.
            <input
                id="upload-input"
                class="visually-hidden"
                node_ref=input
                type="file"
                accept="image/*"
                data-testid="upload-input"
                on:change=on_change
            />
            <label for="upload-input" class="button">{move || state.text(Text::ChooseImage)}</label>
            <p class="help">{move || state.text(Text::UploadHelp)}</p>
            <MnistPicker />
        </section>
    }
}

#[component]
fn MnistPicker() -> impl IntoView {
    let state = use_state();
    let class = RwSignal::new(None::<u8>);
    let pick = move |_| {
        inference::set_input(
            state,
            Some(InputSource::Fixed(DigitInput::MnistTest {
                index: None,
                class: class.get_untracked(),
            })),
        )
    };
    view! {
        <div class="row mnist-picker">
            <label>
                {move || state.text(Text::MnistDigit)}
                " "
                <select
                    data-testid="mnist-class"
                    on:change=move |event| class.set(event_target_value(&event).parse().ok())
                >
                    <option value="">{move || state.text(Text::AnyClass)}</option>
                    {(0..CLASSES as u8).map(|d| view! { <option value=d.to_string()>{d}</option> }).collect_view()}
                </select>
            </label>
            <button data-testid="mnist-random" on:click=pick>
                {move || state.text(Text::RandomDigit)}
            </button>
        </div>
    }
}
