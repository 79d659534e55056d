//! GoogLeNet as in the seed: two stem blocks, then nine Inception blocks in three stages.

use super::{
    Architecture, CLASSES, Family, InceptionSpec, Node, Op, conv, item, linear, max_pool,
    sequential,
};

/// Channel counts of the stem convolutions and of the nine Inception blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GoogLeNetWidths {
    pub stem: [usize; 3],
    pub inceptions: [InceptionSpec; 9],
}

const fn inception(c1: usize, c2: [usize; 2], c3: [usize; 2], c4: usize) -> InceptionSpec {
    InceptionSpec { c1, c2, c3, c4 }
}

impl GoogLeNetWidths {
    pub const SEED: Self = Self {
        stem: [64, 64, 192],
        inceptions: [
            inception(64, [96, 128], [16, 32], 32),
            inception(128, [128, 192], [32, 96], 64),
            inception(192, [96, 208], [16, 48], 64),
            inception(160, [112, 224], [24, 64], 64),
            inception(128, [128, 256], [24, 64], 64),
            inception(112, [144, 288], [32, 64], 64),
            inception(256, [160, 320], [32, 128], 128),
            inception(256, [160, 320], [32, 128], 128),
            inception(384, [192, 384], [48, 128], 128),
        ],
    };

    /// Every channel count of the seed divided by `ratio` (all are multiples of 8).
    pub const fn seed_divided_by(ratio: usize) -> Self {
        let seed = Self::SEED;
        let mut inceptions = seed.inceptions;
        let mut index = 0;
        while index < inceptions.len() {
            let spec = &mut inceptions[index];
            spec.c1 /= ratio;
            spec.c2 = [spec.c2[0] / ratio, spec.c2[1] / ratio];
            spec.c3 = [spec.c3[0] / ratio, spec.c3[1] / ratio];
            spec.c4 /= ratio;
            index += 1;
        }
        Self {
            stem: [
                seed.stem[0] / ratio,
                seed.stem[1] / ratio,
                seed.stem[2] / ratio,
            ],
            inceptions,
        }
    }
}

fn inception_stage(specs: &[InceptionSpec], tail: Vec<Node>) -> Vec<Node> {
    specs
        .iter()
        .enumerate()
        .map(|(index, &spec)| item(Op::Inception(spec)).tap(format!("inception{}", index + 1)))
        .chain(tail)
        .collect()
}

pub fn architecture(widths: GoogLeNetWidths, input: [usize; 3]) -> Architecture {
    let [stem1, stem2, stem3] = widths.stem;
    let b1 = vec![
        item(conv(stem1, 7, 2, 3)),
        item(Op::Relu).tap("conv"),
        item(max_pool(3, 2, 1)),
    ];
    let b2 = vec![
        item(conv(stem2, 1, 1, 0)),
        item(Op::Relu).tap("conv1"),
        item(conv(stem3, 3, 1, 1)),
        item(Op::Relu).tap("conv2"),
        item(max_pool(3, 2, 1)),
    ];
    let inceptions = &widths.inceptions;
    let b3 = inception_stage(&inceptions[0..2], vec![item(max_pool(3, 2, 1))]);
    let b4 = inception_stage(&inceptions[2..7], vec![item(max_pool(3, 2, 1))]);
    let b5 = inception_stage(
        &inceptions[7..9],
        vec![item(Op::GlobalAvgPool2d), item(Op::Flatten)],
    );
    let net = vec![
        item(sequential(b1)).tap("b1"),
        item(sequential(b2)).tap("b2"),
        item(sequential(b3)).tap("b3"),
        item(sequential(b4)).tap("b4"),
        item(sequential(b5)).tap("b5"),
        item(linear(CLASSES)),
    ];
    Architecture {
        family: Family::GoogLeNet,
        root: vec![Node::new("net", sequential(net))],
        input,
    }
}
