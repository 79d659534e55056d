//! The seed's `Residual` block: two 3×3 convolutions with BatchNorm, plus a shortcut.

use burn::module::Module;
use burn::nn::conv::Conv2d;
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor};

use super::batch_norm::BatchNorm2d;
use super::build::conv2d;
use super::convolution::convolve;
use super::leaves::{Leaf, Leaves};
use crate::arch::{MAIN_PATH_NAME, ResidualSpec, SHORTCUT_NAME};
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
        let mut convs = spec
            .convs(in_channels)
            .into_iter()
            .map(|conv| conv2d(conv.in_channels, conv.spec, device));
        let (Some(conv1), Some(conv2)) = (convs.next(), convs.next()) else {
            unreachable!("a residual block's main path has two convolutions");
        };
        let [bn1, bn2] =
            ResidualSpec::BATCH_NORM_KEYS.map(|_| BatchNorm2d::new(spec.channels, device));
        Self {
            conv1,
            conv2,
            conv3: convs.next(),
            bn1,
            bn2,
        }
    }

    pub fn forward(&self, x: Tensor<4>, taps: Option<&mut TapRecorder>) -> Tensor<4> {
        // [batch, in, h, w] -> [batch, channels, h / stride, w / stride]
        let y = relu(self.bn1.forward(convolve(&self.conv1, x.clone())));
        let mut main = self.bn2.forward(convolve(&self.conv2, y.clone()));
        let mut shortcut = match &self.conv3 {
            Some(conv3) => convolve(conv3, x.clone()),
            None => x.clone(),
        };
        if let Some(taps) = taps {
            let [conv1, conv2, conv3] = ResidualSpec::CONV_KEYS;
            for (key, input) in [(conv1, &x), (conv2, &y), (conv3, &x)] {
                taps.offer_child_input(key, input);
            }
            main = taps.record_child(MAIN_PATH_NAME, main);
            shortcut = taps.record_child(SHORTCUT_NAME, shortcut);
        }
        relu(main + shortcut)
    }

    pub(crate) fn leaves<'a>(&'a mut self, path: &str, leaves: &mut Leaves<'a>) {
        // PyTorch registers conv1, conv2, conv3, then bn1, bn2: state_dict order.
        let convs = [
            Some(&mut self.conv1),
            Some(&mut self.conv2),
            self.conv3.as_mut(),
        ];
        for (name, conv) in ResidualSpec::CONV_KEYS.into_iter().zip(convs) {
            if let Some(conv) = conv {
                leaves.push(path, name, Leaf::Conv(conv));
            }
        }
        let [bn1_key, bn2_key] = ResidualSpec::BATCH_NORM_KEYS;
        leaves.push(path, bn1_key, Leaf::BatchNorm(&mut self.bn1));
        leaves.push(path, bn2_key, Leaf::BatchNorm(&mut self.bn2));
    }
}
