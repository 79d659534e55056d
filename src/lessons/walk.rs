//! The class's walk: through a network block by block, and on through the four networks in the
//! post's order (AlexNet, VGG, GoogLeNet, ResNet), each opened by its title card, what is new in
//! it, to the four side by side. A teacher at a projector goes through a whole lesson with ← and
//! → alone.

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

/// A place in the walk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// A network's title card, before its first block.
    Title(&'static Preset),
    /// One of a network's stops, by its index among its [`walk_stops`].
    Stop(&'static Preset, usize),
    /// After the last network, the four side by side on the class's input: where the lesson
    /// ends. Only the browser networks have it, the ones a page can run together.
    Together,
}

impl Place {
    /// Where the page stands in a network: the stop of the opened tap (a block's part stands
    /// at its block), or the title card when no tap of this network is open.
    pub fn at(preset: &'static Preset, opened: Option<&str>) -> Place {
        let stop = opened.and_then(|opened| {
            stops_of(preset)
                .iter()
                .position(|stop| in_stop(opened, stop))
        });
        match stop {
            Some(index) => Place::Stop(preset, index),
            None => Place::Title(preset),
        }
    }

    /// The network of a title card or stop.
    pub fn preset(&self) -> Option<&'static Preset> {
        match *self {
            Place::Title(preset) | Place::Stop(preset, _) => Some(preset),
            Place::Together => None,
        }
    }

    /// The stop's tap name (`None` on a title card and at the end).
    pub fn tap(&self) -> Option<String> {
        match *self {
            Place::Stop(preset, index) => stops_of(preset).into_iter().nth(index),
            _ => None,
        }
    }

    /// The next place: the title's first stop, the next stop, or after the last stop the next
    /// network's title card, and after the last network's the four together; `None` at the
    /// end of the walk.
    pub fn next(&self) -> Option<Place> {
        let (preset, stop) = match *self {
            Place::Title(preset) => (preset, 0),
            Place::Stop(preset, index) => (preset, index + 1),
            Place::Together => return None,
        };
        if stop < stops_of(preset).len() {
            return Some(Place::Stop(preset, stop));
        }
        match network_after(preset) {
            Some(next) => Some(Place::Title(next)),
            None => (preset.kind == PresetKind::Browser).then_some(Place::Together),
        }
    }

    /// The place before: the stop before, the title card before the first stop, before the
    /// title card the previous network's last stop, and before the four together the last
    /// network's; `None` at the start of the walk.
    pub fn previous(&self) -> Option<Place> {
        let last_stop = |preset: &'static Preset| match stops_of(preset).len() {
            0 => Place::Title(preset),
            count => Place::Stop(preset, count - 1),
        };
        match *self {
            Place::Stop(preset, 0) => Some(Place::Title(preset)),
            Place::Stop(preset, index) => Some(Place::Stop(preset, index - 1)),
            Place::Title(preset) => network_before(preset).map(last_stop),
            Place::Together => walk_networks(PresetKind::Browser)
                .last()
                .copied()
                .map(last_stop),
        }
    }
}

fn network_position(preset: &Preset) -> (Vec<&'static Preset>, Option<usize>) {
    let networks = walk_networks(preset.kind);
    let index = networks.iter().position(|p| p.name == preset.name);
    (networks, index)
}

/// The network after `preset` in the post, of the same kind.
pub fn network_after(preset: &Preset) -> Option<&'static Preset> {
    let (networks, index) = network_position(preset);
    networks.get(index? + 1).copied()
}

/// The network before `preset` in the post, of the same kind.
pub fn network_before(preset: &Preset) -> Option<&'static Preset> {
    let (networks, index) = network_position(preset);
    networks.get(index?.checked_sub(1)?).copied()
}
