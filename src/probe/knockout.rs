//! Knock-outs: channels of a tap, Inception branches, a residual block's main path or
//! shortcut, or a VGG block's convolutions, switched off while the forward pass runs.

use std::collections::{BTreeMap, BTreeSet};

use burn::tensor::{Tensor, TensorData};
use serde::{Deserialize, Serialize};

use crate::arch::{Architecture, Family, Node, Op, TapInfo, TapKind};

/// The parts switched off, by tap name. The default switches nothing off.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Knockouts {
    /// Tap name → channels that read as zero.
    channels: BTreeMap<String, BTreeSet<usize>>,
    /// Inception branches, residual main paths and shortcuts that read as zero.
    silenced: BTreeSet<String>,
    /// VGG blocks whose convolutions pass their input through unchanged.
    bypassed: BTreeSet<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KnockoutError {
    #[error("`{0}` is not a part of this network")]
    Unknown(String),
    #[error("{tap} has {channels} channels; there is no channel {channel}")]
    NoChannel {
        tap: String,
        channel: usize,
        channels: usize,
    },
    #[error(
        "`{0}` cannot be switched off whole: the next layer would read only zeros; switch off some of its channels instead"
    )]
    NotWhole(String),
}

/// What switching off a whole part does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WholeKind {
    /// An Inception branch: its channels of the concatenation read as zero.
    Branch,
    /// A residual block's main path: the block passes on `ReLU(shortcut)`.
    MainPath,
    /// A residual block's shortcut: the block passes on `ReLU(main path)`.
    Shortcut,
    /// A VGG block whose convolutions keep their input's shape: they become identities, so
    /// only its pooling is left.
    BlockConvolutions,
}

/// A part that can be switched off whole; `target` is its tap name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WholeTarget {
    pub target: String,
    pub kind: WholeKind,
}

/// Every part of `architecture` that can be switched off whole, in forward order.
pub fn whole_targets(architecture: &Architecture) -> Vec<WholeTarget> {
    let Ok(taps) = architecture.taps() else {
        return Vec::new();
    };
    let bypassable = bypassable_blocks(architecture);
    taps.into_iter()
        .filter_map(|tap| {
            let kind = match tap.kind {
                TapKind::Branch => WholeKind::Branch,
                TapKind::MainPath => WholeKind::MainPath,
                TapKind::Shortcut => WholeKind::Shortcut,
                TapKind::Block if bypassable.contains(&tap.name) => WholeKind::BlockConvolutions,
                _ => return None,
            };
            Some(WholeTarget {
                target: tap.name,
                kind,
            })
        })
        .collect()
}

/// VGG blocks whose every convolution maps `c` channels to `c` at the same size.
fn bypassable_blocks(architecture: &Architecture) -> BTreeSet<String> {
    let mut blocks = BTreeSet::new();
    if architecture.family != Family::Vgg {
        return blocks;
    }
    // The walk can only fail on an invalid tree, which then has no blocks to offer.
    let _ = architecture.walk(&mut |visit| {
        if let Some(name) = visit.tap
            && matches!(visit.node.op, Op::Sequential(_))
            && convolutions_keep_shape(visit.node, visit.input.channels())
        {
            blocks.insert(name);
        }
    });
    blocks
}

fn convolutions_keep_shape(node: &Node, channels: usize) -> bool {
    fn walk(node: &Node, channels: usize, convolutions: &mut usize) -> bool {
        match &node.op {
            Op::Sequential(children) => children
                .iter()
                .all(|child| walk(child, channels, convolutions)),
            Op::Conv2d(spec) => {
                *convolutions += 1;
                spec.out_channels == channels
                    && spec.stride == 1
                    && 2 * spec.padding + 1 == spec.kernel
            }
            _ => true,
        }
    }
    let mut convolutions = 0;
    walk(node, channels, &mut convolutions) && convolutions > 0
}

impl Knockouts {
    /// Reads targets: a whole part (see [`whole_targets`]) by its tap name, or one channel of
    /// any tap as `<tap>:<channel>`.
    pub fn parse<S: AsRef<str>>(
        targets: &[S],
        architecture: &Architecture,
    ) -> Result<Self, KnockoutError> {
        let taps = architecture.taps().unwrap_or_default();
        let wholes = whole_targets(architecture);
        let mut knockouts = Knockouts::default();
        for target in targets {
            let target = target.as_ref().trim();
            if let Some((tap, channel)) = target.rsplit_once(':') {
                let info = find_tap(&taps, tap)?;
                let channel: usize = channel
                    .parse()
                    .map_err(|_| KnockoutError::Unknown(target.to_string()))?;
                let channels = info.shape[0];
                if channel >= channels {
                    return Err(KnockoutError::NoChannel {
                        tap: tap.to_string(),
                        channel,
                        channels,
                    });
                }
                knockouts
                    .channels
                    .entry(tap.to_string())
                    .or_default()
                    .insert(channel);
                continue;
            }
            find_tap(&taps, target)?;
            let whole = wholes
                .iter()
                .find(|whole| whole.target == target)
                .ok_or_else(|| KnockoutError::NotWhole(target.to_string()))?;
            let set = match whole.kind {
                WholeKind::BlockConvolutions => &mut knockouts.bypassed,
                _ => &mut knockouts.silenced,
            };
            set.insert(target.to_string());
        }
        Ok(knockouts)
    }

    pub fn is_empty(&self) -> bool {
        self.channels.is_empty() && self.silenced.is_empty() && self.bypassed.is_empty()
    }

    /// The targets, in the form [`Knockouts::parse`] reads, sorted.
    pub fn targets(&self) -> Vec<String> {
        let mut targets: Vec<String> = self
            .silenced
            .iter()
            .chain(&self.bypassed)
            .cloned()
            .chain(self.channels.iter().flat_map(|(tap, channels)| {
                channels
                    .iter()
                    .map(move |channel| format!("{tap}:{channel}"))
            }))
            .collect();
        targets.sort();
        targets
    }

    /// What the next layer reads of the tap `name`.
    pub(crate) fn apply(&self, name: &str, activation: Tensor<4>) -> Tensor<4> {
        if self.silenced.contains(name) {
            return activation.zeros_like();
        }
        let Some(off) = self.channels.get(name) else {
            return activation;
        };
        let [_, channels, _, _] = activation.dims();
        let mask: Vec<f32> = (0..channels)
            .map(|channel| if off.contains(&channel) { 0.0 } else { 1.0 })
            .collect();
        let mask = Tensor::<4>::from_data(
            TensorData::new(mask, [1, channels, 1, 1]),
            &activation.device(),
        );
        // [batch, channels, h, w] · [1, channels, 1, 1]
        activation * mask
    }

    /// Whether the convolutions of the scope `name` are identities.
    pub(crate) fn bypasses(&self, name: &str) -> bool {
        self.bypassed.contains(name)
    }
}

fn find_tap<'a>(taps: &'a [TapInfo], name: &str) -> Result<&'a TapInfo, KnockoutError> {
    taps.iter()
        .find(|tap| tap.name == name)
        .ok_or_else(|| KnockoutError::Unknown(name.to_string()))
}
