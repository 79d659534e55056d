//! User images to MNIST-style digits: the same normalization MNIST's authors applied.
//!
//! Any image the `image` crate decodes, drawn or photographed, dark ink on light paper or
//! the reverse, or strokes on a transparent background, becomes a 28×28 digit: polarity
//! fixed (ink is bright), cropped to the ink, longer side scaled to 20 px, and placed so its
//! center of mass is the center of the 28×28 field. Every step is kept for display.

mod pixels;
mod placement;

use std::io::Cursor;

use burn::tensor::{Device, Tensor, TensorData};
use image::{DynamicImage, GrayImage, ImageReader, Luma, RgbaImage, imageops::FilterType};

use crate::data::{MNIST_SIDE, MnistSplit, network_input, normalize_pixel};
pub use pixels::shrink_to_fit;
use pixels::{luminance_and_alpha, to_gray};
pub use placement::Placement;

/// Larger uploads are refused before decoding (a 50-megapixel photo still passes).
pub const MAX_PIXELS: u64 = 64_000_000;
/// Working resolution: enough to find a digit, small enough to be instant.
const WORKING_SIDE: u32 = 512;
/// MNIST digits fit a 20×20 box inside their 28×28 field.
const DIGIT_BOX: u32 = 20;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum PreprocessError {
    #[error("this file is not an image we can read ({0})")]
    NotAnImage(String),
    #[error("the image is {width}×{height}, over the {limit}-megapixel limit; scale it down first", limit = MAX_PIXELS / 1_000_000)]
    TooLarge { width: u32, height: u32 },
    #[error("no digit found: the image is blank or has no contrast")]
    NoInk,
}

/// Each stage of the preprocessing, as grayscale images (ink is white from `ink` on).
#[derive(Clone, Debug)]
pub struct DigitSteps {
    /// The input in grayscale, scaled down to at most 512 px.
    pub original: GrayImage,
    /// Ink map: polarity fixed and background removed.
    pub ink: GrayImage,
    /// The ink's bounding box.
    pub cropped: GrayImage,
    /// The MNIST-style 28×28 digit.
    pub digit: GrayImage,
    /// How the digit maps back onto `original`.
    pub placement: Placement,
}

impl DigitSteps {
    /// Test digit `index` of `split`: MNIST digits are already centred and scaled, so every
    /// stage is the digit itself. `None` past the split's end.
    pub fn mnist(split: &MnistSplit, index: usize) -> Option<Self> {
        if index >= split.len() {
            return None;
        }
        let side = MNIST_SIDE as u32;
        let digit = GrayImage::from_raw(side, side, split.image(index).to_vec())?;
        Some(Self {
            original: digit.clone(),
            ink: digit.clone(),
            cropped: digit.clone(),
            digit,
            placement: Placement::default(),
        })
    }

    /// The digit normalized like MNIST training data, `[1, 1, 28, 28]`.
    pub fn normalized_digit(&self, device: &Device) -> Tensor<4> {
        let pixels: Vec<f32> = self
            .digit
            .pixels()
            .map(|p| normalize_pixel(p.0[0]))
            .collect();
        Tensor::from_data(
            TensorData::new(pixels, [1, 1, MNIST_SIDE, MNIST_SIDE]),
            device,
        )
    }

    /// The network input for a preset taking `[channels, height, width]`.
    pub fn network_input(&self, input: [usize; 3], device: &Device) -> Tensor<4> {
        network_input(self.normalized_digit(device), input)
    }
}

/// Decodes an uploaded file and preprocesses it.
pub fn digit_from_file(bytes: &[u8]) -> Result<DigitSteps, PreprocessError> {
    let not_an_image =
        |error: &dyn std::fmt::Display| PreprocessError::NotAnImage(error.to_string());
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| not_an_image(&e))?;
    if reader.format().is_none() {
        return Err(PreprocessError::NotAnImage("unknown format".into()));
    }
    let (width, height) = reader.into_dimensions().map_err(|e| not_an_image(&e))?;
    if width as u64 * height as u64 > MAX_PIXELS {
        return Err(PreprocessError::TooLarge { width, height });
    }
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| not_an_image(&e))?;
    reader.no_limits();
    let image = reader.decode().map_err(|e| not_an_image(&e))?;
    digit_from_image(image)
}

/// A drawing is worked on at up to this side. The page's canvas draws ten pixels per MNIST
/// pixel (280 px), for a smooth pen; at half that its strokes are still 9 px wide, plenty to
/// find, crop and centre the ink for a 20 px digit, and every pass runs over a quarter of
/// the pixels (the preprocessing was a third of a drawing's time in the worker).
const DRAWING_SIDE: u32 = 140;

