//! Where the 28×28 digit came from in the user's image, so a region of the network input (a
//! receptive field) can be shown on the original drawing or photo.

use serde::{Deserialize, Serialize};

use crate::data::MNIST_SIDE;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    /// Width and height of the original (the working copy the steps keep).
    pub original: [u32; 2],
    /// The ink's box in the original: left, top, width, height.
    pub crop: [u32; 4],
    /// The box's width and height once scaled into the 28×28 field.
    pub scaled: [u32; 2],
    /// Where the scaled box's top-left corner sits in the field (may be negative).
    pub offset: [i64; 2],
}

/// A digit that is its own original (MNIST test digits).
impl Default for Placement {
    fn default() -> Self {
        let side = MNIST_SIDE as u32;
        Self {
            original: [side, side],
            crop: [0, 0, side, side],
            scaled: [side, side],
            offset: [0, 0],
        }
    }
}

impl Placement {
    /// A region of the network input, inclusive pixel bounds `[x0, y0, x1, y1]` of an input
    /// `[height, width]`, as fractions of the original's width and height: `[left, top,
    /// right, bottom]`, each in 0..=1 (clipped to the original).
    pub fn original_fraction(&self, bounds: [usize; 4], input: [usize; 2]) -> [f64; 4] {
        self.unclipped_fraction(bounds, input)
            .map(|fraction| fraction.clamp(0.0, 1.0))
    }

    /// The whole 28×28 field on the original, as [`Placement::original_fraction`] gives a
    /// region but not clipped: a picture of the network input laid over the original lines up.
    pub fn field_on_original(&self) -> [f64; 4] {
        let last = MNIST_SIDE - 1;
        self.unclipped_fraction([0, 0, last, last], [MNIST_SIDE, MNIST_SIDE])
    }

    fn unclipped_fraction(
        &self,
        [x0, y0, x1, y1]: [usize; 4],
        [height, width]: [usize; 2],
    ) -> [f64; 4] {
        // Each axis: input pixels → 28×28 field (the input is the field resized) → the scaled
        // ink box → the crop in the original.
        let axis = |from: usize, to: usize, input: usize, axis: usize| {
            let field = MNIST_SIDE as f64 / input.max(1) as f64;
            let to_crop = self.crop[2 + axis] as f64 / self.scaled[axis].max(1) as f64;
            let original = self.original[axis].max(1) as f64;
            let map = |edge: f64| {
                let in_crop = (edge * field - self.offset[axis] as f64) * to_crop;
                (self.crop[axis] as f64 + in_crop) / original
            };
            (map(from as f64), map(to as f64 + 1.0))
        };
        let (left, right) = axis(x0, x1, width, 0);
        let (top, bottom) = axis(y0, y1, height, 1);
        [left, top, right, bottom]
    }
}
