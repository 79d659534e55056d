//! Max pooling, with direct paths on the CPU.
//!
//! Why: burn Flex's `max_pool2d` is its pooling-with-indices loop, a generic 3-D one that works
//! out each window's bounds and checks for NaN per value, and records the winner's index in an
//! `i64` buffer, which only a backward pass needs. Outside autodiff on the CPU device
//! (inference, tests of the network, the shift curves) the pool here runs instead: the maximum
//! taken along rows, then down columns, one kernel offset at a time over every output it
//! reaches. A batch-1 forward pass of the browser presets with their taps became 5–28 % faster
//! natively (best of 6 interleaved runs: GoogLeNet-lite, whose Inception blocks each pool, 2.0
//! → 1.44 ms; ResNet-18-lite, which pools once, 0.81 → 0.77 ms). In training on the CPU the
//! winners are found here and the output is gathered from them, so the backward pass (burn's
//! scatter-add of the gather) sends each gradient to its window's winner, as burn's pool does
//! (the same losses to the last digit). Burn's pool was the largest single function of
//! GoogLeNet-lite's training natively (15 %); this one, the winners' search still a branchy
//! loop, takes about 10 % (and 2 % the gather and its backward): a few percent faster (README,
//! "Time to a good network").

use burn::tensor::module::max_pool2d;
use burn::tensor::ops::MaxPoolOptions;
use burn::tensor::{Int, Tensor, TensorData};

use super::axis::Axis;
use super::device_kind::{cpu_inference, is_cpu};
use crate::arch::PoolSpec;

/// `x` max-pooled by `spec` (padding counts as −∞, as in PyTorch).
pub fn max_pool(x: Tensor<4>, spec: &PoolSpec) -> Tensor<4> {
    let device = x.device();
    if cpu_inference(&device)
        && let Ok(values) = x.clone().into_data().try_into_vec::<f32>()
    {
        let [batch, channels, height, width] = x.dims();
        let (pooled, [out_height, out_width]) = pool_planes(&values, [height, width], spec);
        return Tensor::from_data(
            TensorData::new(pooled, [batch, channels, out_height, out_width]),
            &device,
        );
    }
    if device.is_autodiff()
        && is_cpu(&device)
        && let Ok(values) = x.clone().detach().into_data().try_into_vec::<f32>()
    {
        let [batch, channels, height, width] = x.dims();
        let (winners, [out_height, out_width]) = plane_winners(&values, [height, width], spec);
        let winners = Tensor::<2, Int>::from_data(
            TensorData::new(winners, [batch * channels, out_height * out_width]),
            &device,
        );
        return x
            .reshape([batch * channels, height * width])
            .gather(1, winners)
            .reshape([batch, channels, out_height, out_width]);
    }
    let PoolSpec {
        kernel,
        stride,
        padding,
    } = *spec;
    max_pool2d(
        x,
        MaxPoolOptions::new([kernel, kernel])
            .with_stride([stride, stride])
            .with_padding([padding, padding]),
    )
}

/// Planes up to this many values (GoogLeNet-lite's 3×3 and 2×2 ones, in its last eight pools)
/// are pooled all at once, not one after another.
const SMALL_PLANE: usize = 16;

/// Every `height × width` plane of `values` pooled; returns the pooled planes and their size.
fn pool_planes(
    values: &[f32],
    [height, width]: [usize; 2],
    spec: &PoolSpec,
) -> (Vec<f32>, [usize; 2]) {
    if height * width <= SMALL_PLANE {
        return pool_small_planes(values, [height, width], spec);
    }
    let (row_axis, column_axis) = (axis(height, spec), axis(width, spec));
    let (out_height, out_width) = (row_axis.outputs(), column_axis.outputs());
    let (rows, columns) = (row_axis.reads(), column_axis.reads());
    let planes = values.len() / (height * width);
    let mut pooled = vec![f32::NEG_INFINITY; planes * out_height * out_width];
    // Each input row's maxima over the column windows, reused by every output row it falls in.
    let mut across = vec![f32::NEG_INFINITY; height * out_width];
    for (plane, out) in values
        .chunks_exact(height * width)
        .zip(pooled.chunks_exact_mut(out_height * out_width))
    {
        across.fill(f32::NEG_INFINITY);
        // One kernel offset at a time over every output it reaches: along a row at stride 1
        // a contiguous run, down the columns whole rows, both of which vectorize.
        for (row, maxima) in plane
            .chunks_exact(width)
            .zip(across.chunks_exact_mut(out_width))
        {
            for (offset, outputs) in &columns {
                let inputs = row[*offset..].iter().step_by(spec.stride);
                for (maximum, &value) in maxima[outputs.clone()].iter_mut().zip(inputs) {
                    *maximum = larger(*maximum, value);
                }
            }
        }
        for (offset, outputs) in &rows {
            let inputs = across[offset * out_width..]
                .chunks_exact(out_width)
                .step_by(spec.stride);
            for (out_row, maxima) in out[outputs.start * out_width..outputs.end * out_width]
                .chunks_exact_mut(out_width)
                .zip(inputs)
            {
                for (maximum, &value) in out_row.iter_mut().zip(maxima) {
                    *maximum = larger(*maximum, value);
                }
            }
        }
    }
    (pooled, [out_height, out_width])
}