/// A drawing canvas's RGBA pixels at the size they are worked on: halved while over
/// [`DRAWING_SIDE`]. The page shrinks a drawing before sending it, so a quarter of the pixels
/// cross to the worker on every pen move.
pub fn drawing_at_working_size(
    width: u32,
    height: u32,
    rgba: Vec<u8>,
) -> Result<RgbaImage, PreprocessError> {
    let mut image = rgba_image(width, height, rgba)?;
    while image.width().max(image.height()) > DRAWING_SIDE && image.width().min(image.height()) >= 2
    {
        image = pixels::halve(&image);
    }
    Ok(image)
}

/// Preprocesses a drawing canvas's RGBA pixels: [`drawing_at_working_size`], then as
/// [`digit_from_rgba`].
pub fn digit_from_drawing(
    width: u32,
    height: u32,
    rgba: Vec<u8>,
) -> Result<DigitSteps, PreprocessError> {
    let image = drawing_at_working_size(width, height, rgba)?;
    digit_from_image(DynamicImage::ImageRgba8(image))
}

/// Preprocesses RGBA pixels at their own resolution (up to the 512 px of any image).
pub fn digit_from_rgba(
    width: u32,
    height: u32,
    rgba: Vec<u8>,
) -> Result<DigitSteps, PreprocessError> {
    digit_from_image(DynamicImage::ImageRgba8(rgba_image(width, height, rgba)?))
}

fn rgba_image(width: u32, height: u32, rgba: Vec<u8>) -> Result<RgbaImage, PreprocessError> {
    RgbaImage::from_raw(width, height, rgba)
        .ok_or_else(|| PreprocessError::NotAnImage("pixel buffer does not match its size".into()))
}

pub fn digit_from_image(image: DynamicImage) -> Result<DigitSteps, PreprocessError> {
    if image.width() == 0 || image.height() == 0 {
        return Err(PreprocessError::NoInk);
    }
    let image = if image.width().max(image.height()) > WORKING_SIDE {
        image.thumbnail(WORKING_SIDE, WORKING_SIDE)
    } else {
        image
    };
    let rgba = match image {
        DynamicImage::ImageRgba8(rgba) => rgba,
        other => other.to_rgba8(),
    };
    let (width, height) = rgba.dimensions();
    let (luminance, alphas) = luminance_and_alpha(&rgba);
    let original = to_gray(width, height, &luminance);
    let ink = ink_map(width, height, &luminance, alphas)?;
    let ink_image = to_gray(width, height, &ink);
    let (left, top, right, bottom) = ink_bounds(width, &ink).ok_or(PreprocessError::NoInk)?;
    let cropped =
        image::imageops::crop_imm(&ink_image, left, top, right - left + 1, bottom - top + 1)
            .to_image();
    let (digit, scaled, offset) = center_in_field(&cropped);
    let placement = Placement {
        original: [width, height],
        crop: [left, top, right - left + 1, bottom - top + 1],
        scaled,
        offset,
    };
    Ok(DigitSteps {
        original,
        ink: ink_image,
        cropped,
        digit,
        placement,
    })
}

/// Bins of [`Histogram`]: finer than the 8-bit levels the values come from.
const PERCENTILE_BINS: usize = 4096;

/// Counts of values in [0, 1], to 1/4096, for percentiles in one pass instead of a sort
/// (a drawing has 78,400 values).
struct Histogram {
    bins: Vec<u32>,
    count: usize,
}

impl Histogram {
    fn new() -> Self {
        Self {
            bins: vec![0; PERCENTILE_BINS],
            count: 0,
        }
    }

    fn add(&mut self, values: &[f32]) {
        let top = (PERCENTILE_BINS - 1) as f32;
        for &value in values {
            self.bins[(value.clamp(0.0, 1.0) * top + 0.5) as usize] += 1;
        }
        self.count += values.len();
    }

    /// The value below which `fraction` of the values lie.
    fn percentile(&self, fraction: f32) -> f32 {
        let top = (PERCENTILE_BINS - 1) as f32;
        let rank = ((self.count.max(1) - 1) as f32 * fraction + 0.5) as u32;
        let mut seen = 0;
        for (bin, &count) in self.bins.iter().enumerate() {
            seen += count;
            if seen > rank {
                return bin as f32 / top;
            }
        }
        1.0
    }
}

fn percentile(values: &[f32], fraction: f32) -> f32 {
    let mut histogram = Histogram::new();
    histogram.add(values);
    histogram.percentile(fraction)
}

/// The percentile of a band along the image's edges, where paper is far likelier than ink:
/// whole rows at the top and bottom, the row ends between them.
fn border_percentile(width: u32, height: u32, values: &[f32], fraction: f32) -> f32 {
    let (width, height) = (width as usize, height as usize);
    let band = (width.min(height) / 20).max(1);
    let mut histogram = Histogram::new();
    for (y, row) in values.chunks_exact(width).enumerate() {
        if y < band || y >= height - band || width <= 2 * band {
            histogram.add(row);
        } else {
            histogram.add(&row[..band]);
            histogram.add(&row[width - band..]);
        }
    }
    histogram.percentile(fraction)
}

