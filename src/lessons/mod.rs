//! A short lesson per network, in English and Chinese: what is new in the architecture and what
//! to look for in its maps. Each point names the taps it talks about through a [`Focus`], a rule
//! over the network's own tap list, so it fits every preset of the family (browser or seed)
//! without a hand-kept list of names.

mod alexnet;
pub mod code;
pub mod excerpt;
mod googlenet;
mod resnet;
mod vgg;
mod walk;

use crate::arch::{Family, TapInfo, TapKind};

pub use walk::{Place, in_stop, network_after, network_before, walk_networks, walk_stops};

/// One text in both of the app's languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bilingual {
    pub en: &'static str,
    pub zh: &'static str,
}

#[derive(Debug)]
pub struct Lesson {
    pub title: Bilingual,
    pub intro: Bilingual,
    pub points: &'static [LessonPoint],
}

#[derive(Debug)]
pub struct LessonPoint {
    pub text: Bilingual,
    pub focus: Focus,
}

/// Which taps a lesson point is about.
#[derive(Clone, Copy, Debug)]
pub enum Focus {
    /// Every tap of this kind.
    Every(TapKind),
    First(TapKind),
    /// The first convolution and the last one: the two ends of the feature hierarchy.
    FirstAndLastConv,
    /// Convolutions that share their block with another convolution (VGG's stacked 3×3s).
    StackedConvs,
    /// The four branches of the first Inception block.
    FirstInceptionBranches,
    /// Branch `n` (1 to 4) of every Inception block.
    Branch(usize),
    /// Shortcuts that must reshape their input (a strided 1×1 convolution).
    ProjectedShortcuts,
    /// Shortcuts that carry their input unchanged.
    IdentityShortcuts,
    /// Residual blocks whose shortcut reshapes its input, and those whose shortcut does not.
    ProjectedResiduals,
    IdentityResiduals,
    /// The main path, shortcut and sum of the first residual block.
    FirstResidualBlock,
}

impl Focus {
    /// The names of the taps this focus picks, in the network's order.
    pub fn select(self, taps: &[TapInfo]) -> Vec<String> {
        let names = |picked: Vec<&TapInfo>| picked.into_iter().map(|t| t.name.clone()).collect();
        let of_kind = |kind: TapKind| taps.iter().filter(move |t| t.kind == kind);
        match self {
            Focus::Every(kind) => names(of_kind(kind).collect()),
            Focus::First(kind) => names(of_kind(kind).take(1).collect()),
            Focus::FirstAndLastConv => {
                let convs: Vec<&TapInfo> = of_kind(TapKind::Conv).collect();
                let ends = match convs[..] {
                    [] => vec![],
                    [only] => vec![only],
                    [first, .., last] => vec![first, last],
                };
                names(ends)
            }
            Focus::StackedConvs => {
                let parent = |t: &TapInfo| t.name.rsplit_once('.').map(|(p, _)| p.to_string());
                let convs: Vec<&TapInfo> = of_kind(TapKind::Conv).collect();
                names(
                    convs
                        .iter()
                        .copied()
                        .filter(|t| {
                            parent(t).is_some_and(|p| {
                                convs
                                    .iter()
                                    .filter(|o| parent(o).as_ref() == Some(&p))
                                    .count()
                                    > 1
                            })
                        })
                        .collect(),
                )
            }
            Focus::FirstInceptionBranches => match of_kind(TapKind::Inception).next() {
                Some(block) => {
                    let prefix = format!("{}.", block.name);
                    names(
                        of_kind(TapKind::Branch)
                            .filter(|t| t.name.starts_with(&prefix))
                            .collect(),
                    )
                }
                None => Vec::new(),
            },
            Focus::Branch(n) => {
                let suffix = format!(".branch{n}");
                names(
                    of_kind(TapKind::Branch)
                        .filter(|t| t.name.ends_with(&suffix))
                        .collect(),
                )
            }
            Focus::ProjectedResiduals | Focus::IdentityResiduals => {
                let projected = matches!(self, Focus::ProjectedResiduals);
                shortcuts(taps, projected)
                    .into_iter()
                    .filter_map(|t| t.name.rsplit_once('.').map(|(block, _)| block.to_string()))
                    .collect()
            }
            Focus::ProjectedShortcuts => names(shortcuts(taps, true)),
            Focus::IdentityShortcuts => names(shortcuts(taps, false)),
            Focus::FirstResidualBlock => match of_kind(TapKind::Residual).next() {
                Some(block) => {
                    let prefix = format!("{}.", block.name);
                    names(
                        taps.iter()
                            .filter(|t| t.name.starts_with(&prefix) || t.name == block.name)
                            .collect(),
                    )
                }
                None => Vec::new(),
            },
        }
    }
}

/// Shortcut taps whose block input has another shape than their output (`projected`), or the
/// same shape. A block's input is the last tap before its parts that is not itself a part.
fn shortcuts(taps: &[TapInfo], projected: bool) -> Vec<&TapInfo> {
    let mut picked = Vec::new();
    let mut block_input: Option<&TapInfo> = None;
    for tap in taps {
        match tap.kind {
            TapKind::Shortcut => {
                if block_input.is_some_and(|input| (input.shape != tap.shape) == projected) {
                    picked.push(tap);
                }
            }
            TapKind::MainPath | TapKind::Branch => {}
            _ => block_input = Some(tap),
        }
    }
    picked
}

/// The points of `lesson` about the tap `stop` or its parts.
pub fn points_about(
    lesson: &'static Lesson,
    taps: &[TapInfo],
    stop: &str,
) -> Vec<&'static LessonPoint> {
    lesson
        .points
        .iter()
        .filter(|point| {
            point
                .focus
                .select(taps)
                .iter()
                .any(|name| in_stop(name, stop))
        })
        .collect()
}

pub fn lesson(family: Family) -> &'static Lesson {
    match family {
        Family::AlexNet => &alexnet::LESSON,
        Family::Vgg => &vgg::LESSON,
        Family::GoogLeNet => &googlenet::LESSON,
        Family::ResNet => &resnet::LESSON,
    }
}
