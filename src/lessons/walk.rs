//! The class's walk: through a network block by block, and on through the four networks in the
//! post's order (AlexNet, VGG, GoogLeNet, ResNet), each opened by its title card, what is new in
//! it. A teacher at a projector goes through a whole lesson with ← and → alone.

use crate::arch::{Preset, PresetKind, TapInfo, TapKind};

/// The stops of a walk through a network in class, block by block in forward order: every tap
/// but the parts of a block (Inception branches, a residual block's main path and shortcut),
/// which are shown with their block.
pub fn walk_stops(taps: &[TapInfo]) -> Vec<String> {
    taps.iter()
        .filter(|t| {
            !matches!(
                t.kind,
                TapKind::Branch | TapKind::MainPath | TapKind::Shortcut
            )
        })
        .map(|t| t.name.clone())
        .collect()
}

/// Whether the tap `name` is the walk's stop `stop` or one of its parts (`b3.inception1.branch2`
/// of `b3.inception1`).
pub fn in_stop(name: &str, stop: &str) -> bool {
    name.strip_prefix(stop)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// The networks a walk goes through: every preset of `kind`, in the post's order. A class that
/// started on the seed networks stays on them, one on the browser ones on those.
pub fn walk_networks(kind: PresetKind) -> Vec<&'static Preset> {
    Preset::ALL.iter().filter(|p| p.kind == kind).collect()
}

fn stops_of(preset: &Preset) -> Vec<String> {
    walk_stops(&preset.architecture().taps().unwrap_or_default())
}

/// A place in the walk: a network's title card, or one of its stops.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub preset: &'static Preset,
    /// The stop's index among the network's [`walk_stops`]; `None` is the title card.
    pub stop: Option<usize>,
}

impl Place {
    /// Where the page stands: the stop of the opened tap (a block's part stands at its block),
    /// or the title card when no tap of this network is open.
    pub fn at(preset: &'static Preset, opened: Option<&str>) -> Place {
        let stop = opened.and_then(|opened| {
            stops_of(preset)
                .iter()
                .position(|stop| in_stop(opened, stop))
        });
        Place { preset, stop }
    }

    /// The stop's tap name (`None` on the title card).
    pub fn tap(&self) -> Option<String> {
        self.stop
            .and_then(|index| stops_of(self.preset).into_iter().nth(index))
    }

    /// The network's position in the walk and how many networks it has.
    pub fn network_index(&self) -> (usize, usize) {
        let networks = walk_networks(self.preset.kind);
        let index = networks
            .iter()
            .position(|p| p.name == self.preset.name)
            .unwrap_or(0);
        (index, networks.len())
    }

    /// The next place: the title's first stop, the next stop, or after the last stop the next
    /// network's title card; `None` at the end of the walk.
    pub fn next(&self) -> Option<Place> {
        let count = stops_of(self.preset).len();
        let stop = self.stop.map_or(0, |index| index + 1);
        if stop < count {
            return Some(Place {
                preset: self.preset,
                stop: Some(stop),
            });
        }
        let (index, _) = self.network_index();
        let preset = *walk_networks(self.preset.kind).get(index + 1)?;
        Some(Place { preset, stop: None })
    }

    /// The place before: the stop before, the title card before the first stop, or before the
    /// title card the previous network's last stop; `None` at the start of the walk.
    pub fn previous(&self) -> Option<Place> {
        match self.stop {
            Some(0) => Some(Place {
                preset: self.preset,
                stop: None,
            }),
            Some(index) => Some(Place {
                preset: self.preset,
                stop: Some(index - 1),
            }),
            None => {
                let (index, _) = self.network_index();
                let preset = *walk_networks(self.preset.kind).get(index.checked_sub(1)?)?;
                let last = stops_of(preset).len().checked_sub(1);
                Some(Place { preset, stop: last })
            }
        }
    }
}
