//! Native throughput per preset: training images/s and batch-1 inference latency, on the CPU
//! backend (burn Flex) and on wgpu where an adapter exists. Prints a Markdown table.
//!
//! cargo bench --bench native [-- --quick]

use std::time::{Duration, Instant};

use burn::tensor::{Device, Distribution, Int, Tensor};
use convscope::arch::{Preset, PresetKind};
use convscope::data::Batch;
use convscope::model::Model;
use convscope::training::{TrainConfig, Trainer};

const BATCH: usize = 64;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn random_batch(device: &Device) -> Batch {
    Batch {
        digits: Tensor::random([BATCH, 1, 28, 28], Distribution::Normal(0.0, 1.0), device),
        targets: Tensor::<1, Int>::from_data(
            (0..BATCH as i64)
                .map(|i| i % 10)
                .collect::<Vec<_>>()
                .as_slice(),
            device,
        ),
    }
}

fn train_images_per_second(preset: &Preset, device: &Device, steps: usize) -> f64 {
    let mut trainer = Trainer::new(
        Model::from_preset(preset, device),
        TrainConfig::default(),
        device,
    );
    let batch = random_batch(device);
    trainer.step(&batch).into_scalar::<f32>();
    let started = Instant::now();
    for _ in 0..steps {
        trainer.step(&batch).into_scalar::<f32>();
    }
    (steps * BATCH) as f64 / started.elapsed().as_secs_f64()
}

fn inference_latency(preset: &Preset, device: &Device, runs: usize) -> Duration {
    let model = Model::from_preset(preset, device);
    let [c, h, w] = preset.input;
    let input = Tensor::<4>::random([1, c, h, w], Distribution::Default, device);
    model.forward(input.clone()).into_data();
    median(
        (0..runs)
            .map(|_| {
                let started = Instant::now();
                model.forward(input.clone()).into_data();
                started.elapsed()
            })
            .collect(),
    )
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    format!("{cpu}, {cores} cores")
}

fn main() {
    let quick = std::env::args().any(|arg| arg == "--quick");
    let (steps, runs) = if quick { (3, 5) } else { (20, 30) };
    let mut devices = vec![("cpu (flex)", Device::flex())];
    match Device::wgpu_options().init() {
        Ok(device) => devices.push(("wgpu", device)),
        Err(error) => eprintln!("wgpu unavailable ({error:?}); CPU only"),
    }
    println!("machine: {}", machine());
    println!("training batch {BATCH}, {steps} timed steps; inference batch 1, median of {runs}\n");
    println!("| preset | backend | train img/s | inference ms |");
    println!("|---|---|---:|---:|");
    for preset in Preset::ALL.iter().filter(|p| p.kind == PresetKind::Browser) {
        for (name, device) in &devices {
            let throughput = train_images_per_second(preset, device, steps);
            let latency = inference_latency(preset, device, runs);
            println!(
                "| {} | {name} | {throughput:.0} | {:.2} |",
                preset.name,
                latency.as_secs_f64() * 1e3
            );
        }
    }
}