/// Ink strength in [0, 1] per pixel, background at 0.
fn ink_map(
    width: u32,
    height: u32,
    luminance: &[f32],
    alphas: Vec<f32>,
) -> Result<Vec<f32>, PreprocessError> {
    let transparent = alphas.iter().filter(|&&alpha| alpha < 0.5).count();
    // Strokes on a transparent layer (a canvas, a cut-out): opacity is the ink.
    let mut ink: Vec<f32> = if transparent * 100 >= alphas.len() {
        alphas
    } else {
        let paper = border_percentile(width, height, luminance, 0.5);
        if paper > 0.5 {
            luminance.iter().map(|l| 1.0 - l).collect()
        } else {
            luminance.to_vec()
        }
    };
    let background = border_percentile(width, height, &ink, 0.5);
    let strongest = percentile(&ink, 0.999);
    let contrast = strongest - background;
    if contrast < 0.15 {
        return Err(PreprocessError::NoInk);
    }
    // Shadows and paper texture stay below a fifth of the ink's contrast.
    let floor = background + 0.2 * contrast;
    let span = strongest - floor;
    for value in &mut ink {
        *value = ((*value - floor) / span).clamp(0.0, 1.0);
    }
    Ok(ink)
}

/// Inclusive bounding box `(left, top, right, bottom)` of clear ink.
fn ink_bounds(width: u32, ink: &[f32]) -> Option<(u32, u32, u32, u32)> {
    let is_ink = |value: &f32| *value > 0.25;
    let mut bounds: Option<(u32, u32, u32, u32)> = None;
    for (y, row) in ink.chunks_exact(width as usize).enumerate() {
        let Some(first) = row.iter().position(is_ink) else {
            continue;
        };
        let last = row.iter().rposition(is_ink).unwrap_or(first);
        let (first, last, y) = (first as u32, last as u32, y as u32);
        bounds = Some(match bounds {
            None => (first, y, last, y),
            Some((left, top, right, _)) => (left.min(first), top, right.max(last), y),
        });
    }
    bounds
}

/// Scales the longer side to 20 px and centers the center of mass in a 28×28 field. Also
/// returns the scaled size and where its top-left corner went.
fn center_in_field(cropped: &GrayImage) -> (GrayImage, [u32; 2], [i64; 2]) {
    let (width, height) = cropped.dimensions();
    let scale = DIGIT_BOX as f32 / width.max(height) as f32;
    let new_width = ((width as f32 * scale).round() as u32).clamp(1, DIGIT_BOX);
    let new_height = ((height as f32 * scale).round() as u32).clamp(1, DIGIT_BOX);
    let mut scaled = image::imageops::resize(cropped, new_width, new_height, FilterType::Triangle);
    // Downscaling averages strokes into gray; MNIST's strokes peak at full intensity.
    let peak = scaled.pixels().map(|p| p.0[0]).max().unwrap_or(0);
    if peak > 0 {
        for pixel in scaled.pixels_mut() {
            pixel.0[0] = (pixel.0[0] as u32 * 255 / peak as u32) as u8;
        }
    }
    let (mut mass, mut sum_x, mut sum_y) = (0.0f64, 0.0f64, 0.0f64);
    for (x, y, pixel) in scaled.enumerate_pixels() {
        let value = pixel.0[0] as f64;
        mass += value;
        sum_x += value * x as f64;
        sum_y += value * y as f64;
    }
    // MNIST's centers of mass sit at (14, 14) in pixel indices, measured on its test set.
    let center = MNIST_SIDE as f64 / 2.0;
    let (center_x, center_y) = if mass > 0.0 {
        (sum_x / mass, sum_y / mass)
    } else {
        ((new_width - 1) as f64 / 2.0, (new_height - 1) as f64 / 2.0)
    };
    let offset_x = (center - center_x).round() as i64;
    let offset_y = (center - center_y).round() as i64;
    let mut digit = GrayImage::new(MNIST_SIDE as u32, MNIST_SIDE as u32);
    for (x, y, pixel) in scaled.enumerate_pixels() {
        let (fx, fy) = (x as i64 + offset_x, y as i64 + offset_y);
        if (0..MNIST_SIDE as i64).contains(&fx) && (0..MNIST_SIDE as i64).contains(&fy) {
            digit.put_pixel(fx as u32, fy as u32, Luma([pixel.0[0]]));
        }
    }
    (digit, [new_width, new_height], [offset_x, offset_y])
}
