//! Figures out of the page, for worksheets and slides: a canvas (a tap's channels, the kernels)
//! as a PNG, a chart or the confusion matrix as an SVG, each with a caption saying what it
//! shows: network, figure, input and weights.

use convscope::arch::CLASSES;
use leptos::html::Canvas;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::download::{save_bytes, save_url};
use super::i18n::Text;
use super::inference::{self, OtherInput};
use super::{AppState, WeightsState, use_state};

/// The caption's type and the margins around it, in exported pixels.
const CAPTION_FONT_PX: f64 = 14.0;
const CAPTION_LINE_PX: f64 = 19.0;
const MARGIN_PX: f64 = 12.0;
/// Exported maps are magnified to about this size (whole pixels, no smoothing).
const TARGET_SIDE_PX: u32 = 640;
const CAPTION_CHARS_PER_LINE: usize = 90;

/// What the figure shows: network, figure, input and weights.
pub fn caption(state: AppState, figure: &str) -> String {
    let input = match inference::other_input(state) {
        Some(OtherInput::Mnist { index, label }) => format!(
            "{}{index} ({} {label})",
            state.text(Text::MnistLabel),
            state.text(Text::Label)
        ),
        Some(OtherInput::Upload) => state.text(Text::CaptionUpload).to_string(),
        None if state.drawing_is_input.get() => state.text(Text::CaptionDrawing).to_string(),
        None => "—".to_string(),
    };
    let weights = weights_description(state);
    format!(
        "convscope · {} · {figure} · {}: {input} · {}: {weights}",
        state.preset.get().name,
        state.text(Text::CaptionInput),
        state.text(Text::CaptionWeights),
    )
}

/// Where the current weights came from, in words.
pub fn weights_description(state: AppState) -> String {
    match state.weights.get() {
        WeightsState::Pretrained => state.text(Text::WeightsPretrained).to_string(),
        WeightsState::Random | WeightsState::Loading { .. } => {
            state.text(Text::WeightsRandom).to_string()
        }
        WeightsState::Imported(name) => format!("{} {name}", state.text(Text::WeightsImported)),
        WeightsState::Trained { steps } => format!("{} {steps}", state.text(Text::WeightsTrained)),
        WeightsState::Restored { steps } => {
            format!("{} {steps}", state.text(Text::WeightsRestored))
        }
    }
}

fn wrap(text: &str) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let line = lines.last_mut().expect("one line at least");
        if !line.is_empty() && line.chars().count() + word.chars().count() >= CAPTION_CHARS_PER_LINE
        {
            lines.push(word.to_string());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}

fn file_name(state: AppState, figure: &str, extension: &str) -> String {
    let safe: String = figure
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!(
        "convscope-{}-{safe}.{extension}",
        state.preset.get_untracked().name
    )
}

/// `source` magnified, with the caption under it, as a PNG download.
fn export_canvas(source: &HtmlCanvasElement, caption: &str, file_name: &str) -> Option<()> {
    let document = web_sys::window()?.document()?;
    let figure: HtmlCanvasElement = document.create_element("canvas").ok()?.dyn_into().ok()?;
    let (width, height) = (source.width().max(1), source.height().max(1));
    let scale = (TARGET_SIDE_PX / width.max(height)).max(1);
    let lines = wrap(caption);
    let image_width = f64::from(width * scale);
    let figure_width = image_width.max(480.0) + 2.0 * MARGIN_PX;
    let figure_height =
        f64::from(height * scale) + 3.0 * MARGIN_PX + CAPTION_LINE_PX * lines.len() as f64;
    figure.set_width(figure_width as u32);
    figure.set_height(figure_height as u32);
    let context: CanvasRenderingContext2d = figure.get_context("2d").ok()??.dyn_into().ok()?;
    context.set_fill_style_str("#ffffff");
    context.fill_rect(0.0, 0.0, figure_width, figure_height);
    context.set_image_smoothing_enabled(false);
    context
        .draw_image_with_html_canvas_element_and_dw_and_dh(
            source,
            MARGIN_PX,
            MARGIN_PX,
            image_width,
            f64::from(height * scale),
        )
        .ok()?;
    context.set_fill_style_str("#1c1f26");
    context.set_font(&format!("{CAPTION_FONT_PX}px sans-serif"));
    let top = f64::from(height * scale) + 2.0 * MARGIN_PX + CAPTION_FONT_PX;
    for (index, line) in lines.iter().enumerate() {
        let _ = context.fill_text(line, MARGIN_PX, top + CAPTION_LINE_PX * index as f64);
    }
    save_url(file_name, &figure.to_data_url_with_type("image/png").ok()?);
    Some(())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An SVG figure: `body` in a `width × height` box, the caption under it.
fn svg_figure(width: f64, height: f64, body: &str, caption: &str) -> String {
    let lines = wrap(caption);
    let total = height + MARGIN_PX + CAPTION_LINE_PX * lines.len() as f64;
    let text: String = lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            format!(
                r#"<text class="caption" x="0" y="{}">{}</text>"#,
                height + MARGIN_PX + CAPTION_FONT_PX + CAPTION_LINE_PX * index as f64,
                escape(line)
            )
        })
        .collect();
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {total}" width="{w}" height="{total}" font-family="sans-serif"><style>.axis{{stroke:#999;stroke-width:1}}.tick{{font-size:9px;fill:#666}}.curve{{fill:none;stroke:#3b528b;stroke-width:1.5}}.point{{fill:#fff;stroke:#3b528b;stroke-width:1}}.point.filled{{fill:#3b528b}}.guide{{stroke:#bbb;stroke-dasharray:3 3}}.caption{{font-size:{CAPTION_FONT_PX}px;fill:#1c1f26}}</style><rect width="100%" height="100%" fill="#fff"/>{body}{text}</svg>"##,
        w = width.max(480.0),
    )
}

