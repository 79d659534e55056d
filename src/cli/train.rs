//! `convscope train`

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use burn::tensor::Device;
use convscope::arch::Preset;
use convscope::model::Model;
use convscope::probe::Knockouts;
use convscope::training::{RunConfig, Schedule, TrainingRun, evaluate, loss_is_sound};
use convscope::weights::save_safetensors;

use super::assets;
use super::eval::progress_bar;

fn save(model: &Model, preset: &Preset, out: &Path) -> Result<()> {
    let bytes = save_safetensors(model, preset.name)?;
    std::fs::write(out, bytes).with_context(|| format!("cannot write {}", out.display()))
}

pub fn run(
    preset: &Preset,
    start: Model,
    config: RunConfig,
    out: &Path,
    device: &Device,
) -> Result<()> {
    let train = assets::mnist_train()?;
    let test = assets::mnist_test()?;
    let epochs = config.epochs;
    let mut run = TrainingRun::new(start, config, &train, device)?;
    let train_config = &run.config().train;
    println!(
        "training {preset} on {} MNIST images, {epochs} epoch(s), batch {}, {} lr {}{}",
        run.train_len(),
        train_config.batch_size,
        train_config.optimizer.name(),
        train_config.learning_rate,
        match run.config().schedule {
            Schedule::Constant => String::new(),
            schedule => format!(" ({} schedule)", schedule.name()),
        }
    );
    let mut saved_epoch = None;
    while !run.is_finished() {
        let epoch = run.progress().epoch;
        let started = Instant::now();
        let bar = progress_bar(
            run.train_len() as u64,
            "epoch {prefix} {bar:30} {pos}/{len} [{elapsed_precise}<{eta_precise}] {msg}",
        );
        bar.set_prefix(format!("{}/{}", epoch + 1, epochs));
        let mut running_loss: Option<f32> = None;
        while let Some(step) = run.step() {
            let loss = step.loss.into_scalar::<f32>();
            if !loss_is_sound(loss) {
                bar.abandon();
                let kept = match saved_epoch {
                    Some(epoch) => format!("{} holds the weights of epoch {epoch}", out.display()),
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
        let evaluation = evaluate(&model, &test, 256, &Knockouts::default(), device, |_, _| {});
        save(&model, preset, out)?;
        saved_epoch = Some(epoch + 1);
        println!(
            "epoch {}/{}: loss {:.4}, test accuracy {:.2}%, {:.0} images/s, {:.0} s; saved {}",
            epoch + 1,
            epochs,
            running_loss.unwrap_or(f32::NAN),
            100.0 * evaluation.accuracy(),
            run.train_len() as f64 / seconds,
            seconds,
            out.display()
        );
    }
    Ok(())
}
