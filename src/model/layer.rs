//! One burn module per node of the architecture tree.

use burn::module::Module;
use burn::nn::conv::Conv2d;
use burn::nn::{Dropout, DropoutConfig, Linear};
use burn::tensor::activation::relu;
use burn::tensor::module::adaptive_avg_pool2d;
use burn::tensor::{Device, Tensor};

use super::batch_norm::BatchNorm2d;
use super::build::{conv2d, linear};
use super::convolution::convolve;
use super::inception::Inception;
use super::leaves::{Leaf, Leaves};
use super::max_pool::max_pool;
use super::residual::Residual;
use crate::arch::{Node, Op, PoolSpec, Shape, ShapeError, walk_join as join};
use crate::taps::TapRecorder;

/// ReLU, pools and flatten.
#[derive(Module, Debug)]
pub struct Parameterless {
    #[module(skip)]
    op: ParameterlessOp,
}

#[derive(Clone, Copy, Debug)]
enum ParameterlessOp {
    Relu,
    MaxPool(PoolSpec),
    GlobalAvgPool,
    Flatten,
}

// burn implements `Module` for no `Box`, and a model holds a few dozen layers, built once.
#[allow(clippy::large_enum_variant)]
#[derive(Module, Debug)]
pub enum Layer {
    Conv(Conv2d),
    BatchNorm(BatchNorm2d),
    Linear(Linear),
    Dropout(Dropout),
    Inception(Inception),
    Residual(Residual),
    Sequential(Vec<Layer>),
    Parameterless(Parameterless),
}

fn children(node: &Node) -> &[Node] {
    match &node.op {
        Op::Sequential(children) => children,
        _ => &[],
    }
}

impl Layer {
    /// The weights `[out, in, k, k]` of the first convolution in forward order.
    pub fn first_conv_weight(&self) -> Option<Tensor<4>> {
        match self {
            Layer::Conv(conv) => Some(conv.weight.val()),
            Layer::Sequential(layers) => layers.iter().find_map(Layer::first_conv_weight),
            _ => None,
        }
    }

    fn parameterless(op: ParameterlessOp) -> Layer {
        Layer::Parameterless(Parameterless { op })
    }

    /// Builds the module for `node` fed with `input`; returns it with its output shape.
    pub fn build(
        node: &Node,
        input: Shape,
        path: &str,
        device: &Device,
    ) -> Result<(Layer, Shape), ShapeError> {
        let in_channels = input.channels();
        let layer = match &node.op {
            Op::Sequential(nodes) => {
                let mut shape = input;
                let mut layers = Vec::with_capacity(nodes.len());
                for child in nodes {
                    let (layer, output) =
                        Layer::build(child, shape, &join(path, &child.key), device)?;
                    layers.push(layer);
                    shape = output;
                }
                return Ok((Layer::Sequential(layers), shape));
            }
            Op::Conv2d(spec) => Layer::Conv(conv2d(in_channels, *spec, device)),
            Op::BatchNorm2d => Layer::BatchNorm(BatchNorm2d::new(in_channels, device)),
            Op::Linear { out_features } => {
                Layer::Linear(linear(in_channels, *out_features, device))
            }
            Op::Dropout { prob } => Layer::Dropout(DropoutConfig::new(*prob).init()),
            Op::Inception(spec) => Layer::Inception(Inception::new(in_channels, spec, device)),
            Op::Residual(spec) => Layer::Residual(Residual::new(in_channels, spec, device)),
            Op::Relu => Layer::parameterless(ParameterlessOp::Relu),
            Op::MaxPool2d(spec) => Layer::parameterless(ParameterlessOp::MaxPool(*spec)),
            Op::GlobalAvgPool2d => Layer::parameterless(ParameterlessOp::GlobalAvgPool),
            Op::Flatten => Layer::parameterless(ParameterlessOp::Flatten),
        };
        let output = node.op.output_shape(input, path)?;
        Ok((layer, output))
    }

    /// Flat vectors travel as `[batch, features, 1, 1]`, so one tensor rank flows through the
    /// whole tree and every tap is NCHW.
    pub fn forward(
        &self,
        node: &Node,
        x: Tensor<4>,
        mut taps: Option<&mut TapRecorder>,
    ) -> Tensor<4> {
        if let Some(recorder) = taps.as_deref_mut() {
            recorder.enter_module(&node.key, &x);
            if let Some(name) = &node.name {
                recorder.enter(name);
            }
        }
        let output = match self {
            Layer::Sequential(layers) => children(node)
                .iter()
                .zip(layers)
                .fold(x, |x, (child, layer)| {
                    layer.forward(child, x, taps.as_deref_mut())
                }),
            // A knocked-out VGG block's convolutions keep their input (their shapes allow it).
            Layer::Conv(_)
                if taps
                    .as_deref()
                    .is_some_and(TapRecorder::bypasses_convolutions) =>
            {
                x
            }
            Layer::Conv(conv) => convolve(conv, x),
            Layer::BatchNorm(norm) => norm.forward(x),
            Layer::Dropout(dropout) => dropout.forward(x),
            Layer::Linear(linear) => {
                let [batch, features, _, _] = x.dims();
                let y = linear.forward(x.reshape([batch, features]));
                let [_, out_features] = y.dims();
                y.reshape([batch, out_features, 1, 1])
            }
            Layer::Inception(block) => block.forward(x, taps.as_deref_mut()),
            Layer::Residual(block) => block.forward(x, taps.as_deref_mut()),
            Layer::Parameterless(layer) => layer.forward(x),
        };
        let Some(recorder) = taps else {
            return output;
        };
        let output = match (&node.name, node.tapped) {
            (Some(_), true) => recorder.record_scope(output),
            _ => output,
        };
        if node.name.is_some() {
            recorder.leave();
        }
        recorder.leave_module();
        output
    }

    pub(crate) fn leaves<'a>(&'a mut self, node: &Node, path: &str, leaves: &mut Leaves<'a>) {
        match self {
            Layer::Sequential(layers) => {
                for (child, layer) in children(node).iter().zip(layers) {
                    layer.leaves(child, &join(path, &child.key), leaves);
                }
            }
            Layer::Conv(conv) => leaves.push(path, "", Leaf::Conv(conv)),
            Layer::BatchNorm(norm) => leaves.push(path, "", Leaf::BatchNorm(norm)),
            Layer::Linear(linear) => leaves.push(path, "", Leaf::Linear(linear)),
            Layer::Inception(block) => block.leaves(path, leaves),
            Layer::Residual(block) => block.leaves(path, leaves),
            Layer::Dropout(_) | Layer::Parameterless(_) => {}
        }
    }
}

impl Parameterless {
    fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        match &self.op {
            ParameterlessOp::Relu => relu(x),
            ParameterlessOp::MaxPool(spec) => max_pool(x, spec),
            ParameterlessOp::GlobalAvgPool => adaptive_avg_pool2d(x, [1, 1]),
            ParameterlessOp::Flatten => {
                // PyTorch's flatten order: channel, then row, then column.
                let [batch, channels, height, width] = x.dims();
                x.reshape([batch, channels * height * width, 1, 1])
            }
        }
    }
}
