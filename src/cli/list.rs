//! `convscope list`

use anyhow::Result;
use convscope::arch::{Preset, PresetKind};

use super::assets;

pub fn run() -> Result<()> {
    println!(
        "{:<16} {:<8} {:<10} {:<11} {:>12} {:>15}  pretrained",
        "preset", "kind", "network", "input", "params", "MACs"
    );
    for preset in &Preset::ALL {
        let summary = preset.architecture().summary()?;
        let [c, h, w] = preset.input;
        println!(
            "{:<16} {:<8} {:<10} {:<11} {:>12} {:>15}  {}",
            preset.name,
            match preset.kind {
                PresetKind::Seed => "seed",
                PresetKind::Browser => "browser",
            },
            preset.family.display_name(),
            format!("{c}×{h}×{w}"),
            summary.total_params,
            summary.total_macs,
            if assets::pretrained(preset.name).is_some() {
                "yes"
            } else {
                "no"
            },
        );
    }
    Ok(())
}
