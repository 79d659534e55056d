//! The layer table, like d2l's `layer_summary`: output shape, parameters and MACs per layer.

use std::collections::HashMap;

use serde::Serialize;

use crate::arch::{
    Architecture, BlockConv, ConvSpec, Op, ReceptiveField, ResidualSpec, Shape, ShapeError,
};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LayerRow {
    /// PyTorch module path, e.g. `net.0` or `net.2.0` for an Inception block.
    pub name: String,
    /// PyTorch class name.
    pub kind: &'static str,
    /// The activation tap this layer's output feeds, if any.
    pub tap: Option<String>,
    /// With a leading batch of 1, as PyTorch prints it.
    pub output_shape: Vec<usize>,
    pub params: u64,
    /// Multiply-accumulates of convolutions and linear layers for one sample.
    pub macs: u64,
    /// Side of the square of input pixels one output pixel can see (padding included).
    pub receptive_field: usize,
    /// Input pixels between neighbouring output pixels: the product of the strides so far.
    pub jump: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub input_shape: Vec<usize>,
    pub layers: Vec<LayerRow>,
    pub total_params: u64,
    pub total_macs: u64,
}

/// Parameters and MACs of one layer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Cost {
    params: u64,
    macs: u64,
}

impl std::ops::Add for Cost {
    type Output = Cost;
    fn add(self, other: Cost) -> Cost {
        Cost {
            params: self.params + other.params,
            macs: self.macs + other.macs,
        }
    }
}

fn spatial(shape: Shape) -> u64 {
    match shape {
        Shape::Map { height, width, .. } => (height * width) as u64,
        Shape::Flat(_) => 1,
    }
}

/// A convolution with bias from `in_channels`, producing `output_pixels` positions.
fn conv_cost(in_channels: usize, spec: ConvSpec, output_pixels: u64) -> Cost {
    let weights = (spec.out_channels * in_channels * spec.kernel * spec.kernel) as u64;
    Cost {
        params: weights + spec.out_channels as u64,
        macs: weights * output_pixels,
    }
}

/// A composite block's convolutions, all producing maps of the block's output size.
fn block_cost(convs: &[BlockConv], output_pixels: u64) -> Cost {
    convs.iter().fold(Cost::default(), |total, conv| {
        total + conv_cost(conv.in_channels, conv.spec, output_pixels)
    })
}

fn batch_norm_cost(channels: usize) -> Cost {
    Cost {
        params: 2 * channels as u64,
        macs: 0,
    }
}

fn cost(op: &Op, input: Shape, output: Shape) -> Cost {
    let in_channels = input.channels();
    let pixels = spatial(output);
    match op {
        Op::Conv2d(spec) => conv_cost(in_channels, *spec, pixels),
        Op::BatchNorm2d => batch_norm_cost(in_channels),
        Op::Linear { out_features } => {
            let weights = (in_channels * out_features) as u64;
            Cost {
                params: weights + *out_features as u64,
                macs: weights,
            }
        }
        Op::Inception(spec) => block_cost(&spec.convs(in_channels), pixels),
        Op::Residual(spec) => ResidualSpec::BATCH_NORM_KEYS
            .iter()
            .fold(block_cost(&spec.convs(in_channels), pixels), |total, _| {
                total + batch_norm_cost(spec.channels)
            }),
        Op::Relu
        | Op::MaxPool2d(_)
        | Op::GlobalAvgPool2d
        | Op::Flatten
        | Op::Dropout { .. }
        | Op::Sequential(_) => Cost::default(),
    }
}

fn class_name(op: &Op) -> &'static str {
    match op {
        Op::Conv2d(_) => "Conv2d",
        Op::BatchNorm2d => "BatchNorm2d",
        Op::Relu => "ReLU",
        Op::MaxPool2d(_) => "MaxPool2d",
        Op::GlobalAvgPool2d => "AdaptiveAvgPool2d",
        Op::Flatten => "Flatten",
        Op::Dropout { .. } => "Dropout",
        Op::Linear { .. } => "Linear",
        Op::Sequential(_) => "Sequential",
        Op::Inception(_) => "Inception",
        Op::Residual(_) => "Residual",
    }
}

/// The largest buffer one image's forward pass needs: a layer's parameters or an output map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LargestBuffer {
    pub layer: String,
    /// f32 bytes; for an Inception or residual block, all its parameters together (an upper
    /// bound on its largest tensor).
    pub bytes: u64,
}

