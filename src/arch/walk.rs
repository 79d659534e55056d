//! Walking the tree: PyTorch module paths, tap names and shapes, in forward order.

use super::{Architecture, CLASSES, Node, Op, Shape, ShapeError};

/// One node met on a walk, after its output shape is known.
pub struct Visit<'a> {
    /// PyTorch module path, e.g. `net.1.blk.0` (the `state_dict` prefix of its parameters).
    pub path: String,
    /// Full hierarchical tap name when the node is tapped, e.g. `b3.inception1`.
    pub tap: Option<String>,
    pub node: &'a Node,
    pub input: Shape,
    pub output: Shape,
}

/// What a tap shows, so the visualizer can lay blocks out and label them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TapKind {
    /// A convolution's output after its ReLU.
    Conv,
    Pool,
    /// A VGG block or one of the stem blocks: the output of a group of layers.
    Block,
    Inception,
    /// One of an Inception block's four parallel branches.
    Branch,
    /// A residual block's output: ReLU of main path plus shortcut.
    Residual,
    /// A residual block's main path, before the add.
    MainPath,
    /// A residual block's shortcut: its input, or the strided 1×1 convolution of it.
    Shortcut,
    /// A hidden fully connected layer after its ReLU.
    Hidden,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TapInfo {
    pub name: String,
    pub kind: TapKind,
    /// `[channels, height, width]` of one sample; hidden layers are `[features, 1, 1]`.
    pub shape: [usize; 3],
}

pub(crate) fn join(prefix: &str, segment: &str) -> String {
    if prefix.is_empty() {
        segment.to_string()
    } else {
        format!("{prefix}.{segment}")
    }
}

/// Names of an Inception block's branch taps, in the seed's order `p1`..`p4`.
pub const BRANCH_NAMES: [&str; 4] = ["branch1", "branch2", "branch3", "branch4"];
pub const MAIN_PATH_NAME: &str = "main";
pub const SHORTCUT_NAME: &str = "shortcut";

fn chw(shape: Shape) -> [usize; 3] {
    match shape {
        Shape::Map {
            channels,
            height,
            width,
        } => [channels, height, width],
        Shape::Flat(features) => [features, 1, 1],
    }
}

impl Architecture {
    pub fn input_shape(&self) -> Shape {
        Shape::from_chw(self.input)
    }

    /// Visits every node in forward order (a sequential after its children) and returns the
    /// network's output shape, or the first layer the input does not fit.
    pub fn walk(&self, visit: &mut dyn FnMut(Visit<'_>)) -> Result<Shape, ShapeError> {
        walk_nodes(&self.root, "", "", self.input_shape(), visit)
    }

    /// Checks that the input fits every layer and that the network ends in [`CLASSES`] logits.
    pub fn validate(&self) -> Result<(), ShapeError> {
        match self.walk(&mut |_| {})? {
            Shape::Flat(CLASSES) => Ok(()),
            other => Err(ShapeError {
                layer: "output".into(),
                reason: format!("expected {CLASSES} logits, got {other}"),
            }),
        }
    }

    /// Every activation tap, in the order a forward pass records them.
    pub fn taps(&self) -> Result<Vec<TapInfo>, ShapeError> {
        let mut taps = Vec::new();
        self.walk(&mut |visit| {
            let Some(name) = visit.tap else { return };
            let output = chw(visit.output);
            let kind = match &visit.node.op {
                Op::Relu if matches!(visit.input, Shape::Flat(_)) => TapKind::Hidden,
                Op::Relu => TapKind::Conv,
                Op::MaxPool2d(_) | Op::GlobalAvgPool2d => TapKind::Pool,
                Op::Inception(spec) => {
                    let [_, height, width] = output;
                    for (branch, channels) in BRANCH_NAMES.iter().zip(spec.branch_channels()) {
                        taps.push(TapInfo {
                            name: join(&name, branch),
                            kind: TapKind::Branch,
                            shape: [channels, height, width],
                        });
                    }
                    TapKind::Inception
                }
                Op::Residual(_) => {
                    for (part, kind) in [
                        (MAIN_PATH_NAME, TapKind::MainPath),
                        (SHORTCUT_NAME, TapKind::Shortcut),
                    ] {
                        taps.push(TapInfo {
                            name: join(&name, part),
                            kind,
                            shape: output,
                        });
                    }
                    TapKind::Residual
                }
                _ => TapKind::Block,
            };
            taps.push(TapInfo {
                name,
                kind,
                shape: output,
            });
        })?;
        Ok(taps)
    }
}

fn walk_nodes(
    nodes: &[Node],
    path_prefix: &str,
    scope: &str,
    input: Shape,
    visit: &mut dyn FnMut(Visit<'_>),
) -> Result<Shape, ShapeError> {
    nodes.iter().try_fold(input, |input, node| {
        let path = join(path_prefix, &node.key);
        let scoped_name = node.name.as_deref().map(|name| join(scope, name));
        let output = match &node.op {
            Op::Sequential(children) => {
                let child_scope = scoped_name.as_deref().unwrap_or(scope);
                walk_nodes(children, &path, child_scope, input, visit)?
            }
            op => op.output_shape(input, &path)?,
        };
        visit(Visit {
            tap: scoped_name.filter(|_| node.tapped),
            path,
            node,
            input,
            output,
        });
        Ok(output)
    })
}
