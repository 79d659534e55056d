//! `convscope train`

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use burn::tensor::Device;
use convscope::arch::Preset;
use convscope::data::{batch_from_indices, epoch_order};
use convscope::model::Model;
use convscope::training::{TrainConfig, Trainer, cosine_learning_rate, evaluate};
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
    let train = match options.train_size {
        Some(size) => train.truncated(size),
        None => train,
    };
    let test = assets::mnist_test()?;
    let config = &options.config;
    let mut trainer = Trainer::new(start, config.clone(), device);
    let batch_size = config.batch_size.max(1);
    println!(
        "training {preset} on {} MNIST images, {} epoch(s), batch {batch_size}, {:?} lr {}{}",
        train.len(),
        options.epochs,
        config.optimizer,
        config.learning_rate,
        if options.cosine { " (cosine)" } else { "" }
    );
    let steps_per_epoch = train.len().div_ceil(batch_size) as u64;
    let total_steps = steps_per_epoch * options.epochs;
    let mut saved_epoch = None;
    for epoch in 0..options.epochs {
        let started = Instant::now();
        let order = epoch_order(train.len(), config.seed, epoch);
        let bar = progress_bar(
            train.len() as u64,
            "epoch {prefix} {bar:30} {pos}/{len} [{elapsed_precise}<{eta_precise}] {msg}",
        );
        bar.set_prefix(format!("{}/{}", epoch + 1, options.epochs));
        let mut running_loss: Option<f32> = None;
        for indices in order.chunks(batch_size) {
            if options.cosine {
                trainer.set_learning_rate(cosine_learning_rate(
                    config.learning_rate,
                    trainer.steps(),
                    total_steps,
                ));
            }
            let batch = batch_from_indices(&train, indices, device);
            let loss = trainer.step(&batch).into_scalar::<f32>();
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
                    trainer.steps()
                );
            }
            let smoothed = running_loss.map_or(loss, |previous| 0.95 * previous + 0.05 * loss);
            running_loss = Some(smoothed);
            bar.inc(indices.len() as u64);
            bar.set_message(format!("loss {smoothed:.4}"));
        }
        bar.finish_and_clear();
        let seconds = started.elapsed().as_secs_f64();
        let model = trainer.model();
        let evaluation = evaluate(&model, &test, 256, device, |_, _| {});
        save(&model, preset, &options.out)?;
        saved_epoch = Some(epoch + 1);
        println!(
            "epoch {}/{}: loss {:.4}, test accuracy {:.2}%, {:.0} images/s, {:.0} s; saved {}",
            epoch + 1,
            options.epochs,
            running_loss.unwrap_or(f32::NAN),
            100.0 * evaluation.accuracy(),
            train.len() as f64 / seconds,
            seconds,
            options.out.display()
        );
    }
    Ok(())
}
