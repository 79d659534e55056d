//! A tap's channels as a grid of per-channel heatmaps, and the grouping of taps the page lays
//! out by: Inception branches before their concatenation, a residual block's main path and
//! shortcut before their sum.

use convscope::arch::{Preset, TapInfo, TapKind};
use leptos::html::Canvas;
use leptos::prelude::*;
use web_sys::{KeyboardEvent, MouseEvent};

use super::figure::{ExportFigure, Figure};
use super::heatmap::{Grid, Painter, channel_ranges, render_grid};
use super::i18n::Text;
use super::{AppState, use_state};
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

/// What a tap is, in the page's language.
pub fn kind_text(kind: TapKind) -> Text {
    match kind {
        TapKind::Conv => Text::KindConv,
        TapKind::Pool => Text::KindPool,
        TapKind::Block => Text::KindBlock,
        TapKind::Inception => Text::KindInception,
        TapKind::Branch => Text::KindBranch,
        TapKind::Residual => Text::KindResidual,
        TapKind::MainPath => Text::KindMainPath,
        TapKind::Shortcut => Text::KindShortcut,
        TapKind::Hidden => Text::KindHidden,
    }
}

/// A stable name of a tap's kind, for attributes.
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

pub fn tap_values<'a>(inference: &'a Inference, name: &str) -> Option<&'a FloatTensor> {
    inference
        .taps
        .iter()
        .find(|tap| tap.name == name)
        .map(|tap| &tap.activation)
}

/// The current inference's values of a tap, if it has this shape (tracked: an effect calling
/// this reruns on every new inference).
fn current_values(state: AppState, name: &str, shape: [usize; 3]) -> Option<Vec<f32>> {
    state.inference.with(|inference| {
        inference
            .as_deref()
            .and_then(|inference| tap_values(inference, name))
            .filter(|values| shape3(values) == Some(shape))
            .map(FloatTensor::to_f32)
    })
}

/// Paints a tap's canvas from every new inference (`None`: no values for this tap).
pub fn paint_each_inference(
    state: AppState,
    canvas: NodeRef<Canvas>,
    tap: &TapInfo,
    paint: impl Fn(&Painter, Option<Vec<f32>>) + 'static,
) {
    let (name, shape) = (tap.name.clone(), tap.shape);
    let painter = StoredValue::new_local(None::<Painter>);
    Effect::new(move |_| {
        let values = current_values(state, &name, shape);
        let Some(canvas) = canvas.get() else {
            return;
        };
        painter.update_value(|painter| {
            if !painter.as_ref().is_some_and(|p| p.canvas() == &canvas) {
                *painter = Painter::new(canvas);
            }
            if let Some(painter) = painter {
                paint(painter, values);
            }
        });
    });
}

pub fn shape3(tensor: &FloatTensor) -> Option<[usize; 3]> {
    match tensor.shape[..] {
        [c, h, w] => Some([c, h, w]),
        _ => None,
    }
}

/// Display size: small maps are magnified, large grids fit the column.
pub fn display_width(grid: &Grid) -> usize {
    let scale = (96 / grid.tile_width.max(1)).clamp(1, 6);
    (grid.width() * scale).min(grid.width().max(240))
}

pub fn format_value(value: f32) -> String {
    if value == 0.0 || (1e-3..1e4).contains(&value.abs()) {
        format!("{value:.3}")
    } else {
        format!("{value:.2e}")
    }
}

/// Every channel of one tap as a grid of heatmaps; a channel opens large (click, Enter).
#[component]
pub fn TapGrid(tap: TapInfo) -> impl IntoView {
    let state = use_state();
    let canvas = NodeRef::<Canvas>::new();
    let grid = Grid::new(tap.shape);
    let range = RwSignal::new(None::<(f32, f32)>);
    let name = tap.name.clone();
    paint_each_inference(state, canvas, &tap, move |painter, values| match values {
        Some(values) => {
            let ranges = channel_ranges(&values, tap.shape);
            let rgba = render_grid(&values, &grid, &ranges);
            painter.draw(grid.width(), grid.height(), &rgba);
            let overall = values
                .iter()
                .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| {
                    (lo.min(v), hi.max(v))
                });
            range.set(Some(overall));
        }
        None => {
            painter.clear();
            range.set(None);
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
    let figure_name = name.clone();
    view! {
        <figure class="tap" data-tap=name.clone()>
            <figcaption>
                <span class="tap-name">{name.clone()}</span>
                " "
                <span class="tap-kind">{move || state.text(kind_text(tap.kind))}</span>
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
            <ExportFigure
                figure=Figure::Canvas(canvas)
                title=Signal::derive(move || format!("{figure_name} · {}", state.text(Text::FigureChannels)))
            />
        </figure>
    }
}
