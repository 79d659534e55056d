//! `convscope summary`

use anyhow::{Context, Result, bail};
use convscope::arch::Preset;

/// Parses `CxHxW` (or `HxW` for the preset's channels).
pub fn parse_input_size(text: &str, preset: &Preset) -> Result<[usize; 3]> {
    let parts = text
        .split(['x', '×'])
        .map(|part| part.trim().parse::<usize>())
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("--input-size `{text}` is not CxHxW"))?;
    match parts[..] {
        [c, h, w] => Ok([c, h, w]),
        [h, w] => Ok([preset.input[0], h, w]),
        _ => bail!("--input-size `{text}` is not CxHxW"),
    }
}

/// The architecture tree as JSON, for tools outside Rust (the TF.js benchmark builds its
/// networks from it).
pub fn print_tree(preset: &Preset, input: Option<[usize; 3]>) -> Result<()> {
    let architecture = preset.architecture_for_input(input.unwrap_or(preset.input));
    println!("{}", serde_json::to_string_pretty(&architecture)?);
    Ok(())
}

pub fn run(preset: &Preset, input: Option<[usize; 3]>, json: bool) -> Result<()> {
    let architecture = preset.architecture_for_input(input.unwrap_or(preset.input));
    let summary = architecture
        .summary()
        .with_context(|| format!("{preset} cannot take this input"))?;
    if json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
        return Ok(());
    }
    println!("{preset}: input {:?}", summary.input_shape);
    println!(
        "{:<20} {:<18} {:<24} {:<22} {:>12} {:>14}",
        "layer", "type", "tap", "output shape", "params", "MACs"
    );
    for row in &summary.layers {
        println!(
            "{:<20} {:<18} {:<24} {:<22} {:>12} {:>14}",
            row.name,
            row.kind,
            row.tap.as_deref().unwrap_or(""),
            format!("{:?}", row.output_shape),
            row.params,
            row.macs
        );
    }
    println!(
        "total: {} parameters, {} MACs per image",
        summary.total_params, summary.total_macs
    );
    Ok(())
}
