//! Pixel conversions written out by hand: the `image` crate's generic conversions and filters
//! cost a 280×280 drawing several milliseconds each in WebAssembly, where the whole trip from
//! a stroke to its feature maps has 16.

use image::{GrayImage, RgbaImage};

/// Per pixel, in [0, 1]: the luminance composited over white paper (transparent pixels are
/// paper), and the opacity.
pub(super) fn luminance_and_alpha(image: &RgbaImage) -> (Vec<f32>, Vec<f32>) {
    let count = image.as_raw().len() / 4;
    // Filled in place rather than pushed: a loop without a capacity check per pixel.
    let mut luminance = vec![0.0; count];
    let mut alphas = vec![0.0; count];
    let pixels = image.as_raw().chunks_exact(4);
    for ((pixel, luminance), opacity) in pixels.zip(&mut luminance).zip(&mut alphas) {
        let alpha = pixel[3] as f32 / 255.0;
        // Rec. 709's weights, as the `image` crate's grayscale conversion.
        let luma = (0.2126 * pixel[0] as f32 + 0.7152 * pixel[1] as f32 + 0.0722 * pixel[2] as f32)
            / 255.0;
        *luminance = luma * alpha + (1.0 - alpha);
        *opacity = alpha;
    }
    (luminance, alphas)
}

/// Values in [0, 1] to gray levels.
pub(super) fn to_gray(width: u32, height: u32, values: &[f32]) -> GrayImage {
    // `+ 0.5` then truncation rounds the non-negative values without `f32::round`, a function
    // call per pixel in WebAssembly.
    let pixels = values
        .iter()
        .map(|v| (v.clamp(0.0, 1.0) * 255.0 + 0.5) as u8)
        .collect();
    GrayImage::from_raw(width, height, pixels).expect("one value per pixel")
}

/// The image scaled down so that its longer side is at most `side` pixels, each new pixel the
/// mean of the old ones it covers (a box filter, for previews). Smaller images come back as
/// they are.
pub fn shrink_to_fit(image: &GrayImage, side: u32) -> GrayImage {
    let (width, height) = image.dimensions();
    let longest = width.max(height);
    if longest <= side {
        return image.clone();
    }
    let scaled =
        |length: u32| ((length as u64 * side as u64).div_ceil(longest as u64) as u32).max(1);
    let (new_width, new_height) = (scaled(width), scaled(height));
    // The old pixels `spans[i].0 .. spans[i].1` fall into new pixel `i`.
    let spans = |old: u32, new: u32| -> Vec<(usize, usize)> {
        (0..new as u64)
            .map(|i| {
                let start = (i * old as u64 / new as u64) as usize;
                let end = (((i + 1) * old as u64).div_ceil(new as u64) as usize).max(start + 1);
                (start, end.min(old as usize))
            })
            .collect()
    };
    let (columns, rows) = (spans(width, new_width), spans(height, new_height));
    let old = image.as_raw();
    let mut pixels = Vec::with_capacity((new_width * new_height) as usize);
    let mut sums = vec![0u32; new_width as usize];
    for &(top, bottom) in &rows {
        sums.fill(0);
        for row in old[top * width as usize..bottom * width as usize].chunks_exact(width as usize) {
            for (sum, &(left, right)) in sums.iter_mut().zip(&columns) {
                *sum += row[left..right].iter().map(|&v| v as u32).sum::<u32>();
            }
        }
        for (&sum, &(left, right)) in sums.iter().zip(&columns) {
            let count = ((right - left) * (bottom - top)) as u32;
            pixels.push(((sum + count / 2) / count) as u8);
        }
    }
    GrayImage::from_raw(new_width, new_height, pixels).expect("one value per pixel")
}

/// The image at half its width and height, each new pixel the mean of a 2×2 block, colours
/// weighted by their opacity (a transparent pixel's colour counts for nothing). A last odd row
/// or column is left out. The page halves every pen move's drawing: an opaque block, the
/// drawing canvas's every block, takes the plain mean, which is the weighted one without its
/// three divisions.
pub(super) fn halve(image: &RgbaImage) -> RgbaImage {
    const OPAQUE: u32 = 4 * 255;
    let (width, height) = (image.width() as usize / 2, image.height() as usize / 2);
    let row_length = image.width() as usize * 4;
    let mut halved = Vec::with_capacity(width * height * 4);
    for rows in image.as_raw().chunks_exact(2 * row_length).take(height) {
        let (upper, lower) = rows.split_at(row_length);
        for (top, bottom) in upper.chunks_exact(8).zip(lower.chunks_exact(8)).take(width) {
            let block = [&top[..4], &top[4..], &bottom[..4], &bottom[4..]];
            let opacity: u32 = block.iter().map(|pixel| pixel[3] as u32).sum();
            for channel in 0..3 {
                let mean = if opacity == OPAQUE {
                    // (Σ·255 + 510) / 1020 = (Σ + 2) / 4.
                    (block.iter().map(|pixel| pixel[channel] as u32).sum::<u32>() + 2) / 4
                } else {
                    let weighted: u32 = block
                        .iter()
                        .map(|pixel| pixel[channel] as u32 * pixel[3] as u32)
                        .sum();
                    (weighted + opacity / 2).checked_div(opacity).unwrap_or(0)
                };
                halved.push(mean as u8);
            }
            halved.push(((opacity + 2) / 4) as u8);
        }
    }
    RgbaImage::from_raw(width as u32, height as u32, halved).expect("four values per pixel")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The opacity-weighted mean of a block, as `halve` defines it.
    fn weighted_mean(block: [[u8; 4]; 4], channel: usize) -> u8 {
        let opacity: u32 = block.iter().map(|pixel| pixel[3] as u32).sum();
        let weighted: u32 = block
            .iter()
            .map(|pixel| pixel[channel] as u32 * pixel[3] as u32)
            .sum();
        ((weighted + opacity / 2).checked_div(opacity).unwrap_or(0)) as u8
    }

    #[test]
    fn an_opaque_block_halves_to_its_weighted_mean() {
        // Random blocks: every other one opaque (the plain mean), the rest of one opacity each
        // (the weighted mean).
        let mut seed = 12345_u32;
        let mut next = || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 16) as u8
        };
        for case in 0..20_000 {
            let opacity = if case % 2 == 0 { 255 } else { next() };
            let block: [[u8; 4]; 4] = std::array::from_fn(|_| [next(), next(), next(), opacity]);
            let raw = [block[0], block[1], block[2], block[3]].concat();
            let image = RgbaImage::from_raw(2, 2, raw).unwrap();
            let halved = halve(&image);
            for channel in 0..3 {
                assert_eq!(
                    halved.as_raw()[channel],
                    weighted_mean(block, channel),
                    "{block:?}"
                );
            }
        }
    }
}
