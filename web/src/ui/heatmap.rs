//! Activations to pixels, in bulk: a whole tap becomes one RGBA buffer, a grid of per-channel
//! heatmaps, drawn on its canvas with one `putImageData`.

use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use super::colormap::lut;
use crate::protocol::GrayPixels;

/// Pixels between tiles.
const GAP: usize = 1;
/// Gap color: the page's panel background.
const GAP_RGBA: [u8; 4] = [246, 247, 249, 255];

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Grid {
    pub channels: usize,
    pub tile_height: usize,
    pub tile_width: usize,
    pub columns: usize,
    pub rows: usize,
}

impl Grid {
    pub fn new([channels, tile_height, tile_width]: [usize; 3]) -> Self {
        // Square-ish overall: more columns for tall tiles and the reverse.
        let aspect = tile_height as f64 / tile_width.max(1) as f64;
        let columns = ((channels as f64 * aspect).sqrt().ceil() as usize).clamp(1, channels.max(1));
        let rows = channels.div_ceil(columns).max(1);
        Self {
            channels,
            tile_height,
            tile_width,
            columns,
            rows,
        }
    }

    pub fn width(&self) -> usize {
        self.columns * (self.tile_width + GAP) - GAP
    }

    pub fn height(&self) -> usize {
        self.rows * (self.tile_height + GAP) - GAP
    }

    /// The channel under a pixel of the grid, if any.
    pub fn channel_at(&self, x: usize, y: usize) -> Option<usize> {
        let (column, within_x) = (x / (self.tile_width + GAP), x % (self.tile_width + GAP));
        let (row, within_y) = (y / (self.tile_height + GAP), y % (self.tile_height + GAP));
        let channel = row * self.columns + column;
        (within_x < self.tile_width
            && within_y < self.tile_height
            && column < self.columns
            && channel < self.channels)
            .then_some(channel)
    }
}

/// `(min, max)` of each channel; 1×1 channels (hidden features) share the tap's range,
/// since a single value normalized on its own says nothing.
pub fn channel_ranges(values: &[f32], [channels, height, width]: [usize; 3]) -> Vec<(f32, f32)> {
    let area = height * width;
    let range = |slice: &[f32]| {
        slice
            .iter()
            .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| {
                (lo.min(v), hi.max(v))
            })
    };
    if area == 1 {
        return vec![range(values); channels];
    }
    values.chunks_exact(area).map(range).collect()
}

/// A channel's values to colour-map levels: its minimum at 0, its maximum at 255.
fn levels((lo, hi): (f32, f32)) -> impl Fn(f32) -> usize {
    let scale = if hi > lo { 255.0 / (hi - lo) } else { 0.0 };
    // `+ 0.5` then truncation rounds the non-negative levels without `f32::round`, a function
    // call per pixel in WebAssembly.
    move |value| (((value - lo) * scale + 0.5) as usize).min(255)
}

/// The tap as one grid image, RGBA.
pub fn render_grid(values: &[f32], grid: &Grid, ranges: &[(f32, f32)]) -> Vec<u8> {
    let (width, height) = (grid.width(), grid.height());
    let mut rgba: Vec<u8> = GAP_RGBA
        .iter()
        .copied()
        .cycle()
        .take(width * height * 4)
        .collect();
    let colors = lut();
    let area = grid.tile_height * grid.tile_width;
    for (channel, tile) in values.chunks_exact(area).enumerate().take(grid.channels) {
        let left = (channel % grid.columns) * (grid.tile_width + GAP);
        let top = (channel / grid.columns) * (grid.tile_height + GAP);
        let level = levels(ranges[channel]);
        for (y, row) in tile.chunks_exact(grid.tile_width).enumerate() {
            let start = ((top + y) * width + left) * 4;
            for (pixel, &value) in rgba[start..start + grid.tile_width * 4]
                .chunks_exact_mut(4)
                .zip(row)
            {
                let [r, g, b] = colors[level(value)];
                pixel.copy_from_slice(&[r, g, b, 255]);
            }
        }
    }
    rgba
}

