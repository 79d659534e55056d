//! Where a sliding window (a convolution's kernel, a pool's window) reads along one axis.

use std::ops::Range;

/// One axis of a sliding window: `size` inputs, padded by `padding` on both ends, read at
/// every `stride`-th position by a window `kernel` wide.
#[derive(Clone, Copy, Debug)]
pub struct Axis {
    pub size: usize,
    pub kernel: usize,
    pub stride: usize,
    pub padding: usize,
}

impl Axis {
    /// How many outputs the axis has.
    pub fn outputs(&self) -> usize {
        (self.size + 2 * self.padding - self.kernel) / self.stride + 1
    }

    /// The input that output `output` reads at window offset `offset` (for outputs in
    /// [`Axis::inside`]).
    pub fn input(&self, output: usize, offset: usize) -> usize {
        output * self.stride + offset - self.padding
    }

    /// The inputs output `output`'s window covers, its padding left out.
    pub fn window(&self, output: usize) -> Range<usize> {
        let start = (output * self.stride).saturating_sub(self.padding);
        let end = (output * self.stride + self.kernel).saturating_sub(self.padding);
        start..end.min(self.size)
    }

    /// The outputs whose input at window offset `offset` lies inside the input rather than in
    /// its padding; empty when none does.
    pub fn inside(&self, offset: usize) -> Range<usize> {
        // Output o reads input o · stride + offset − padding, wanted in [0, size).
        let first = self.padding.saturating_sub(offset).div_ceil(self.stride);
        let end = (self.size + self.padding)
            .checked_sub(offset)
            .map_or(0, |limit| limit.div_ceil(self.stride))
            .min(self.outputs());
        first.min(end)..end
    }

    /// Per window offset: the input the first output in [`Axis::inside`] reads there (0 when
    /// no output does), and those outputs.
    pub fn reads(&self) -> Vec<(usize, Range<usize>)> {
        (0..self.kernel)
            .map(|offset| {
                let inside = self.inside(offset);
                let first_input = if inside.is_empty() {
                    0
                } else {
                    self.input(inside.start, offset)
                };
                (first_input, inside)
            })
            .collect()
    }
}
