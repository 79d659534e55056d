//! Declarative descriptions of the four networks.
//!
//! A network is a tree of [`Node`]s that mirrors the PyTorch module tree of the seed code: a
//! node's `key` is its attribute name or `nn.Sequential` index, so the path of keys is the
//! PyTorch `state_dict` prefix. The same tree drives model construction ([`crate::model`]), the
//! layer table ([`crate::summary`]), the weight-key mapping ([`crate::weights`]), the list of
//! activation taps ([`crate::taps`]) and their receptive fields.

pub mod alexnet;
pub mod googlenet;
mod presets;
mod receptive;
pub mod resnet;
mod shape;
pub mod vgg;
mod walk;

pub use presets::{Family, Preset, PresetKind, UnknownPreset};
pub use receptive::{ReceptiveField, Span, TapField};
pub use shape::{Shape, ShapeError};
pub(crate) use walk::join as walk_join;
pub use walk::{BRANCH_NAMES, MAIN_PATH_NAME, SHORTCUT_NAME, TapInfo, TapKind, Visit};

/// One module of the network, at one place in the tree.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Node {
    /// Attribute name or `nn.Sequential` index: one segment of the PyTorch `state_dict` keys.
    pub key: String,
    /// Segment of the hierarchical name shown by the visualizer; a named node scopes the names
    /// of its children.
    pub name: Option<String>,
    /// Whether this node's output is an activation tap (under its hierarchical name).
    pub tapped: bool,
    pub op: Op,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub enum Op {
    Conv2d(ConvSpec),
    BatchNorm2d,
    Relu,
    MaxPool2d(PoolSpec),
    /// `nn.AdaptiveAvgPool2d((1, 1))`.
    GlobalAvgPool2d,
    Flatten,
    Dropout {
        prob: f64,
    },
    Linear {
        out_features: usize,
    },
    /// Children run in order; their keys are indices (`nn.Sequential`) or attribute names.
    Sequential(Vec<Node>),
    Inception(InceptionSpec),
    Residual(ResidualSpec),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ConvSpec {
    pub out_channels: usize,
    pub kernel: usize,
    pub stride: usize,
    pub padding: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PoolSpec {
    pub kernel: usize,
    pub stride: usize,
    pub padding: usize,
}

/// MNIST's ten digits: every network ends in this many logits.
pub const CLASSES: usize = 10;

/// One convolution inside a composite block (Inception or residual), as the seed builds it.
/// Construction, shapes, taps, costs and the TF.js benchmark all read a block's insides from
/// its spec's `convs`, so they are written once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct BlockConv {
    /// The seed's attribute name: a `state_dict` key segment under the block.
    pub key: &'static str,
    /// The parallel path it lies on: an Inception branch (0 to 3), or a residual block's main
    /// path (0) or shortcut (1). Convolutions of one path are listed in forward order.
    pub path: usize,
    pub in_channels: usize,
    pub spec: ConvSpec,
}

/// A stride-1 convolution that keeps the map's size.
fn same_size(out_channels: usize, kernel: usize) -> ConvSpec {
    ConvSpec {
        out_channels,
        kernel,
        stride: 1,
        padding: kernel / 2,
    }
}

/// The seed's `Inception(in_channels, c1, c2, c3, c4)`; `in_channels` comes from the tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct InceptionSpec {
    pub c1: usize,
    pub c2: [usize; 2],
    pub c3: [usize; 2],
    pub c4: usize,
}

impl InceptionSpec {
    /// The seed's attribute names, in registration (`state_dict`) order.
    pub const CONV_KEYS: [&'static str; 6] = ["p1_1", "p2_1", "p2_2", "p3_1", "p3_2", "p4_2"];
    /// The fourth branch starts with this pooling (3×3, stride 1, padding 1) before its 1×1.
    pub const BRANCH4_POOL: PoolSpec = PoolSpec {
        kernel: 3,
        stride: 1,
        padding: 1,
    };

    /// Branch 1: a 1×1; branch 2: a 1×1 reduction then a 3×3; branch 3: a 1×1 reduction then
    /// a 5×5; branch 4: (after the pooling) a 1×1. Every one keeps the map's size.
    pub fn convs(&self, in_channels: usize) -> [BlockConv; 6] {
        let [c2_reduce, c2] = self.c2;
        let [c3_reduce, c3] = self.c3;
        let layout = [
            (0, in_channels, same_size(self.c1, 1)),
            (1, in_channels, same_size(c2_reduce, 1)),
            (1, c2_reduce, same_size(c2, 3)),
            (2, in_channels, same_size(c3_reduce, 1)),
            (2, c3_reduce, same_size(c3, 5)),
            (3, in_channels, same_size(self.c4, 1)),
        ];
        std::array::from_fn(|index| {
            let (path, in_channels, spec) = layout[index];
            BlockConv {
                key: Self::CONV_KEYS[index],
                path,
                in_channels,
                spec,
            }
        })
    }

    /// Output channels of each branch (its last convolution's), in concatenation order.
    pub fn branch_channels(&self) -> [usize; 4] {
        let mut channels = [0; 4];
        for conv in self.convs(0) {
            channels[conv.path] = conv.spec.out_channels;
        }
        channels
    }

    pub fn out_channels(&self) -> usize {
        self.branch_channels().iter().sum()
    }
}

/// The seed's `Residual(input_channels, num_channels, use_1x1conv, strides)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ResidualSpec {
    pub channels: usize,
    pub use_1x1conv: bool,
    pub stride: usize,
}

