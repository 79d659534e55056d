//! Distortions of the 28×28 digit: shift, rotation, scale, stroke thickness and noise, to see
//! what a prediction withstands. Also the shift curve: a class's probability as the digit moves
//! from −8 to +8 pixels across and down.

use burn::module::Module;
use burn::tensor::{Device, Tensor, TensorData};
use image::{GrayImage, Luma};
use serde::{Deserialize, Serialize};

use crate::data::random::SplitMix64;
use crate::data::{MNIST_SIDE, network_input, normalize_pixel};
use crate::inference::prediction_from_logits;
use crate::model::Model;

/// The shift curve's range, in pixels of the 28×28 digit, either way.
pub const MAX_SHIFT: i32 = 8;
const MAX_ROTATION: f32 = 180.0;
const SCALE_RANGE: (f32, f32) = (0.25, 3.0);
const MAX_THICKNESS: i32 = 3;
/// The same noise for the same setting, so a slider at rest does not flicker.
const NOISE_SEED: u64 = 0x5eed_d161;

/// Applied in this order: thickness, then scale and rotation about the digit's centre, then the
/// shift, then the noise. Out-of-range values are clamped.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Distortion {
    /// Pixels right (negative: left).
    pub shift_x: f32,
    /// Pixels down (negative: up).
    pub shift_y: f32,
    /// Degrees, counter-clockwise as seen.
    pub rotate: f32,
    /// 1 keeps the size.
    pub scale: f32,
    /// Pixels of ink added around every stroke (negative: taken away).
    pub thickness: i32,
    /// Standard deviation of Gaussian noise, in units of full ink.
    pub noise: f32,
}

impl Default for Distortion {
    fn default() -> Self {
        Self {
            shift_x: 0.0,
            shift_y: 0.0,
            rotate: 0.0,
            scale: 1.0,
            thickness: 0,
            noise: 0.0,
        }
    }
}

impl Distortion {
    pub fn is_identity(&self) -> bool {
        *self == Self::default()
    }

    fn clamped(&self) -> Self {
        let shift = MAX_SHIFT as f32;
        let finite = |value: f32, fallback: f32| if value.is_finite() { value } else { fallback };
        Self {
            shift_x: finite(self.shift_x, 0.0).clamp(-shift, shift),
            shift_y: finite(self.shift_y, 0.0).clamp(-shift, shift),
            rotate: finite(self.rotate, 0.0).clamp(-MAX_ROTATION, MAX_ROTATION),
            scale: finite(self.scale, 1.0).clamp(SCALE_RANGE.0, SCALE_RANGE.1),
            thickness: self.thickness.clamp(-MAX_THICKNESS, MAX_THICKNESS),
            noise: finite(self.noise, 0.0).clamp(0.0, 1.0),
        }
    }

    /// The distorted digit (any size; MNIST's is 28×28).
    pub fn apply(&self, digit: &GrayImage) -> GrayImage {
        if self.is_identity() {
            return digit.clone();
        }
        let setting = self.clamped();
        let thick = thicken(digit, setting.thickness);
        let moved = setting.transform(&thick);
        add_noise(moved, setting.noise)
    }

    /// Scale, rotation and shift, by sampling the source bilinearly at the inverse map.
    fn transform(&self, digit: &GrayImage) -> GrayImage {
        let (width, height) = digit.dimensions();
        let centre = ((width as f32 - 1.0) / 2.0, (height as f32 - 1.0) / 2.0);
        let (sin, cos) = self.rotate.to_radians().sin_cos();
        GrayImage::from_fn(width, height, |x, y| {
            let dx = (x as f32 - self.shift_x - centre.0) / self.scale;
            let dy = (y as f32 - self.shift_y - centre.1) / self.scale;
            // Inverse of a counter-clockwise turn on screen (rows grow downwards).
            let source_x = centre.0 + cos * dx - sin * dy;
            let source_y = centre.1 + sin * dx + cos * dy;
            Luma([bilinear(digit, source_x, source_y)])
        })
    }
}

fn bilinear(image: &GrayImage, x: f32, y: f32) -> u8 {
    let (width, height) = image.dimensions();
    let at = |x: i64, y: i64| -> f32 {
        if x < 0 || y < 0 || x >= i64::from(width) || y >= i64::from(height) {
            0.0
        } else {
            f32::from(image.get_pixel(x as u32, y as u32).0[0])
        }
    };
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let (x0, y0) = (x0 as i64, y0 as i64);
    let top = at(x0, y0) * (1.0 - fx) + at(x0 + 1, y0) * fx;
    let bottom = at(x0, y0 + 1) * (1.0 - fx) + at(x0 + 1, y0 + 1) * fx;
    (top * (1.0 - fy) + bottom * fy).round().clamp(0.0, 255.0) as u8
}

