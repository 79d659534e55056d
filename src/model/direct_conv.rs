//! Convolution for inference on the CPU as one matrix product over the input's patches,
//! gathered straight from its NCHW layout.
//!
//! Why: burn Flex's convolution first copies the input to NHWC, then gathers each tile of
//! output positions' patches one value at a time (a bounds check per kernel tap), multiplies
//! into a scratch buffer and scatters that into NCHW. Here the patches are gathered row by
//! row — for stride 1 a row of a patch matrix is a slice of an input row — into a
//! `[in · k · k, out positions]` matrix, and the `[out, in · k · k]` weights times it is the
//! NCHW output itself. A batch-1 forward pass of the browser presets became 1.2–2.4× faster
//! natively (three interleaved A/B runs of 300 passes each; the median of the three runs'
//! medians: AlexNet-lite 0.64 → 0.32 ms, VGG-lite 0.62 → 0.29, GoogLeNet-lite 1.77 → 1.05, ResNet-18-lite 1.02 →
//! 0.52).
//!
//! Training keeps burn's convolution: its backward pass is burn's.

use burn::nn::conv::Conv2d;
use burn::tensor::{Tensor, TensorData};

use super::axis::Axis;
use crate::arch::ConvSpec;

/// `conv` (built from `spec`) applied to `x` `[batch, in, height, width]`.
pub fn forward(conv: &Conv2d, spec: &ConvSpec, x: Tensor<4>) -> Tensor<4> {
    let device = x.device();
    let [batch, channels, height, width] = x.dims();
    let ConvSpec {
        out_channels,
        kernel,
        stride,
        padding,
    } = *spec;
    let axis = |size| Axis {
        size,
        kernel,
        stride,
        padding,
    };
    let (rows, columns) = (axis(height), axis(width));
    let (out_height, out_width) = (rows.outputs(), columns.outputs());
    let patch_len = channels * kernel * kernel;
    let positions = out_height * out_width;
    // [batch, in·k·k, positions]: a 1×1 stride-1 kernel's patches are the input itself.
    let patches = if kernel == 1 && stride == 1 && padding == 0 {
        x.reshape([batch, patch_len, positions])
    } else {
        let Ok(values) = x.clone().into_data().try_into_vec::<f32>() else {
            return conv.forward(x);
        };
        Tensor::from_data(
            TensorData::new(
                patches(&values, rows, columns),
                [batch, patch_len, positions],
            ),
            &device,
        )
    };
    // [1, out, in·k·k] × [batch, in·k·k, positions] -> [batch, out, positions]
    let weights = conv.weight.val().reshape([1, out_channels, patch_len]);
    let mut y = weights.matmul(patches);
    if let Some(bias) = &conv.bias {
        y = y + bias.val().reshape([1, out_channels, 1]);
    }
    y.reshape([batch, out_channels, out_height, out_width])
}

/// The patch matrices of the consecutive `rows × columns` input planes in `values`: per
/// plane, one row per kernel offset (`k · k` of them) of one value per output position, zero
/// where the kernel reads padding. An image's consecutive planes make its matrix.
fn patches(values: &[f32], rows: Axis, columns: Axis) -> Vec<f32> {
    let kernel = rows.kernel;
    let (out_height, out_width) = (rows.outputs(), columns.outputs());
    let positions = out_height * out_width;
    let planes = values.chunks_exact(rows.size * columns.size);
    let mut patches = vec![0.0; planes.len() * kernel * kernel * positions];
    let planes_per_row = planes.flat_map(|plane| std::iter::repeat_n(plane, kernel * kernel));
    for (index, (row, plane)) in patches
        .chunks_exact_mut(positions)
        .zip(planes_per_row)
        .enumerate()
    {
        let (row_offset, column_offset) = (index / kernel % kernel, index % kernel);
        let inside = columns.inside(column_offset);
        if inside.is_empty() {
            continue;
        }
        let first_column = columns.input(inside.start, column_offset);
        for out_row in rows.inside(row_offset) {
            let source = &plane[rows.input(out_row, row_offset) * columns.size..]
                [first_column..columns.size];
            let target = &mut row[out_row * out_width..][inside.clone()];
            // At stride 1 a patch row's stretch is a stretch of an input row.
            if columns.stride == 1 {
                target.copy_from_slice(&source[..target.len()]);
            } else {
                let strided = source.iter().step_by(columns.stride);
                for (value, &input) in target.iter_mut().zip(strided) {
                    *value = input;
                }
            }
        }
    }
    patches
}