impl ResidualSpec {
    /// The seed's attribute names of the convolutions; `conv3` exists only with `use_1x1conv`.
    pub const CONV_KEYS: [&'static str; 3] = ["conv1", "conv2", "conv3"];
    /// The main path's BatchNorm layers, after `conv1` and `conv2`.
    pub const BATCH_NORM_KEYS: [&'static str; 2] = ["bn1", "bn2"];

    /// Main path: `conv1` (3×3, the block's stride) and `conv2` (3×3); shortcut: `conv3`, a
    /// strided 1×1, when the block changes the shape (else the shortcut is the input itself).
    pub fn convs(&self, in_channels: usize) -> Vec<BlockConv> {
        let channels = self.channels;
        let [conv1, conv2, conv3] = Self::CONV_KEYS;
        let mut convs = vec![
            BlockConv {
                key: conv1,
                path: 0,
                in_channels,
                spec: ConvSpec {
                    stride: self.stride,
                    ..same_size(channels, 3)
                },
            },
            BlockConv {
                key: conv2,
                path: 0,
                in_channels: channels,
                spec: same_size(channels, 3),
            },
        ];
        if self.use_1x1conv {
            convs.push(BlockConv {
                key: conv3,
                path: 1,
                in_channels,
                spec: ConvSpec {
                    out_channels: channels,
                    kernel: 1,
                    stride: self.stride,
                    padding: 0,
                },
            });
        }
        convs
    }
}

/// A whole network: its tree and the input it was designed for.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Architecture {
    pub family: Family,
    /// Attributes of the top-level `nn.Module` (`net`, or `net1` and `net2` for VGG).
    pub root: Vec<Node>,
    /// `[channels, height, width]` of one input image.
    pub input: [usize; 3],
}

impl Node {
    pub fn new(key: impl Into<String>, op: Op) -> Self {
        Self {
            key: key.into(),
            name: None,
            tapped: false,
            op,
        }
    }

    /// Names this node and makes its output a tap.
    pub fn tap(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self.tapped = true;
        self
    }

    /// Names this node as a scope for its children's taps without tapping its own output
    /// (which would duplicate its last child's).
    pub fn scope(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
}

/// Builds an `nn.Sequential`: children get their index as key.
pub fn sequential(children: Vec<Node>) -> Op {
    Op::Sequential(
        children
            .into_iter()
            .enumerate()
            .map(|(index, child)| Node {
                key: index.to_string(),
                ..child
            })
            .collect(),
    )
}

/// A child of an `nn.Sequential`; its key is set by [`sequential`].
pub fn item(op: Op) -> Node {
    Node::new("", op)
}

pub fn conv(out_channels: usize, kernel: usize, stride: usize, padding: usize) -> Op {
    Op::Conv2d(ConvSpec {
        out_channels,
        kernel,
        stride,
        padding,
    })
}

pub fn max_pool(kernel: usize, stride: usize, padding: usize) -> Op {
    Op::MaxPool2d(PoolSpec {
        kernel,
        stride,
        padding,
    })
}

pub fn linear(out_features: usize) -> Op {
    Op::Linear { out_features }
}

pub fn dropout(prob: f64) -> Op {
    Op::Dropout { prob }
}

/// The classifier AlexNet and VGG share in the seed: two hidden layers with dropout, then the
/// [`CLASSES`] logits.
pub fn classifier(hidden: usize) -> Vec<Node> {
    vec![
        item(Op::Flatten),
        item(linear(hidden)),
        item(Op::Relu).tap("fc1"),
        item(dropout(0.5)),
        item(linear(hidden)),
        item(Op::Relu).tap("fc2"),
        item(dropout(0.5)),
        item(linear(CLASSES)),
    ]
}
