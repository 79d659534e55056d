//! `convscope eval`

use anyhow::Result;
use burn::tensor::Device;
use convscope::arch::Preset;
use convscope::model::Model;
use convscope::probe::Knockouts;
use convscope::training::evaluate;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;

use super::assets;

pub fn progress_bar(len: u64, template: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

pub struct Options {
    pub limit: Option<usize>,
    pub knockouts: Knockouts,
    pub json: bool,
}

pub fn run(preset: &Preset, model: &Model, options: &Options, device: &Device) -> Result<()> {
    let Options {
        limit,
        ref knockouts,
        json,
    } = *options;
    let test = assets::mnist_test()?;
    let test = match limit {
        Some(limit) => test.truncated(limit),
        None => test,
    };
    let bar = progress_bar(
        test.len() as u64,
        "evaluating {bar:30} {pos}/{len} test images",
    );
    if json {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let evaluation = evaluate(model, &test, 256, knockouts, device, |done, _| {
        bar.set_position(done as u64)
    });
    bar.finish_and_clear();
    if json {
        let report = json!({
            "preset": preset.name,
            "knockouts": knockouts.targets(),
            "accuracy": evaluation.accuracy(),
            "correct": evaluation.correct,
            "total": evaluation.total,
            "confusion": evaluation.confusion,
        });
        println!("{report}");
    } else {
        let without = match knockouts.targets().join(", ") {
            parts if parts.is_empty() => String::new(),
            parts => format!(" without {parts}"),
        };
        println!(
            "{preset}{without}: MNIST test accuracy {:.2}% ({}/{})",
            100.0 * evaluation.accuracy(),
            evaluation.correct,
            evaluation.total
        );
    }
    Ok(())
}