/// Grayscale dilation (thicker) or erosion (thinner) with a 3×3 square, once per pixel.
fn thicken(digit: &GrayImage, thickness: i32) -> GrayImage {
    let mut image = digit.clone();
    for _ in 0..thickness.unsigned_abs() {
        let source = image.clone();
        let (width, height) = source.dimensions();
        image = GrayImage::from_fn(width, height, |x, y| {
            let neighbours = (-1..=1).flat_map(|dy| (-1..=1).map(move |dx| (dx, dy)));
            let values = neighbours.map(|(dx, dy)| {
                let (nx, ny) = (x as i64 + dx, y as i64 + dy);
                if nx < 0 || ny < 0 || nx >= i64::from(width) || ny >= i64::from(height) {
                    0
                } else {
                    source.get_pixel(nx as u32, ny as u32).0[0]
                }
            });
            let value = if thickness > 0 {
                values.max()
            } else {
                values.min()
            };
            Luma([value.unwrap_or(0)])
        });
    }
    image
}

fn add_noise(mut image: GrayImage, deviation: f32) -> GrayImage {
    if deviation <= 0.0 {
        return image;
    }
    let mut random = SplitMix64(NOISE_SEED);
    for pixel in image.pixels_mut() {
        let noise = random.gaussian() * deviation * 255.0;
        pixel.0[0] = (f32::from(pixel.0[0]) + noise).round().clamp(0.0, 255.0) as u8;
    }
    image
}

/// A class's probability for the digit shifted by each of [`ShiftCurve::shifts`] pixels,
/// across (the other distortions kept) and down.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShiftCurve {
    pub class: usize,
    pub shifts: Vec<i32>,
    pub horizontal: Vec<f32>,
    pub vertical: Vec<f32>,
}

impl ShiftCurve {
    pub fn shifts() -> Vec<i32> {
        (-MAX_SHIFT..=MAX_SHIFT).collect()
    }

    /// The digits of the curve, `[2 · 17, 1, 28, 28]` normalized: the horizontal shifts, then
    /// the vertical ones, each on top of `base` (whose own shift is replaced).
    pub fn batch(digit: &GrayImage, base: &Distortion, device: &Device) -> Tensor<4> {
        let shifts = Self::shifts();
        let moved = |shift_x: f32, shift_y: f32| {
            Distortion {
                shift_x,
                shift_y,
                ..*base
            }
            .apply(digit)
        };
        let digits: Vec<GrayImage> = shifts
            .iter()
            .map(|&shift| moved(shift as f32, 0.0))
            .chain(shifts.iter().map(|&shift| moved(0.0, shift as f32)))
            .collect();
        let count = digits.len();
        let pixels: Vec<f32> = digits
            .iter()
            .flat_map(|digit| digit.pixels().map(|p| normalize_pixel(p.0[0])))
            .collect();
        Tensor::from_data(
            TensorData::new(pixels, [count, 1, MNIST_SIDE, MNIST_SIDE]),
            device,
        )
    }

    /// The curve of `class` from the logits `[2 · 17, 10]` of [`ShiftCurve::batch`].
    pub fn from_logits(class: usize, logits: &[f32]) -> Self {
        let shifts = Self::shifts();
        let probability = |row: &[f32]| {
            prediction_from_logits(row)
                .probabilities
                .get(class)
                .copied()
                .unwrap_or(0.0)
        };
        let mut rows = logits.chunks_exact(logits.len() / (2 * shifts.len()).max(1));
        let mut take =
            || -> Vec<f32> { rows.by_ref().take(shifts.len()).map(probability).collect() };
        let horizontal = take();
        let vertical = take();
        Self {
            class,
            shifts,
            horizontal,
            vertical,
        }
    }
}

/// [`ShiftCurve`] of `model` for `digit` (28×28), read back synchronously.
pub fn shift_curve(
    model: &Model,
    digit: &GrayImage,
    base: &Distortion,
    class: usize,
) -> ShiftCurve {
    let device = model
        .devices()
        .into_iter()
        .next()
        .unwrap_or_else(Device::flex);
    let digits = ShiftCurve::batch(digit, base, &device);
    let logits = model.forward(network_input(digits, model.architecture().input));
    let values = logits.into_data().try_into_vec::<f32>().unwrap_or_default();
    ShiftCurve::from_logits(class, &values)
}
