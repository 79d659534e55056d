//! `convscope train`

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use burn::tensor::Device;
use convscope::arch::Preset;
use convscope::model::Model;
use convscope::training::{RunConfig, TrainConfig, TrainingRun, evaluate};
use convscope::weights::save_safetensors;

use super::assets;
use super::eval::progress_bar;

pub struct TrainOptions {
    pub config: TrainConfig,
    pub epochs: u64,
    pub train_size: Option<usize>,
    /// Anneal the learning rate to zero over the run along a half cosine.
    pub cosine: bool,
    pub out: PathBuf,
}

fn save(model: &Model, preset: &Preset, out: &PathBuf) -> Result<()> {
    let bytes = save_safetensors(model, preset.name)?;
    std::fs::write(out, bytes).with_context(|| format!("cannot write {}", out.display()))
}

pub fn run(preset: &Preset, start: Model, options: &TrainOptions, device: &Device) -> Result<()> {
    let train = assets::mnist_train()?;
    let test = assets::mnist_test()?;
    let config = RunConfig {
        train: options.config.clone(),
        epochs: options.epochs,
        train_size: options.train_size,
        cosine: options.cosine,
    };
    let mut run = TrainingRun::new(start, config, &train, device);
    let train_config = &options.config;
    println!(
        "training {preset} on {} MNIST images, {} epoch(s), batch {}, {:?} lr {}{}",
        run.train_len(),
        options.epochs,
        train_config.batch_size.max(1),
        train_config.optimizer,
        train_config.learning_rate,
        if options.cosine { " (cosine)" } else { "" }
    );
    let mut saved_epoch = None;
    while !run.is_finished() {
        let epoch = run.progress().epoch;
        let started = Instant::now();
        let bar = progress_bar(
            run.train_len() as u64,
            "epoch {prefix} {bar:30} {pos}/{len} [{elapsed_precise}<{eta_precise}] {msg}",
        );
        bar.set_prefix(format!("{}/{}", epoch + 1, options.epochs));
        let mut running_loss: Option<f32> = None;
        while let Some(step) = run.step() {
            let loss = step.loss.into_scalar::<f32>();
            if !loss.is_finite() {
                bar.abandon();
                let kept = match saved_epoch {
                    Some(epoch) => format!(
                        "{} holds the weights of epoch {epoch}",
                        options.out.display()
                    ),
                    None => "no epoch finished, nothing was saved".into(),
                };
                bail!(
                    "training diverged at step {} (loss is {loss}); lower --lr; {kept}",
                    run.progress().steps
                );
            }
            let smoothed = running_loss.map_or(loss, |previous| 0.95 * previous + 0.05 * loss);
            running_loss = Some(smoothed);
            bar.inc(step.images as u64);
            bar.set_message(format!("loss {smoothed:.4}"));
            if step.epoch_finished {
                break;
            }
        }
        bar.finish_and_clear();
        let seconds = started.elapsed().as_secs_f64();
        let model = run.model();
        let evaluation = evaluate(&model, &test, 256, device, |_, _| {});
        save(&model, preset, &options.out)?;
        saved_epoch = Some(epoch + 1);
        println!(
            "epoch {}/{}: loss {:.4}, test accuracy {:.2}%, {:.0} images/s, {:.0} s; saved {}",
            epoch + 1,
            options.epochs,
            running_loss.unwrap_or(f32::NAN),
            100.0 * evaluation.accuracy(),
            run.train_len() as f64 / seconds,
            seconds,
            options.out.display()
        );
    }
    Ok(())
}
