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
//! medians: AlexNet-lite 0.64 → 0.32 ms, VGG-lite 0.62 → 0.29, GoogLeNet-lite 1.77 → 1.05,
//! ResNet-18-lite 1.02 → 0.52). A batch is gathered a few images at a time: at once,
//! AlexNet-lite's 250-digit evaluation batches became slower than burn's (its first layer's
//! patches alone are 58 MB); in slices of 1 MiB they are faster (three interleaved runs: 104–133
//! → 83–91 ms), and the other presets' are as fast or faster.
//!
//! Training keeps burn's convolution: its backward pass is burn's.

use burn::tensor::ops::ConvOptions;
use burn::tensor::{Tensor, TensorData};

use super::axis::Axis;

/// How many values of patches are gathered at a time: 1 MiB of them.
const PATCHES_IN_CACHE: usize = 1 << 18;

/// Planes up to this many values (GoogLeNet-lite's 3×3 and 2×2 ones) are gathered through one
/// table for all of them.
const SMALL_PLANE: usize = 16;

/// `x` `[batch, in, height, width]` convolved with `weight` `[out, in, k, k]` at `stride` over
/// `padding` zeros on every side, plus `bias`.
pub fn conv2d(
    x: Tensor<4>,
    weight: Tensor<4>,
    bias: Option<Tensor<1>>,
    stride: usize,
    padding: usize,
) -> Tensor<4> {
    let device = x.device();
    let [batch, channels, height, width] = x.dims();
    let [out_channels, _, kernel, _] = weight.dims();
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
    let shape = [batch, out_channels, out_height, out_width];
    let flat_weight = weight.clone().reshape([1, out_channels, patch_len]);
    let flat_bias = bias.clone().map(|bias| bias.reshape([1, out_channels, 1]));
    // [1, out, in·k·k] × [images, in·k·k, positions] -> [images, out, positions]
    let product = |patches: Tensor<3>| {
        let y = flat_weight.clone().matmul(patches);
        match &flat_bias {
            Some(bias) => y + bias.clone(),
            None => y,
        }
    };
    // A 1×1 stride-1 kernel's patches are the input itself.
    if kernel == 1 && stride == 1 && padding == 0 {
        return product(x.reshape([batch, patch_len, positions])).reshape(shape);
    }
    let Ok(values) = x.clone().into_data().try_into_vec::<f32>() else {
        let options = ConvOptions::new([stride; 2], [padding; 2], [1, 1], 1);
        return burn::tensor::module::conv2d(x, weight, bias, options);
    };
    // A batch's patches at once would take tens of megabytes (AlexNet-lite's first layer:
    // 58 MB for 250 digits), written and read once each; a few images at a time stay in cache.
    let images_at_once = (PATCHES_IN_CACHE / (patch_len * positions)).max(1);
    let outputs: Vec<Tensor<3>> = values
        .chunks(images_at_once * channels * height * width)
        .map(|images| {
            let count = images.len() / (channels * height * width);
            product(Tensor::from_data(
                TensorData::new(
                    patches(images, rows, columns),
                    [count, patch_len, positions],
                ),
                &device,
            ))
        })
        .collect();
    // [batch, out, positions]; a single slice (every drawing's) skips the copy a `cat` makes.
    let output = match <[Tensor<3>; 1]>::try_from(outputs) {
        Ok([output]) => output,
        Err(outputs) => Tensor::cat(outputs, 0),
    };
    output.reshape(shape)
}

/// The patch matrices of the consecutive `rows × columns` input planes in `values`: per
/// plane, one row per kernel offset (`k · k` of them) of one value per output position, zero
/// where the kernel reads padding. An image's consecutive planes make its matrix.
fn patches(values: &[f32], rows: Axis, columns: Axis) -> Vec<f32> {
    if rows.size * columns.size <= SMALL_PLANE {
        return small_plane_patches(values, rows, columns);
    }
    let kernel = rows.kernel;
    let (out_height, out_width) = (rows.outputs(), columns.outputs());
    let positions = out_height * out_width;
    let planes = values.chunks_exact(rows.size * columns.size);
    let mut patches = vec![0.0; planes.len() * kernel * kernel * positions];
    let planes_per_row = planes.flat_map(|plane| std::iter::repeat_n(plane, kernel * kernel));
    let (row_reads, column_reads) = (rows.reads(), columns.reads());
    for (index, (row, plane)) in patches
        .chunks_exact_mut(positions)
        .zip(planes_per_row)
        .enumerate()
    {
        let (row_offset, column_offset) = (index / kernel % kernel, index % kernel);
        let (first_column, inside) = &column_reads[column_offset];
        if inside.is_empty() {
            continue;
        }
        for out_row in row_reads[row_offset].1.clone() {
            let source = &plane[rows.input(out_row, row_offset) * columns.size..]
                [*first_column..columns.size];
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

/// [`patches`] for small planes. Row by row, each of a 3×3 plane's patch rows cost a few copies
/// of two or three values and the arithmetic to find them; here one table says where each
/// value of a plane's patch matrix comes from (`None`: padding), and every plane is gathered
/// through it: 2.4× faster in WebAssembly on GoogLeNet-lite's Inception branches over 3×3 and
/// 2×2 planes (1.6× natively).
fn small_plane_patches(values: &[f32], rows: Axis, columns: Axis) -> Vec<f32> {
    let kernel = rows.kernel;
    let out_width = columns.outputs();
    let positions = rows.outputs() * out_width;
    let sources: Vec<Option<usize>> = (0..kernel * kernel)
        .flat_map(|offset| {
            let (row_offset, column_offset) = (offset / kernel, offset % kernel);
            let (inside_rows, inside_columns) =
                (rows.inside(row_offset), columns.inside(column_offset));
            (0..positions).map(move |position| {
                let (out_row, out_column) = (position / out_width, position % out_width);
                (inside_rows.contains(&out_row) && inside_columns.contains(&out_column)).then(
                    || {
                        rows.input(out_row, row_offset) * columns.size
                            + columns.input(out_column, column_offset)
                    },
                )
            })
        })
        .collect();
    let planes = values.chunks_exact(rows.size * columns.size);
    let mut patches = vec![0.0; planes.len() * sources.len()];
    for (plane, matrix) in planes.zip(patches.chunks_exact_mut(sources.len())) {
        for (value, source) in matrix.iter_mut().zip(&sources) {
            if let Some(source) = source {
                *value = plane[*source];
            }
        }
    }
    patches
}