/// [`pool_planes`] for small planes. A plane at a time, the loops' set-up outweighed their work
/// (a 2×2 plane took about 100 ns in WebAssembly); here each pass runs, for one window position
/// at a time, down every row (or plane) at once. Pools of 3×3 and 2×2 planes became 1.5–2.4×
/// faster in WebAssembly and 1.2–2× natively (GoogLeNet-lite's shapes; at 6×6 natively slower).
fn pool_small_planes(
    values: &[f32],
    [height, width]: [usize; 2],
    spec: &PoolSpec,
) -> (Vec<f32>, [usize; 2]) {
    let (row_axis, column_axis) = (axis(height, spec), axis(width, spec));
    let (out_height, out_width) = (row_axis.outputs(), column_axis.outputs());
    let rows = values.len() / width;
    let planes = rows / height;
    // Each input row's maxima over the column windows.
    let mut across = vec![f32::NEG_INFINITY; rows * out_width];
    for out_column in 0..out_width {
        for column in column_axis.window(out_column) {
            let maxima = across[out_column..].iter_mut().step_by(out_width);
            for (maximum, &value) in maxima.zip(values[column..].iter().step_by(width)) {
                *maximum = larger(*maximum, value);
            }
        }
    }
    let mut pooled = vec![f32::NEG_INFINITY; planes * out_height * out_width];
    let (plane_across, plane_out) = (height * out_width, out_height * out_width);
    for out_row in 0..out_height {
        for row in row_axis.window(out_row) {
            for column in 0..out_width {
                let maxima = pooled[out_row * out_width + column..]
                    .iter_mut()
                    .step_by(plane_out);
                let inputs = across[row * out_width + column..]
                    .iter()
                    .step_by(plane_across);
                for (maximum, &value) in maxima.zip(inputs) {
                    *maximum = larger(*maximum, value);
                }
            }
        }
    }
    (pooled, [out_height, out_width])
}

/// Where each window of every `height × width` plane of `values` has its maximum, as an index
/// into its plane, and the pooled size. Ties go to the first in reading order and a NaN wins,
/// as in burn's pool, so the gradients go where burn's would.
fn plane_winners(
    values: &[f32],
    [height, width]: [usize; 2],
    spec: &PoolSpec,
) -> (Vec<i64>, [usize; 2]) {
    let windows = |size: usize| {
        let axis = axis(size, spec);
        (0..axis.outputs())
            .map(|out| axis.window(out))
            .collect::<Vec<_>>()
    };
    let (row_windows, column_windows) = (windows(height), windows(width));
    let mut winners = Vec::with_capacity(
        values.len() / (height * width) * row_windows.len() * column_windows.len(),
    );
    for plane in values.chunks_exact(height * width) {
        for rows in &row_windows {
            for columns in &column_windows {
                let first = rows.start * width + columns.start;
                let (mut best, mut best_at) = (plane[first], first);
                for row in rows.clone() {
                    let start = row * width + columns.start;
                    for (at, &value) in (start..).zip(&plane[start..row * width + columns.end]) {
                        let wins = value > best || value.is_nan();
                        best = if wins { value } else { best };
                        best_at = if wins { at } else { best_at };
                    }
                }
                winners.push(best_at as i64);
            }
        }
    }
    (winners, [row_windows.len(), column_windows.len()])
}

/// The larger of two values as one `max` instruction (`f32::max`'s NaN handling costs four
/// more per value). A NaN in a window is passed over where burn's pool would return it; only a
/// diverged network has one, and its NaN weights make its logits NaN all the same.
fn larger(a: f32, b: f32) -> f32 {
    if b > a { b } else { a }
}

/// The axis of `size` inputs that `spec` pools along.
fn axis(size: usize, spec: &PoolSpec) -> Axis {
    Axis {
        size,
        kernel: spec.kernel,
        stride: spec.stride,
        padding: spec.padding,
    }
}
