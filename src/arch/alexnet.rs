//! AlexNet as in the seed: five convolutions, three max pools, three fully connected layers.

use super::{Architecture, Family, Node, Op, classifier, conv, item, max_pool, sequential};

/// Channel counts of the five convolutions and width of the two hidden layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AlexNetWidths {
    pub convs: [usize; 5],
    pub hidden: usize,
}

impl AlexNetWidths {
    pub const SEED: Self = Self {
        convs: [96, 256, 384, 384, 256],
        hidden: 4096,
    };
}

pub fn architecture(widths: AlexNetWidths, input: [usize; 3]) -> Architecture {
    let [c1, c2, c3, c4, c5] = widths.convs;
    let mut layers = vec![
        item(conv(c1, 11, 4, 1)),
        item(Op::Relu).tap("conv1"),
        item(max_pool(3, 2, 0)).tap("pool1"),
        item(conv(c2, 5, 1, 2)),
        item(Op::Relu).tap("conv2"),
        item(max_pool(3, 2, 0)).tap("pool2"),
        item(conv(c3, 3, 1, 1)),
        item(Op::Relu).tap("conv3"),
        item(conv(c4, 3, 1, 1)),
        item(Op::Relu).tap("conv4"),
        item(conv(c5, 3, 1, 1)),
        item(Op::Relu).tap("conv5"),
        item(max_pool(3, 2, 0)).tap("pool3"),
    ];
    layers.extend(classifier(widths.hidden));
    Architecture {
        family: Family::AlexNet,
        root: vec![Node::new("net", sequential(layers))],
        input,
    }
}