/// A canvas and its 2D context, asked for once: a canvas repainted on every pen move would
/// otherwise ask for it on each, passing its name to JavaScript as a string decoded there.
pub struct Painter {
    canvas: HtmlCanvasElement,
    context: CanvasRenderingContext2d,
}

impl Painter {
    pub fn new(canvas: HtmlCanvasElement) -> Option<Self> {
        let context = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        Some(Self { canvas, context })
    }

    pub fn canvas(&self) -> &HtmlCanvasElement {
        &self.canvas
    }

    /// Blanks the canvas and keeps its size, so that the next picture (most often of the same
    /// size: the next drawing's maps after a Clear) needs no resize.
    pub fn clear(&self) {
        let (width, height) = (self.canvas.width(), self.canvas.height());
        self.context
            .clear_rect(0.0, 0.0, f64::from(width), f64::from(height));
    }

    /// Puts RGBA pixels on the canvas, resizing it to them.
    pub fn draw(&self, width: usize, height: usize, rgba: &[u8]) {
        let canvas = &self.canvas;
        // Setting a canvas's size, even to the same value, clears its backing store and makes
        // the browser lay the page out again: only on a real change (putImageData covers every
        // pixel).
        if canvas.width() != width as u32 || canvas.height() != height as u32 {
            canvas.set_width(width as u32);
            canvas.set_height(height as u32);
        }
        if let Ok(image) =
            ImageData::new_with_u8_clamped_array_and_sh(Clamped(rgba), width as u32, height as u32)
        {
            let _ = self.context.put_image_data(&image, 0.0, 0.0);
            super::test_hooks::record_pixels_put();
        }
    }
}

/// Puts RGBA pixels on a canvas, resizing it to them.
pub fn draw(canvas: &HtmlCanvasElement, width: usize, height: usize, rgba: &[u8]) {
    if let Some(painter) = Painter::new(canvas.clone()) {
        painter.draw(width, height, rgba);
    }
}

/// Puts a grayscale image (a preprocessing step, the network's input) on a canvas.
pub fn draw_gray(canvas: &HtmlCanvasElement, image: &GrayPixels) {
    draw(
        canvas,
        image.width as usize,
        image.height as usize,
        &gray_to_rgba(&image.pixels),
    );
}

/// Grayscale pixels to RGBA.
pub fn gray_to_rgba(gray: &[u8]) -> Vec<u8> {
    // Filled in place: a loop that writes four bytes a pixel, not an iterator of arrays.
    let mut rgba = vec![255; gray.len() * 4];
    for (pixel, &g) in rgba.chunks_exact_mut(4).zip(gray) {
        pixel[..3].fill(g);
    }
    rgba
}

/// A whole tap as one small picture, for the overview: the mean over channels where the maps
/// have an area worth looking at, otherwise (1×1 features) every channel as one cell.
/// Returns width, height and RGBA.
pub fn tap_summary(values: &[f32], shape: [usize; 3]) -> (usize, usize, Vec<u8>) {
    let [channels, height, width] = shape;
    let area = height * width;
    if area >= 4 {
        let mut mean = vec![0.0_f32; area];
        for channel in values.chunks_exact(area) {
            for (sum, &value) in mean.iter_mut().zip(channel) {
                *sum += value;
            }
        }
        mean.iter_mut().for_each(|v| *v /= channels.max(1) as f32);
        let single = [1, height, width];
        let grid = Grid::new(single);
        let rgba = render_grid(&mean, &grid, &channel_ranges(&mean, single));
        (width, height, rgba)
    } else {
        let grid = Grid::new(shape);
        let rgba = render_grid(values, &grid, &channel_ranges(values, shape));
        (grid.width(), grid.height(), rgba)
    }
}
