//! The first convolution's kernels: what conv1 looks for, one small picture per filter.

use std::sync::Arc;

use leptos::html::Canvas;
use leptos::prelude::*;

use super::feature_maps::display_width;
use super::figure::{ExportFigure, Figure};
use super::heatmap::{Grid, channel_ranges, draw, render_grid};
use super::i18n::Text;
use super::use_state;
use crate::protocol::FloatTensor;

/// The kernels `[out, in, k, k]`, summed over input channels, one tile each: the grid and its
/// RGBA pixels.
pub fn kernels_picture(kernels: &FloatTensor) -> Option<(Grid, Vec<u8>)> {
    let [out, inputs, kh, kw] = kernels.shape[..] else {
        return None;
    };
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
    Some((grid, rgba))
}

/// The first convolution's kernels, summed over input channels, one tile each.
#[component]
pub fn Kernels() -> impl IntoView {
    let state = use_state();
    let canvas = NodeRef::<Canvas>::new();
    Effect::new(move |_| {
        let kernels: Option<Arc<FloatTensor>> = state.kernels.get();
        let Some(canvas) = canvas.get() else {
            return;
        };
        let Some((grid, rgba)) = kernels.as_deref().and_then(kernels_picture) else {
            draw(&canvas, 1, 1, &[0, 0, 0, 0]);
            return;
        };
        draw(&canvas, grid.width(), grid.height(), &rgba);
        let width = format!("width:{}px", display_width(&grid).max(160));
        let _ = canvas.set_attribute("style", &width);
    });
    view! {
        <div class="kernels">
            <h3>{move || state.text(Text::Kernels)}</h3>
            <p class="help">{move || state.text(Text::KernelsHelp)}</p>
            <canvas node_ref=canvas class="heatmap" role="img" aria-label="first-layer kernels"></canvas>
            <ExportFigure
                figure=Figure::Canvas(canvas)
                title=Signal::derive(move || state.text(Text::Kernels).to_string())
            />
        </div>
    }
}
