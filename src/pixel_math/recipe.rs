//! Which operation made a tap's values, and what it read: found in the architecture tree.

use crate::arch::{
    Architecture, BRANCH_NAMES, ConvSpec, MAIN_PATH_NAME, Op, PoolSpec, ResidualSpec,
    SHORTCUT_NAME, Shape, walk_join as join,
};

/// The last operation behind a tap, with the PyTorch paths of the modules it involves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recipe {
    /// A convolution (`conv`; a linear layer without), then maybe a BatchNorm, then maybe a ReLU.
    Weighted {
        layer: String,
        conv: Option<ConvSpec>,
        batch_norm: Option<String>,
        relu: bool,
    },
    /// A max-pooling of the input of the module at `layer`.
    MaxPool { layer: String, spec: PoolSpec },
    /// A global average pooling of the input of the module at `layer`.
    Average { layer: String },
    /// An Inception block: its four branch taps, concatenated along channels.
    Concat { branches: [String; 4] },
    /// A residual block: ReLU of its main path tap plus its shortcut tap.
    Sum { main: String, shortcut: String },
    /// A residual block's identity shortcut: the input of the block at `layer`.
    Identity { layer: String },
}

impl Recipe {
    /// The module whose input the maths reads, if any (the taps hold the rest).
    pub fn watched_module(&self) -> Option<&str> {
        match self {
            Recipe::Weighted { layer, .. }
            | Recipe::MaxPool { layer, .. }
            | Recipe::Average { layer }
            | Recipe::Identity { layer } => Some(layer),
            Recipe::Concat { .. } | Recipe::Sum { .. } => None,
        }
    }
}

/// One node in forward order, as the walk met it.
struct Visited {
    path: String,
    tap: Option<String>,
    op: Op,
    input: Shape,
}

/// The recipe of the tap called `tap`, or `None` when the network has no such tap.
pub fn recipe(architecture: &Architecture, tap: &str) -> Option<Recipe> {
    let mut visited = Vec::new();
    architecture
        .walk(&mut |visit| {
            visited.push(Visited {
                path: visit.path,
                tap: visit.tap,
                op: visit.node.op.clone(),
                input: visit.input,
            })
        })
        .ok()?;
    if let Some(index) = visited.iter().position(|v| v.tap.as_deref() == Some(tap)) {
        return recipe_of_node(&visited, index);
    }
    // The parts of a block: `<block>.branchN`, `<block>.main`, `<block>.shortcut`.
    let (block_tap, part) = tap.rsplit_once('.')?;
    let block = visited
        .iter()
        .find(|v| v.tap.as_deref() == Some(block_tap))?;
    match &block.op {
        Op::Inception(spec) => {
            let branch = BRANCH_NAMES.iter().position(|name| *name == part)?;
            let last_conv = spec
                .convs(block.input.channels())
                .into_iter()
                .rfind(|conv| conv.path == branch)?;
            Some(Recipe::Weighted {
                layer: join(&block.path, last_conv.key),
                conv: Some(last_conv.spec),
                batch_norm: None,
                relu: true,
            })
        }
        Op::Residual(spec) => residual_part(&block.path, block.input.channels(), spec, part),
        _ => None,
    }
}

fn residual_part(
    block: &str,
    in_channels: usize,
    spec: &ResidualSpec,
    part: &str,
) -> Option<Recipe> {
    let [_, conv2, conv3] = ResidualSpec::CONV_KEYS;
    let [_, bn2] = ResidualSpec::BATCH_NORM_KEYS;
    let conv = |key: &str| {
        spec.convs(in_channels)
            .into_iter()
            .find(|conv| conv.key == key)
            .map(|conv| conv.spec)
    };
    match part {
        MAIN_PATH_NAME => Some(Recipe::Weighted {
            layer: join(block, conv2),
            conv: Some(conv(conv2)?),
            batch_norm: Some(join(block, bn2)),
            relu: false,
        }),
        SHORTCUT_NAME if spec.use_1x1conv => Some(Recipe::Weighted {
            layer: join(block, conv3),
            conv: Some(conv(conv3)?),
            batch_norm: None,
            relu: false,
        }),
        SHORTCUT_NAME => Some(Recipe::Identity {
            layer: block.to_string(),
        }),
        _ => None,
    }
}

fn recipe_of_node(visited: &[Visited], index: usize) -> Option<Recipe> {
    let node = &visited[index];
    let tap = node.tap.clone().unwrap_or_default();
    match &node.op {
        Op::Relu => {
            let before = &visited[index.checked_sub(1)?];
            let (layer, batch_norm) = match before.op {
                Op::BatchNorm2d => (&visited[index.checked_sub(2)?], Some(before.path.clone())),
                _ => (before, None),
            };
            let conv = match layer.op {
                Op::Conv2d(spec) => Some(spec),
                Op::Linear { .. } => None,
                _ => return None,
            };
            Some(Recipe::Weighted {
                layer: layer.path.clone(),
                conv,
                batch_norm,
                relu: true,
            })
        }
        Op::MaxPool2d(spec) => Some(Recipe::MaxPool {
            layer: node.path.clone(),
            spec: *spec,
        }),
        Op::GlobalAvgPool2d => Some(Recipe::Average {
            layer: node.path.clone(),
        }),
        // A sequential's value is its last child's: the node visited just before it. Flatten
        // and dropout (off outside training) pass a value on, so the one before them made it.
        Op::Sequential(_) | Op::Flatten | Op::Dropout { .. } => {
            recipe_of_node(visited, index.checked_sub(1)?)
        }
        Op::Inception(_) => Some(Recipe::Concat {
            branches: BRANCH_NAMES.map(|branch| join(&tap, branch)),
        }),
        Op::Residual(_) => Some(Recipe::Sum {
            main: join(&tap, MAIN_PATH_NAME),
            shortcut: join(&tap, SHORTCUT_NAME),
        }),
        Op::Conv2d(_) | Op::BatchNorm2d | Op::Linear { .. } => None,
    }
}
