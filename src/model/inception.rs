//! The seed's `Inception` block: four parallel branches concatenated along channels.

use burn::module::Module;
use burn::nn::conv::Conv2d;
use burn::tensor::activation::relu;
use burn::tensor::module::max_pool2d;
use burn::tensor::ops::MaxPoolOptions;
use burn::tensor::{Device, Tensor};

use super::build::conv2d;
use super::leaves::{Leaf, Leaves};
use crate::arch::{BRANCH_NAMES, ConvSpec, InceptionSpec};
use crate::taps::TapRecorder;

#[derive(Module, Debug)]
pub struct Inception {
    p1_1: Conv2d,
    p2_1: Conv2d,
    p2_2: Conv2d,
    p3_1: Conv2d,
    p3_2: Conv2d,
    p4_2: Conv2d,
}

fn spec(out_channels: usize, kernel: usize) -> ConvSpec {
    ConvSpec {
        out_channels,
        kernel,
        stride: 1,
        padding: kernel / 2,
    }
}

impl Inception {
    pub fn new(in_channels: usize, widths: &InceptionSpec, device: &Device) -> Self {
        let [c2_reduce, c2] = widths.c2;
        let [c3_reduce, c3] = widths.c3;
        Self {
            p1_1: conv2d(in_channels, spec(widths.c1, 1), device),
            p2_1: conv2d(in_channels, spec(c2_reduce, 1), device),
            p2_2: conv2d(c2_reduce, spec(c2, 3), device),
            p3_1: conv2d(in_channels, spec(c3_reduce, 1), device),
            p3_2: conv2d(c3_reduce, spec(c3, 5), device),
            p4_2: conv2d(in_channels, spec(widths.c4, 1), device),
        }
    }

    pub fn forward(&self, x: Tensor<4>, taps: Option<&mut TapRecorder>) -> Tensor<4> {
        // [batch, in, h, w] -> four [batch, c_i, h, w]
        let p1 = relu(self.p1_1.forward(x.clone()));
        let p2 = relu(self.p2_2.forward(relu(self.p2_1.forward(x.clone()))));
        let p3 = relu(self.p3_2.forward(relu(self.p3_1.forward(x.clone()))));
        let pooled = max_pool2d(
            x,
            MaxPoolOptions::new([3, 3])
                .with_stride([1, 1])
                .with_padding([1, 1]),
        );
        let p4 = relu(self.p4_2.forward(pooled));
        let branches = [p1, p2, p3, p4];
        if let Some(taps) = taps {
            for (name, branch) in BRANCH_NAMES.iter().zip(&branches) {
                taps.record_child(name, branch.clone());
            }
        }
        // [batch, c1 + c2 + c3 + c4, h, w]
        Tensor::cat(branches.to_vec(), 1)
    }

    pub(crate) fn leaves<'a>(&'a mut self, path: &str, leaves: &mut Leaves<'a>) {
        for (name, conv) in [
            ("p1_1", &mut self.p1_1),
            ("p2_1", &mut self.p2_1),
            ("p2_2", &mut self.p2_2),
            ("p3_1", &mut self.p3_1),
            ("p3_2", &mut self.p3_2),
            ("p4_2", &mut self.p4_2),
        ] {
            leaves.push(path, name, Leaf::Conv(conv));
        }
    }
}
