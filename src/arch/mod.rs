//! Declarative descriptions of the four networks.
//!
//! A network is a tree of [`Node`]s that mirrors the PyTorch module tree of the seed code: a
//! node's `key` is its attribute name or `nn.Sequential` index, so the path of keys is the
//! PyTorch `state_dict` prefix. The same tree drives model construction ([`crate::model`]), the
//! layer table ([`crate::summary`]), the weight-key mapping ([`crate::weights`]) and the list of
//! activation taps ([`crate::taps`]).

pub mod alexnet;
pub mod googlenet;
mod presets;
pub mod resnet;
mod shape;
pub mod vgg;
mod walk;

pub use presets::{Family, Preset, PresetKind, UnknownPreset};
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

/// The seed's `Inception(in_channels, c1, c2, c3, c4)`; `in_channels` comes from the tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct InceptionSpec {
    pub c1: usize,
    pub c2: [usize; 2],
    pub c3: [usize; 2],
    pub c4: usize,
}

impl InceptionSpec {
    pub fn out_channels(&self) -> usize {
        self.c1 + self.c2[1] + self.c3[1] + self.c4
    }
}

/// The seed's `Residual(input_channels, num_channels, use_1x1conv, strides)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ResidualSpec {
    pub channels: usize,
    pub use_1x1conv: bool,
    pub stride: usize,
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
/// ten classes.
pub fn classifier(hidden: usize) -> Vec<Node> {
    vec![
        item(Op::Flatten),
        item(linear(hidden)),
        item(Op::Relu).tap("fc1"),
        item(dropout(0.5)),
        item(linear(hidden)),
        item(Op::Relu).tap("fc2"),
        item(dropout(0.5)),
        item(linear(10)),
    ]
}
