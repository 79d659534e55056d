//! The whole network on one screen: every tap as a small picture, stage by stage in the order
//! data flows (an Inception block's branches side by side before their concatenation, a
//! residual block's main path and shortcut before their sum). Drawing redraws it live; a tap
//! opens (click, Enter) into its channels; hovering or arrowing over a tap's pixels shows
//! their receptive field on the network input.

use convscope::arch::{Preset, TapInfo, TapKind};
use leptos::html::Canvas;
use leptos::prelude::*;
use web_sys::{KeyboardEvent, MouseEvent};

use super::colormap::css_gradient;
use super::feature_maps::{TapGroup, kind_label, kind_text, paint_each_inference, tap_groups};
use super::heatmap::tap_summary;
use super::i18n::Text;
use super::tabs::Tab;
use super::{AppState, use_state};

/// A stage: the taps whose names start with the same first segment (`b3`, `block2`); taps
/// without a dot (AlexNet's `conv1`, the classifier's `fc1`) share an unnamed stage.
#[derive(Clone, Debug, PartialEq)]
struct Stage {
    name: String,
    groups: Vec<TapGroup>,
}

fn stages(preset: &Preset) -> Vec<Stage> {
    let mut stages: Vec<Stage> = Vec::new();
    for group in tap_groups(preset) {
        let name = match group.output.name.split_once('.') {
            Some((stage, _)) => stage.to_string(),
            None if is_stage_output(&group.output) => group.output.name.clone(),
            None => String::new(),
        };
        match stages.last_mut() {
            Some(stage) if stage.name == name => stage.groups.push(group),
            _ => stages.push(Stage {
                name,
                groups: vec![group],
            }),
        }
    }
    stages
}

/// A stage's own output tap (`b1`, `block3`) closes that stage rather than opening one.
fn is_stage_output(tap: &TapInfo) -> bool {
    tap.kind == TapKind::Block
}

/// Opens a tap: its channels below the overview, or, while the code is shown, the lines that
/// build it.
pub fn open_tap(state: AppState, name: &str) {
    state.selected_tap.set(Some(name.to_string()));
    if state.tab.get_untracked() != Tab::Code {
        state.tab.set(Tab::Channels);
    }
}

#[component]
pub fn Overview() -> impl IntoView {
    let state = use_state();
    let stages = Memo::new(move |_| stages(state.preset.get()));
    view! {
        <section class="panel overview-panel" aria-labelledby="maps-title" data-testid="feature-maps">
            <div class="panel-head">
                <h2 id="maps-title">{move || state.text(Text::FeatureMaps)}</h2>
                <div class="legend" aria-hidden="true">
                    <span>{move || state.text(Text::Low)}</span>
                    <span class="legend-bar" style=format!("background:{}", css_gradient())></span>
                    <span>{move || state.text(Text::High)}</span>
                </div>
            </div>
            <p class="help">{move || state.text(Text::OverviewHelp)}</p>
            <ol class="overview" data-testid="overview">
                <For
                    each=move || stages.get()
                    // Presets share tap names ("b1.conv") with other shapes: key on all of it.
                    key=|stage| format!("{stage:?}")
                    children=move |stage| view! { <StageView stage /> }
                />
            </ol>
        </section>
    }
}

#[component]
fn StageView(stage: Stage) -> impl IntoView {
    let groups = stage
        .groups
        .into_iter()
        .map(|group| {
            let parts = group
                .parts
                .iter()
                .map(|tap| view! { <Tile tap=tap.clone() small=true /> })
                .collect_view();
            let kind = group
                .parts
                .first()
                .map(|p| kind_label(p.kind))
                .unwrap_or_default();
            let joint = match group.output.kind {
                TapKind::Inception => "‖",
                TapKind::Residual => "+",
                _ => "",
            };
            let has_parts = !group.parts.is_empty();
            view! {
                <li class="ov-group" class:with-parts=has_parts>
                    {has_parts
                        .then(|| {
                            view! {
                                <div class="ov-parts" data-parts=kind>{parts}</div>
                                <span class="ov-joint" aria-hidden="true">{joint}</span>
                            }
                        })}
                    <Tile tap=group.output small=false />
                </li>
            }
        })
        .collect_view();
    view! {
        <li class="ov-stage">
            {(!stage.name.is_empty()).then(|| view! { <span class="ov-stage-name">{stage.name.clone()}</span> })}
            <ol class="ov-groups">{groups}</ol>
        </li>
    }
}

