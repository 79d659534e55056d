//! One colour per browser preset, wherever several networks share a chart (shift curves,
//! the race), so a network keeps its colour from one view to the next.

use super::compare::browser_presets;

const NETWORK_COLORS: [&str; 4] = ["#0a84ff", "#ff9f0a", "#30b158", "#d93b6a"];

pub fn network_color(preset: &str) -> &'static str {
    browser_presets()
        .position(|network| network.name == preset)
        .map_or("#777", |index| NETWORK_COLORS[index % NETWORK_COLORS.len()])
}
