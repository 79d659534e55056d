//! Native throughput per preset: training images/s (with and without the layers' health
//! measured), batch-1 inference latency and the cost of a saliency map and of a Grad-CAM beside
//! it, on the CPU backend (burn Flex) and on wgpu where an adapter exists. Prints Markdown
//! tables.
//!
//! cargo bench --bench native [--features autotune] [-- --quick] [-- --wgpu-only] [-- --seed]
//!
//! `--seed` times the seed networks (the blog's sizes, up to VGG's 224×224 and 515 MB) instead
//! of the browser presets: work for a real GPU, so on wgpu only.

use std::time::{Duration, Instant};

use burn::tensor::{Device, Distribution, Int, Tensor};
use convscope::arch::{Preset, PresetKind};
use convscope::data::Batch;
use convscope::model::Model;
use convscope::preprocess::digit_from_drawing;
use convscope::probe::{Knockouts, Maps, default_cam_tap, explain};
use convscope::training::{TrainConfig, Trainer, activation_health};

const BATCH: usize = 64;
/// The app measures the layers' health every 2 s, every 15 to 40 steps on a CPU; the bench
/// takes the dear end.
const HEALTH_EVERY: usize = 15;

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

/// The first step's time (on a GPU: its kernels compiled, and tuned with `autotune`) and the
/// training throughput in images/s of the `steps` after it; with `health_every`, the layers'
/// health (gradient norms, and the ReLUs' health on 32 digits) is measured on every that many
/// steps, read back with the loss.
fn train_timed(
    preset: &Preset,
    device: &Device,
    steps: usize,
    health_every: Option<usize>,
) -> (Duration, f64) {
    let mut trainer = Trainer::new(
        Model::from_preset(preset, device),
        TrainConfig::default(),
        device,
    );
    let batch = random_batch(device);
    let [c, h, w] = preset.input;
    let probe = Tensor::<4>::random([32, c, h, w], Distribution::Default, device);
    let first = Instant::now();
    trainer.step(&batch).into_scalar::<f32>();
    let first_step = first.elapsed();
    let started = Instant::now();
    for step in 0..steps {
        let measure = health_every.is_some_and(|every| step % every == 0);
        let (loss, norms) = trainer.step_measuring(&batch, measure);
        loss.into_scalar::<f32>();
        if let Some(norms) = norms {
            norms.squared.into_data();
            if let Some(health) = activation_health(&trainer.model(), probe.clone()) {
                health.dead.into_data();
            }
        }
    }
    let throughput = (steps * BATCH) as f64 / started.elapsed().as_secs_f64();
    (first_step, throughput)
}

/// The median time of `runs` calls of `work` (after one untimed call).
fn median_time(runs: usize, mut work: impl FnMut()) -> Duration {
    work();
    median(
        (0..runs)
            .map(|_| {
                let started = Instant::now();
                work();
                started.elapsed()
            })
            .collect(),
    )
}

fn random_input(preset: &Preset, device: &Device) -> Tensor<4> {
    let [c, h, w] = preset.input;
    Tensor::<4>::random([1, c, h, w], Distribution::Default, device)
}

fn inference_latency(preset: &Preset, device: &Device, runs: usize) -> Duration {
    let model = Model::from_preset(preset, device);
    let input = random_input(preset, device);
    median_time(runs, || {
        model.forward(input.clone()).into_data();
    })
}

/// One map's time (forward, backward, readback) for the predicted class.
fn explanation_latency(preset: &Preset, device: &Device, maps: Maps, runs: usize) -> Duration {
    let model = Model::from_preset(preset, device);
    let input = random_input(preset, device);
    let tap = default_cam_tap(model.architecture()).unwrap_or_default();
    let none = Knockouts::default();
    median_time(runs, || {
        explain(&model, input.clone(), None, &tap, maps, &none).expect("a preset explains");
    })
}

/// A 280×280 drawing canvas as the page sends it: opaque white, a black stroke like a 7's.
fn drawn_seven() -> Vec<u8> {
    const SIDE: usize = 280;
    let mut rgba = vec![255u8; SIDE * SIDE * 4];
    let mut ink = |x: usize, y: usize| {
        for dy in 0..18 {
            for dx in 0..18 {
                let at = ((y + dy).min(SIDE - 1) * SIDE + (x + dx).min(SIDE - 1)) * 4;
                rgba[at..at + 3].fill(0);
            }
        }
    };
    for x in 70..210 {
        ink(x, 70);
    }
    for step in 0..140 {
        ink(210 - step / 2, 70 + step);
    }
    rgba
}