/// One tap, small. Its pixels map one to one onto the tap's own grid (for the mean map).
#[component]
fn Tile(tap: TapInfo, small: bool) -> impl IntoView {
    let state = use_state();
    let canvas = NodeRef::<Canvas>::new();
    let name = tap.name.clone();
    let [channels, height, width] = tap.shape;
    let pixelwise = height * width >= 4;
    paint_each_inference(state, canvas, &tap, move |painter, values| match values {
        Some(values) => {
            let (w, h, rgba) = tap_summary(&values, tap.shape);
            painter.draw(w, h, &rgba);
        }
        None => painter.clear(),
    });
    let probe_at = {
        let name = name.clone();
        move |x: usize, y: usize| {
            let probe = Some((name.clone(), x.min(width - 1), y.min(height - 1)));
            // Every mouse move lands here: only a new pixel is news for the outlines.
            if pixelwise && state.probe.with_untracked(|current| *current != probe) {
                state.probe.set(probe);
            }
        }
    };
    let on_move = {
        let probe_at = probe_at.clone();
        move |event: MouseEvent| {
            let Some(canvas) = canvas.get_untracked() else {
                return;
            };
            let (client_width, client_height) = (canvas.client_width(), canvas.client_height());
            if client_width > 0 && client_height > 0 {
                let x = event.offset_x().max(0) as usize * width / client_width as usize;
                let y = event.offset_y().max(0) as usize * height / client_height as usize;
                probe_at(x, y);
            }
        }
    };
    let open = {
        let name = name.clone();
        move || open_tap(state, &name)
    };
    let on_key = {
        let name = name.clone();
        let open = open.clone();
        let probe_at = probe_at.clone();
        move |event: KeyboardEvent| {
            let moved = |dx: isize, dy: isize| {
                let (x, y) = match state.probe.get_untracked() {
                    Some((tap, x, y)) if tap == name => (x as isize, y as isize),
                    _ => ((width / 2) as isize, (height / 2) as isize),
                };
                ((x + dx).max(0) as usize, (y + dy).max(0) as usize)
            };
            let (x, y) = match event.key().as_str() {
                "Enter" | " " => {
                    event.prevent_default();
                    open();
                    return;
                }
                "ArrowLeft" => moved(-1, 0),
                "ArrowRight" => moved(1, 0),
                "ArrowUp" => moved(0, -1),
                "ArrowDown" => moved(0, 1),
                _ => return,
            };
            if pixelwise {
                event.prevent_default();
                probe_at(x, y);
            }
        }
    };
    let on_focus = {
        let probe_at = probe_at.clone();
        move |_| probe_at(width / 2, height / 2)
    };
    let clear_probe = {
        let name = name.clone();
        move || {
            if state
                .probe
                .get_untracked()
                .is_some_and(|(tap, ..)| tap == name)
            {
                state.probe.set(None);
            }
        }
    };
    let selected = {
        let name = name.clone();
        move || state.selected_tap.get().as_deref() == Some(name.as_str())
    };
    let highlighted = {
        let name = name.clone();
        move || state.highlighted.with(|names| names.contains(&name))
    };
    let short = name.rsplit('.').next().unwrap_or_default().to_string();
    let label = {
        let name = name.clone();
        move || {
            format!(
                "{name}: {} {channels}×{height}×{width}",
                state.text(kind_text(tap.kind))
            )
        }
    };
    view! {
        <figure
            class="ov-tap"
            class:small=small
            class:selected={
                let selected = selected.clone();
                move || selected()
            }
            class:highlighted=highlighted
            data-block=name.clone()
            data-kind=kind_label(tap.kind)
            tabindex="0"
            role="button"
            aria-label=label.clone()
            aria-pressed=move || selected().to_string()
            title=label
            on:click=move |_| open()
            on:keydown=on_key
            on:focus=on_focus
            on:blur={
                let clear_probe = clear_probe.clone();
                move |_| clear_probe()
            }
            on:mouseleave=move |_| clear_probe()
        >
            <canvas node_ref=canvas class="ov-canvas" width="1" height="1" on:mousemove=on_move></canvas>
            <figcaption>{short}</figcaption>
        </figure>
    }
}
