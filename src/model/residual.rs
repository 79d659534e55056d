//! The seed's `Residual` block: two 3×3 convolutions with BatchNorm, plus a shortcut.

use burn::module::Module;
use burn::nn::conv::Conv2d;
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor};

use super::batch_norm::BatchNorm2d;
use super::build::conv2d;
use super::leaves::{Leaf, Leaves};
use crate::arch::{ConvSpec, MAIN_PATH_NAME, ResidualSpec, SHORTCUT_NAME};
use crate::taps::TapRecorder;

#[derive(Module, Debug)]
pub struct Residual {
    conv1: Conv2d,
    conv2: Conv2d,
    /// The strided 1×1 convolution of a downsampling block; `None` keeps the identity.
    conv3: Option<Conv2d>,
    bn1: BatchNorm2d,
    bn2: BatchNorm2d,
}

impl Residual {
    pub fn new(in_channels: usize, spec: &ResidualSpec, device: &Device) -> Self {
        let channels = spec.channels;
        let conv = |in_channels, kernel, stride| {
            let padding = kernel / 2;
            conv2d(
                in_channels,
                ConvSpec {
                    out_channels: channels,
                    kernel,
                    stride,
                    padding,
                },
                device,
            )
        };
        Self {
            conv1: conv(in_channels, 3, spec.stride),
            conv2: conv(channels, 3, 1),
            conv3: spec.use_1x1conv.then(|| conv(in_channels, 1, spec.stride)),
            bn1: BatchNorm2d::new(channels, device),
            bn2: BatchNorm2d::new(channels, device),
        }
    }

    pub fn forward(&self, x: Tensor<4>, taps: Option<&mut TapRecorder>) -> Tensor<4> {
        // [batch, in, h, w] -> [batch, channels, h / stride, w / stride]
        let y = relu(self.bn1.forward(self.conv1.forward(x.clone())));
        let main = self.bn2.forward(self.conv2.forward(y));
        let shortcut = match &self.conv3 {
            Some(conv3) => conv3.forward(x),
            None => x,
        };
        if let Some(taps) = taps {
            taps.record_child(MAIN_PATH_NAME, main.clone());
            taps.record_child(SHORTCUT_NAME, shortcut.clone());
        }
        relu(main + shortcut)
    }

    pub(crate) fn leaves<'a>(&'a mut self, path: &str, leaves: &mut Leaves<'a>) {
        leaves.push(path, "conv1", Leaf::Conv(&mut self.conv1));
        leaves.push(path, "conv2", Leaf::Conv(&mut self.conv2));
        if let Some(conv3) = &mut self.conv3 {
            leaves.push(path, "conv3", Leaf::Conv(conv3));
        }
        leaves.push(path, "bn1", Leaf::BatchNorm(&mut self.bn1));
        leaves.push(path, "bn2", Leaf::BatchNorm(&mut self.bn2));
    }
}