/// Preprocessing a drawing as the worker does: halved to 140×140, the ink found, cropped,
/// scaled and centred (the page's steps), and the network's input built from it.
fn preprocessing_latency(preset: &Preset, device: &Device, runs: usize) -> (Duration, Duration) {
    let rgba = drawn_seven();
    let steps = digit_from_drawing(280, 280, rgba.clone()).expect("a drawing has ink");
    let digit = median_time(runs, || {
        digit_from_drawing(280, 280, rgba.clone()).expect("a drawing has ink");
    });
    let input = median_time(runs, || {
        steps.network_input(preset.input, device).into_data();
    });
    (digit, input)
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

/// The wgpu device and its adapter in words (name, type, graphics API, driver).
#[cfg(feature = "wgpu")]
fn wgpu_device() -> Option<(Device, String)> {
    match Device::wgpu_options().init_with_setup() {
        Ok((device, setup)) => {
            let info = setup.adapter.get_info();
            let adapter = format!(
                "{} ({:?}, {:?}, {} {})",
                info.name, info.device_type, info.backend, info.driver, info.driver_info
            );
            Some((device, adapter))
        }
        Err(error) => {
            eprintln!("wgpu unavailable: {error:?}");
            None
        }
    }
}

#[cfg(not(feature = "wgpu"))]
fn wgpu_device() -> Option<(Device, String)> {
    eprintln!("wgpu unavailable: this bench was built without its cargo feature `wgpu`");
    None
}

/// The seed networks on a GPU: training batch 64 (the digits scaled up to each network's
/// input), the first step apart, and batch-1 inference.
fn seed_table(device: &Device, steps: usize, runs: usize) {
    println!(
        "seed networks on wgpu: training batch {BATCH}, {steps} timed steps after the first; \
         inference batch 1, median of {runs}\n"
    );
    println!("| network | input | first step s | train img/s | inference ms |");
    println!("|---|---|---:|---:|---:|");
    for preset in Preset::ALL.iter().filter(|p| p.kind == PresetKind::Seed) {
        let [c, h, w] = preset.input;
        // A network too large for the adapter (a buffer over its limit) fails its row, not the
        // table.
        let timed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let (first_step, throughput) = train_timed(preset, device, steps, None);
            (
                first_step,
                throughput,
                inference_latency(preset, device, runs),
            )
        }));
        match timed {
            Ok((first_step, throughput, latency)) => println!(
                "| {} | {c}×{h}×{w} | {:.2} | {throughput:.0} | {:.2} |",
                preset.name,
                first_step.as_secs_f64(),
                latency.as_secs_f64() * 1e3
            ),
            Err(_) => println!("| {} | {c}×{h}×{w} | failed (above) | | |", preset.name),
        }
    }
}

fn main() {
    let flag = |name: &str| std::env::args().any(|arg| arg == name);
    let (steps, runs) = if flag("--quick") { (3, 5) } else { (60, 30) };
    let mut devices = Vec::new();
    if !flag("--wgpu-only") {
        devices.push(("cpu (flex)", Device::flex()));
    }
    println!("machine: {}", machine());
    let wgpu = wgpu_device();
    if let Some((device, adapter)) = &wgpu {
        let autotune = if cfg!(feature = "autotune") {
            "on"
        } else {
            "off"
        };
        println!("wgpu adapter: {adapter}; autotune {autotune}");
        devices.push(("wgpu", device.clone()));
    }
    if flag("--seed") {
        match &wgpu {
            Some((device, _)) => seed_table(device, steps.min(10), runs.min(10)),
            None => eprintln!("--seed times the seed networks on wgpu, and no adapter was found"),
        }
        return;
    }
    println!("training batch {BATCH}, {steps} timed steps; inference batch 1, median of {runs}\n");
    println!(
        "| preset | backend | first step s | train img/s | with layer health every {HEALTH_EVERY} steps | inference ms |"
    );
    println!("|---|---|---:|---:|---:|---:|");
    let browser_presets = || Preset::ALL.iter().filter(|p| p.kind == PresetKind::Browser);
    let ms = |time: Duration| time.as_secs_f64() * 1e3;
    for preset in browser_presets() {
        for (name, device) in &devices {
            let (first_step, throughput) = train_timed(preset, device, steps, None);
            let (_, watched) = train_timed(preset, device, steps, Some(HEALTH_EVERY));
            let latency = inference_latency(preset, device, runs);
            println!(
                "| {} | {name} | {:.2} | {throughput:.0} | {watched:.0} ({:+.0} %) | {:.2} |",
                preset.name,
                first_step.as_secs_f64(),
                100.0 * (watched / throughput - 1.0),
                ms(latency)
            );
        }
    }
    println!("\na 280×280 drawing to the network's input, median of {runs}\n");
    println!(
        "| preset | backend | halved, ink found, cropped, centred (28×28) ms | network input ms |"
    );
    println!("|---|---|---:|---:|");
    for preset in browser_presets() {
        for (name, device) in &devices {
            let (digit, input) = preprocessing_latency(preset, device, runs);
            println!(
                "| {} | {name} | {:.2} | {:.2} |",
                preset.name,
                ms(digit),
                ms(input)
            );
        }
    }
    const EXPLANATION_RUNS: usize = 5;
    println!("\nbatch 1, median of {EXPLANATION_RUNS}; Grad-CAM at the default tap\n");
    println!("| preset | backend | inference ms | saliency ms | Grad-CAM ms (tap) |");
    println!("|---|---|---:|---:|---:|");
    for preset in browser_presets() {
        let tap = default_cam_tap(&preset.architecture()).unwrap_or_default();
        for (name, device) in &devices {
            let inference = inference_latency(preset, device, EXPLANATION_RUNS);
            let saliency = explanation_latency(preset, device, Maps::Saliency, EXPLANATION_RUNS);
            let cam = explanation_latency(preset, device, Maps::GradCam, EXPLANATION_RUNS);
            println!(
                "| {} | {name} | {:.2} | {:.2} | {:.2} ({tap}) |",
                preset.name,
                ms(inference),
                ms(saliency),
                ms(cam)
            );
        }
    }
}
