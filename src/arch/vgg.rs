//! VGG as in the seed: `conv_arch` blocks of 3×3 convolutions, each closed by a 2×2 max pool,
//! then three fully connected layers.

use super::{Architecture, Family, Node, Op, classifier, conv, item, max_pool, sequential};

/// The seed's `conv_arch`: `(num_convs, out_channels)` per block, and the hidden width.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VggWidths {
    pub conv_arch: Vec<(usize, usize)>,
    pub hidden: usize,
}

impl VggWidths {
    /// VGG-11.
    pub fn seed() -> Self {
        Self {
            conv_arch: vec![(1, 64), (1, 128), (2, 256), (2, 512), (2, 512)],
            hidden: 4096,
        }
    }

    /// d2l's lighter VGG: every channel count divided by `ratio`.
    pub fn seed_divided_by(ratio: usize, hidden: usize) -> Self {
        Self {
            conv_arch: Self::seed()
                .conv_arch
                .into_iter()
                .map(|(convs, channels)| (convs, channels / ratio))
                .collect(),
            hidden,
        }
    }
}

/// The seed's `VGGBlock`: its `nn.Sequential` lives in the attribute `net`.
fn vgg_block(index: usize, num_convs: usize, out_channels: usize) -> Node {
    let mut layers = Vec::new();
    for conv_index in 1..=num_convs {
        layers.push(item(conv(out_channels, 3, 1, 1)));
        layers.push(item(Op::Relu).tap(format!("conv{conv_index}")));
    }
    layers.push(item(max_pool(2, 2, 0)));
    let body = Node::new("net", sequential(layers));
    item(Op::Sequential(vec![body])).tap(format!("block{index}"))
}

pub fn architecture(widths: &VggWidths, input: [usize; 3]) -> Architecture {
    let blocks = widths
        .conv_arch
        .iter()
        .enumerate()
        .map(|(index, &(num_convs, channels))| vgg_block(index + 1, num_convs, channels))
        .collect();
    Architecture {
        family: Family::Vgg,
        root: vec![
            Node::new("net1", sequential(blocks)),
            Node::new("net2", sequential(classifier(widths.hidden))),
        ],
        input,
    }
}