/// A network a GPU cannot run: one of its buffers is larger than the GPU allows.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "its layer {layer} needs {needed} MB in one buffer, and this GPU allows {allowed} MB",
    needed = megabytes(*.needed),
    allowed = megabytes(*.allowed)
)]
pub struct TooLargeForGpu {
    pub layer: String,
    pub needed: u64,
    pub allowed: u64,
}

/// What share of a network's parameters and of its multiply-adds its linear (fully connected)
/// layers have; the convolutions (and the blocks made of them) have the rest. AlexNet and VGG
/// keep most weights in a few linear layers while nearly all their arithmetic is convolution;
/// GoogLeNet and ResNet pool globally before one small linear layer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinearShare {
    pub params: f64,
    pub macs: f64,
}

/// Whole megabytes (10^6 bytes), rounded up, so "needs 412 MB" never reads as fitting.
pub fn megabytes(bytes: u64) -> u64 {
    bytes.div_ceil(1_000_000)
}

impl Summary {
    /// Whether a GPU whose largest buffer (storage binding) is `max_buffer` bytes can run
    /// this network on one image.
    pub fn fits_gpu_buffer(&self, max_buffer: u64) -> Result<(), TooLargeForGpu> {
        match self.largest_buffer() {
            Some(largest) if largest.bytes > max_buffer => Err(TooLargeForGpu {
                layer: largest.layer,
                needed: largest.bytes,
                allowed: max_buffer,
            }),
            _ => Ok(()),
        }
    }

    pub fn linear_share(&self) -> LinearShare {
        let linear = self.layers.iter().filter(|row| row.kind == "Linear");
        let (params, macs) = linear.fold((0, 0), |(params, macs), row| {
            (params + row.params, macs + row.macs)
        });
        let share = |part: u64, total: u64| part as f64 / total.max(1) as f64;
        LinearShare {
            params: share(params, self.total_params),
            macs: share(macs, self.total_macs),
        }
    }

    /// The input's larger side, in pixels; `None` for an input without height and width.
    pub fn input_side(&self) -> Option<usize> {
        self.input_shape.iter().skip(2).copied().max()
    }

    /// The first feature map (a layer with a tap) one pixel of which sees the whole input:
    /// from there on, every pixel can weigh the whole digit.
    pub fn first_whole_view(&self) -> Option<&LayerRow> {
        let side = self.input_side()?;
        self.layers
            .iter()
            .find(|row| row.tap.is_some() && row.receptive_field >= side)
    }

    /// What a GPU must hold in one buffer to run this network on one image; a GPU whose
    /// largest buffer is smaller cannot run it at all.
    pub fn largest_buffer(&self) -> Option<LargestBuffer> {
        const F32: u64 = 4;
        self.layers
            .iter()
            .map(|row| {
                let map: u64 = row.output_shape.iter().map(|&d| d as u64).product();
                LargestBuffer {
                    layer: row.name.clone(),
                    bytes: F32 * row.params.max(map),
                }
            })
            .max_by_key(|buffer| buffer.bytes)
    }
}

impl Architecture {
    /// One row per layer (Inception and Residual blocks count as one layer each).
    pub fn summary(&self) -> Result<Summary, ShapeError> {
        let fields: HashMap<String, ReceptiveField> = self.layer_fields()?.into_iter().collect();
        let mut layers = Vec::new();
        self.walk(&mut |visit| {
            if matches!(visit.node.op, Op::Sequential(_)) {
                return;
            }
            let Cost { params, macs } = cost(&visit.node.op, visit.input, visit.output);
            let field = fields.get(&visit.path).map(|field| field.rows);
            layers.push(LayerRow {
                name: visit.path,
                kind: class_name(&visit.node.op),
                tap: visit.tap,
                output_shape: visit.output.with_batch(1),
                params,
                macs,
                receptive_field: field.map_or(0, |rows| rows.size),
                jump: field.map_or(0, |rows| rows.jump),
            });
        })?;
        Ok(Summary {
            input_shape: self.input_shape().with_batch(1),
            total_params: layers.iter().map(|row| row.params).sum(),
            total_macs: layers.iter().map(|row| row.macs).sum(),
            layers,
        })
    }
}
