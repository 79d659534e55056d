//! The seed's `Inception` block: four parallel branches concatenated along channels.

use burn::module::Module;
use burn::nn::conv::Conv2d;
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor};

use super::build::conv2d;
use super::convolution::convolve;
use super::leaves::{Leaf, Leaves};
use super::max_pool::max_pool;
use crate::arch::{BRANCH_NAMES, InceptionSpec};
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

impl Inception {
    pub fn new(in_channels: usize, widths: &InceptionSpec, device: &Device) -> Self {
        let [p1_1, p2_1, p2_2, p3_1, p3_2, p4_2] = widths
            .convs(in_channels)
            .map(|conv| conv2d(conv.in_channels, conv.spec, device));
        Self {
            p1_1,
            p2_1,
            p2_2,
            p3_1,
            p3_2,
            p4_2,
        }
    }

    pub fn forward(&self, x: Tensor<4>, taps: Option<&mut TapRecorder>) -> Tensor<4> {
        // [batch, in, h, w] -> four [batch, c_i, h, w]
        let p1 = relu(convolve(&self.p1_1, x.clone()));
        let p2_reduced = relu(convolve(&self.p2_1, x.clone()));
        let p2 = relu(convolve(&self.p2_2, p2_reduced.clone()));
        let p3_reduced = relu(convolve(&self.p3_1, x.clone()));
        let p3 = relu(convolve(&self.p3_2, p3_reduced.clone()));
        let pooled = max_pool(x.clone(), &InceptionSpec::BRANCH4_POOL);
        let p4 = relu(convolve(&self.p4_2, pooled.clone()));
        let branches = [p1, p2, p3, p4];
        let branches: Vec<Tensor<4>> = match taps {
            Some(taps) => {
                let conv_inputs = [&x, &x, &p2_reduced, &x, &p3_reduced, &pooled];
                for (key, input) in InceptionSpec::CONV_KEYS.into_iter().zip(conv_inputs) {
                    taps.offer_child_input(key, input);
                }
                BRANCH_NAMES
                    .iter()
                    .zip(branches)
                    .map(|(name, branch)| taps.record_child(name, branch))
                    .collect()
            }
            None => branches.into(),
        };
        // [batch, c1 + c2 + c3 + c4, h, w]
        Tensor::cat(branches, 1)
    }

    pub(crate) fn leaves<'a>(&'a mut self, path: &str, leaves: &mut Leaves<'a>) {
        let convs = [
            &mut self.p1_1,
            &mut self.p2_1,
            &mut self.p2_2,
            &mut self.p3_1,
            &mut self.p3_2,
            &mut self.p4_2,
        ];
        for (name, conv) in InceptionSpec::CONV_KEYS.into_iter().zip(convs) {
            leaves.push(path, name, Leaf::Conv(conv));
        }
    }
}