/// A chart's `<svg>` (by its test id) as an SVG file with a caption.
fn export_chart(state: AppState, chart_id: &str, title: &str) -> Option<()> {
    let document = web_sys::window()?.document()?;
    let chart = document
        .query_selector(&format!("[data-testid=\"{chart_id}\"]"))
        .ok()??;
    let view_box = chart.get_attribute("viewBox")?;
    let [_, _, width, height] = view_box
        .split(' ')
        .filter_map(|v| v.parse::<f64>().ok())
        .collect::<Vec<_>>()[..]
    else {
        return None;
    };
    let svg = svg_figure(width, height, &chart.inner_html(), &caption(state, title));
    save_bytes(&file_name(state, chart_id, "svg"), svg.as_bytes());
    Some(())
}

/// The confusion matrix as an SVG: a cell per (truth, prediction), darker for a larger share.
fn export_confusion(state: AppState, title: &str) -> Option<()> {
    const CELL: f64 = 34.0;
    let report = state.training.report.get_untracked()?;
    let confusion = report.evaluation.confusion;
    let mut body = String::new();
    for digit in 0..CLASSES {
        let at = CELL * (digit as f64 + 1.0);
        body += &format!(
            r#"<text x="{}" y="{}" text-anchor="middle" font-size="12">{digit}</text><text x="{}" y="{}" text-anchor="middle" font-size="12">{digit}</text>"#,
            at + CELL / 2.0,
            CELL * 0.7,
            CELL / 2.0,
            at + CELL * 0.6
        );
    }
    for (truth, row) in confusion.iter().enumerate() {
        let total: u32 = row.iter().sum();
        for (predicted, &count) in row.iter().enumerate() {
            let share = f64::from(count) / f64::from(total.max(1));
            let (x, y) = (CELL * (predicted as f64 + 1.0), CELL * (truth as f64 + 1.0));
            let color = if truth == predicted {
                "33,145,140"
            } else {
                "179,38,30"
            };
            body += &format!(
                r##"<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="rgba({color},{share:.3})" stroke="#ddd"/><text x="{}" y="{}" text-anchor="middle" font-size="11">{count}</text>"##,
                x + CELL / 2.0,
                y + CELL * 0.6
            );
        }
    }
    let side = CELL * (CLASSES as f64 + 1.0);
    let svg = svg_figure(side, side, &body, &caption(state, title));
    save_bytes(&file_name(state, "confusion", "svg"), svg.as_bytes());
    Some(())
}

/// What an export button saves.
#[derive(Clone)]
pub enum Figure {
    /// A canvas of the page, as a PNG.
    Canvas(NodeRef<Canvas>),
    /// A chart, by its test id.
    Chart(&'static str),
    Confusion,
}

/// A button that saves `figure` with a caption naming `title`.
#[component]
pub fn ExportFigure(figure: Figure, #[prop(into)] title: Signal<String>) -> impl IntoView {
    let state = use_state();
    let kind = match &figure {
        Figure::Canvas(_) => "png",
        Figure::Chart(_) | Figure::Confusion => "svg",
    };
    let on_click = {
        let figure = figure.clone();
        move |_| {
            let title = title.get_untracked();
            let caption = caption(state, &title);
            let done = match &figure {
                Figure::Canvas(canvas) => canvas
                    .get_untracked()
                    .and_then(|c| export_canvas(&c, &caption, &file_name(state, &title, "png"))),
                Figure::Chart(id) => export_chart(state, id, &title),
                Figure::Confusion => export_confusion(state, &title),
            };
            if done.is_none() {
                state
                    .error
                    .set(Some(state.text(Text::ExportFailed).to_string()));
            }
        }
    };
    view! {
        <button
            class="export-figure"
            data-testid="export-figure"
            data-kind=kind
            data-caption=move || caption(state, &title.get())
            on:click=on_click
        >
            {move || format!("{} ({})", state.text(Text::ExportFigure), kind.to_uppercase())}
        </button>
    }
}
