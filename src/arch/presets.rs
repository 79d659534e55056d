//! The named presets: the seed networks exactly, and lighter ones that train in a browser.

use std::fmt;

use super::Architecture;
use super::alexnet::{self, AlexNetWidths};
use super::googlenet::{self, GoogLeNetWidths};
use super::resnet::{self, ResNetWidths};
use super::vgg::{self, VggWidths};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Family {
    AlexNet,
    Vgg,
    GoogLeNet,
    ResNet,
}

impl Family {
    pub fn display_name(self) -> &'static str {
        match self {
            Family::AlexNet => "AlexNet",
            Family::Vgg => "VGG-11",
            Family::GoogLeNet => "GoogLeNet",
            Family::ResNet => "ResNet-18",
        }
    }

    /// GoogLeNet and ResNet end in an adaptive average pool, so any input of at least 32×32
    /// gives the same network; AlexNet and VGG size their first linear layer to their input.
    pub fn accepts_any_input_size(self) -> bool {
        matches!(self, Family::GoogLeNet | Family::ResNet)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PresetKind {
    /// Layer for layer the seed's PyTorch code.
    Seed,
    /// Same blocks as the seed, fewer channels and a smaller input, for training in a browser.
    Browser,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    pub name: &'static str,
    pub kind: PresetKind,
    pub family: Family,
    /// `[channels, height, width]` of one input image.
    pub input: [usize; 3],
    widths: Widths,
}

// Presets are consts, where a boxed variant cannot live; there are only eight of them.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Widths {
    AlexNet(AlexNetWidths),
    /// `(channel ratio, hidden width)` applied to the seed's VGG-11 `conv_arch`.
    Vgg {
        ratio: usize,
        hidden: usize,
    },
    GoogLeNet(GoogLeNetWidths),
    ResNet(ResNetWidths),
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown network `{0}`; the presets are: {names}", names = Preset::names().join(", "))]
pub struct UnknownPreset(pub String);

impl Preset {
    pub const ALL: [Preset; 8] = [
        Preset {
            name: "alexnet",
            kind: PresetKind::Seed,
            family: Family::AlexNet,
            input: [1, 224, 224],
            widths: Widths::AlexNet(AlexNetWidths::SEED),
        },
        Preset {
            name: "vgg",
            kind: PresetKind::Seed,
            family: Family::Vgg,
            input: [3, 224, 224],
            widths: Widths::Vgg {
                ratio: 1,
                hidden: 4096,
            },
        },
        Preset {
            name: "googlenet",
            kind: PresetKind::Seed,
            family: Family::GoogLeNet,
            input: [1, 96, 96],
            widths: Widths::GoogLeNet(GoogLeNetWidths::SEED),
        },
        Preset {
            name: "resnet18",
            kind: PresetKind::Seed,
            family: Family::ResNet,
            input: [1, 96, 96],
            widths: Widths::ResNet(ResNetWidths::SEED),
        },
        Preset {
            name: "alexnet-lite",
            kind: PresetKind::Browser,
            family: Family::AlexNet,
            input: [1, 96, 96],
            widths: Widths::AlexNet(AlexNetWidths {
                convs: [16, 32, 48, 48, 32],
                hidden: 256,
            }),
        },
        Preset {
            name: "vgg-lite",
            kind: PresetKind::Browser,
            family: Family::Vgg,
            input: [3, 32, 32],
            widths: Widths::Vgg {
                ratio: 8,
                hidden: 128,
            },
        },
        Preset {
            name: "googlenet-lite",
            kind: PresetKind::Browser,
            family: Family::GoogLeNet,
            input: [1, 48, 48],
            widths: Widths::GoogLeNet(GoogLeNetWidths::seed_divided_by(4)),
        },
        Preset {
            name: "resnet18-lite",
            kind: PresetKind::Browser,
            family: Family::ResNet,
            input: [1, 48, 48],
            widths: Widths::ResNet(ResNetWidths {
                stages: [8, 16, 32, 64],
            }),
        },
    ];

    pub fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|preset| preset.name).collect()
    }

    pub fn by_name(name: &str) -> Result<&'static Preset, UnknownPreset> {
        Self::ALL
            .iter()
            .find(|preset| preset.name == name)
            .ok_or_else(|| UnknownPreset(name.to_string()))
    }

    /// The network for its default input.
    pub fn architecture(&self) -> Architecture {
        self.architecture_for_input(self.input)
    }

    /// The network for another input size (AlexNet and VGG then size their first linear layer
    /// to it; too small an input shows up as a [`super::ShapeError`] when the tree is walked).
    pub fn architecture_for_input(&self, input: [usize; 3]) -> Architecture {
        match self.widths {
            Widths::AlexNet(widths) => alexnet::architecture(widths, input),
            Widths::Vgg { ratio, hidden } => {
                vgg::architecture(&VggWidths::seed_divided_by(ratio, hidden), input)
            }
            Widths::GoogLeNet(widths) => googlenet::architecture(widths, input),
            Widths::ResNet(widths) => resnet::architecture(widths, input),
        }
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}
