//! `convscope summary`

use anyhow::{Context, Result, bail};
use convscope::arch::{InceptionSpec, Op, Preset};
use serde_json::{Value, json};

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
/// networks from it). Each Inception and residual block also carries its `convs` (and an
/// Inception block its `branch4_pool`), from the same description the model is built from.
pub fn print_tree(preset: &Preset, input: Option<[usize; 3]>) -> Result<()> {
    let architecture = preset.architecture_for_input(input.unwrap_or(preset.input));
    let mut tree = serde_json::to_value(&architecture)?;
    let mut insides = Vec::new();
    architecture.walk(&mut |visit| {
        let in_channels = visit.input.channels();
        let block = match &visit.node.op {
            Op::Inception(spec) => json!({
                "convs": spec.convs(in_channels),
                "branch4_pool": InceptionSpec::BRANCH4_POOL,
            }),
            Op::Residual(spec) => json!({ "convs": spec.convs(in_channels) }),
            _ => return,
        };
        insides.push((visit.path, block));
    })?;
    for (path, block) in insides {
        let node = node_at(&mut tree["root"], &path)
            .with_context(|| format!("{path} is not in the serialized tree"))?;
        if let (Some(node), Value::Object(fields)) = (node.as_object_mut(), block) {
            node.extend(fields);
        }
    }
    println!("{}", serde_json::to_string_pretty(&tree)?);
    Ok(())
}

/// The serialized node at a module path such as `net.2.0`.
fn node_at<'a>(nodes: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    let (first, rest) = path
        .split_once('.')
        .map_or((path, None), |(a, b)| (a, Some(b)));
    let node = nodes
        .as_array_mut()?
        .iter_mut()
        .find(|node| node["key"] == first)?;
    match rest {
        None => Some(node),
        Some(rest) => node_at(node.get_mut("op")?.get_mut("Sequential")?, rest),
    }
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
        "{:<20} {:<18} {:<24} {:<22} {:>12} {:>14} {:>6} {:>5}",
        "layer", "type", "tap", "output shape", "params", "MACs", "field", "jump"
    );
    for row in &summary.layers {
        println!(
            "{:<20} {:<18} {:<24} {:<22} {:>12} {:>14} {:>6} {:>5}",
            row.name,
            row.kind,
            row.tap.as_deref().unwrap_or(""),
            format!("{:?}", row.output_shape),
            row.params,
            row.macs,
            row.receptive_field,
            row.jump
        );
    }
    println!(
        "total: {} parameters, {} MACs per image",
        summary.total_params, summary.total_macs
    );
    let linear = summary.linear_share();
    println!(
        "linear layers: {:.0}% of the parameters, {:.1}% of the MACs",
        100.0 * linear.params,
        100.0 * linear.macs
    );
    if let Some(whole) = summary.first_whole_view() {
        println!(
            "one pixel of {} ({}) and later maps sees the whole input: {} px across",
            whole.tap.as_deref().unwrap_or(&whole.name),
            whole.name,
            whole.receptive_field
        );
    }
    Ok(())
}
