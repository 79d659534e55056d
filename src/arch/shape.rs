//! Shape propagation through the tree, shared by construction and the layer table.

use std::fmt;

use super::{ConvSpec, InceptionSpec, Op, PoolSpec, ResidualSpec};

/// The shape of one sample's activation (the batch dimension is left out).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `[channels, height, width]`.
    Map {
        channels: usize,
        height: usize,
        width: usize,
    },
    /// After `nn.Flatten`: `[features]`.
    Flat(usize),
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{layer}: {reason}")]
pub struct ShapeError {
    pub layer: String,
    pub reason: String,
}

impl Shape {
    pub fn from_chw([channels, height, width]: [usize; 3]) -> Self {
        Shape::Map {
            channels,
            height,
            width,
        }
    }

    /// Dimensions with a leading batch of `batch`, as PyTorch prints them.
    pub fn with_batch(&self, batch: usize) -> Vec<usize> {
        match *self {
            Shape::Map {
                channels,
                height,
                width,
            } => vec![batch, channels, height, width],
            Shape::Flat(features) => vec![batch, features],
        }
    }

    pub fn num_elements(&self) -> usize {
        match *self {
            Shape::Map {
                channels,
                height,
                width,
            } => channels * height * width,
            Shape::Flat(features) => features,
        }
    }

    /// Channels of a feature map, or features of a flat vector.
    pub fn channels(&self) -> usize {
        match *self {
            Shape::Map { channels, .. } => channels,
            Shape::Flat(features) => features,
        }
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shape::Map {
                channels,
                height,
                width,
            } => write!(f, "{channels}×{height}×{width}"),
            Shape::Flat(features) => write!(f, "{features}"),
        }
    }
}

/// Output size of a sliding window, as PyTorch computes it (floor mode).
fn window_output(input: usize, kernel: usize, stride: usize, padding: usize) -> Option<usize> {
    (input + 2 * padding)
        .checked_sub(kernel)
        .map(|span| span / stride + 1)
}

fn map_dims(input: Shape, layer: &str) -> Result<(usize, usize, usize), ShapeError> {
    match input {
        Shape::Map {
            channels,
            height,
            width,
        } => Ok((channels, height, width)),
        Shape::Flat(_) => Err(ShapeError {
            layer: layer.to_string(),
            reason: "expects a feature map but receives a flat vector".into(),
        }),
    }
}

fn windowed(
    input: Shape,
    layer: &str,
    channels: usize,
    kernel: usize,
    stride: usize,
    padding: usize,
) -> Result<Shape, ShapeError> {
    let (_, height, width) = map_dims(input, layer)?;
    match (
        window_output(height, kernel, stride, padding),
        window_output(width, kernel, stride, padding),
    ) {
        (Some(height), Some(width)) => Ok(Shape::Map {
            channels,
            height,
            width,
        }),
        _ => Err(ShapeError {
            layer: layer.to_string(),
            reason: format!(
                "a {kernel}×{kernel} window with padding {padding} does not fit a {height}×{width} input: the input is too small"
            ),
        }),
    }
}

pub(crate) fn conv_output(input: Shape, spec: &ConvSpec, layer: &str) -> Result<Shape, ShapeError> {
    windowed(
        input,
        layer,
        spec.out_channels,
        spec.kernel,
        spec.stride,
        spec.padding,
    )
}

fn pool_output(input: Shape, spec: &PoolSpec, layer: &str) -> Result<Shape, ShapeError> {
    let (channels, ..) = map_dims(input, layer)?;
    windowed(
        input,
        layer,
        channels,
        spec.kernel,
        spec.stride,
        spec.padding,
    )
}

fn inception_output(input: Shape, spec: &InceptionSpec, layer: &str) -> Result<Shape, ShapeError> {
    let (channels, ..) = map_dims(input, layer)?;
    let branch4_pooled = pool_output(input, &InceptionSpec::BRANCH4_POOL, layer)?;
    let mut branches = [input, input, input, branch4_pooled];
    for conv in spec.convs(channels) {
        let branch = &mut branches[conv.path];
        *branch = conv_output(*branch, &conv.spec, &format!("{layer}.{}", conv.key))?;
    }
    let (_, height, width) = map_dims(branches[0], layer)?;
    for branch in &branches[1..] {
        let (_, branch_height, branch_width) = map_dims(*branch, layer)?;
        if (branch_height, branch_width) != (height, width) {
            return Err(ShapeError {
                layer: layer.to_string(),
                reason: format!("its branches end in different sizes: {branches:?}"),
            });
        }
    }
    Ok(Shape::Map {
        channels: branches.iter().map(Shape::channels).sum(),
        height,
        width,
    })
}

fn residual_output(input: Shape, spec: &ResidualSpec, layer: &str) -> Result<Shape, ShapeError> {
    let (channels, ..) = map_dims(input, layer)?;
    // [main path, shortcut]: the shortcut without a convolution is the input itself.
    let mut paths = [input, input];
    for conv in spec.convs(channels) {
        let path = &mut paths[conv.path];
        *path = conv_output(*path, &conv.spec, &format!("{layer}.{}", conv.key))?;
    }
    let [main, shortcut] = paths;
    if main != shortcut {
        return Err(ShapeError {
            layer: layer.to_string(),
            reason: format!(
                "the main path gives {main} but the shortcut {shortcut}: an identity shortcut needs {} input channels and stride 1, got {channels} channels and stride {}",
                spec.channels, spec.stride
            ),
        });
    }
    Ok(main)
}

impl Op {
    /// The output shape of this op for `input`; `layer` names it in errors.
    pub(crate) fn output_shape(&self, input: Shape, layer: &str) -> Result<Shape, ShapeError> {
        match self {
            Op::Conv2d(spec) => conv_output(input, spec, layer),
            Op::MaxPool2d(spec) => pool_output(input, spec, layer),
            Op::GlobalAvgPool2d => {
                let (channels, ..) = map_dims(input, layer)?;
                Ok(Shape::Map {
                    channels,
                    height: 1,
                    width: 1,
                })
            }
            Op::Flatten => Ok(Shape::Flat(input.num_elements())),
            Op::Linear { out_features } => match input {
                Shape::Flat(_) => Ok(Shape::Flat(*out_features)),
                Shape::Map { .. } => Err(ShapeError {
                    layer: layer.to_string(),
                    reason: "expects a flat vector but receives a feature map".into(),
                }),
            },
            Op::BatchNorm2d | Op::Relu | Op::Dropout { .. } => Ok(input),
            Op::Inception(spec) => inception_output(input, spec, layer),
            Op::Residual(spec) => residual_output(input, spec, layer),
            Op::Sequential(children) => children.iter().try_fold(input, |shape, child| {
                child
                    .op
                    .output_shape(shape, &format!("{layer}.{}", child.key))
            }),
        }
    }
}
