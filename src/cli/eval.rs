//! `convscope eval`

use anyhow::Result;
use burn::tensor::Device;
use convscope::arch::Preset;
use convscope::model::Model;
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

pub fn run(
    preset: &Preset,
    model: &Model,
    limit: Option<usize>,
    json: bool,
    device: &Device,
) -> Result<()> {
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
    let evaluation = evaluate(model, &test, 256, device, |done, _| {
        bar.set_position(done as u64)
    });
    bar.finish_and_clear();
    if json {
        let report = json!({
            "preset": preset.name,
            "accuracy": evaluation.accuracy(),
            "correct": evaluation.correct,
            "total": evaluation.total,
            "confusion": evaluation.confusion,
        });
        println!("{report}");
    } else {
        println!(
            "{preset}: MNIST test accuracy {:.2}% ({}/{})",
            100.0 * evaluation.accuracy(),
            evaluation.correct,
            evaluation.total
        );
    }
    Ok(())
}
