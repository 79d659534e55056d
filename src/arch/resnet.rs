//! ResNet-18 as in the seed: a stem, then four `ResBlock`s of two `Residual`s each.

use super::{
    Architecture, CLASSES, Family, Node, Op, ResidualSpec, conv, item, linear, max_pool, sequential,
};

/// Channel counts of the four residual stages (the stem has the first stage's).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResNetWidths {
    pub stages: [usize; 4],
}

impl ResNetWidths {
    pub const SEED: Self = Self {
        stages: [64, 128, 256, 512],
    };
}

/// The seed's `ResBlock`: its `nn.Sequential` lives in the attribute `blk`; the first residual
/// of every stage but the first halves the resolution through a strided 1×1 shortcut.
fn res_block(stage: usize, channels: usize) -> Node {
    let first_block = stage == 0;
    let residuals = (0..2)
        .map(|index| {
            let downsample = index == 0 && !first_block;
            let spec = ResidualSpec {
                channels,
                use_1x1conv: downsample,
                stride: if downsample { 2 } else { 1 },
            };
            item(Op::Residual(spec)).tap(format!("residual{}", index + 1))
        })
        .collect();
    item(Op::Sequential(vec![Node::new(
        "blk",
        sequential(residuals),
    )]))
    .scope(format!("b{}", stage + 2))
}

pub fn architecture(widths: ResNetWidths, input: [usize; 3]) -> Architecture {
    let stem = vec![
        item(conv(widths.stages[0], 7, 2, 3)),
        item(Op::BatchNorm2d),
        item(Op::Relu).tap("conv"),
        item(max_pool(3, 2, 1)),
    ];
    let mut net = vec![item(sequential(stem)).tap("b1")];
    net.extend(
        widths
            .stages
            .iter()
            .enumerate()
            .map(|(stage, &channels)| res_block(stage, channels)),
    );
    net.push(item(Op::GlobalAvgPool2d).tap("avgpool"));
    net.push(item(Op::Flatten));
    net.push(item(linear(CLASSES)));
    Architecture {
        family: Family::ResNet,
        root: vec![Node::new("net", sequential(net))],
        input,
    }
}
