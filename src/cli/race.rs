//! `convscope race`

use std::time::Instant;

use anyhow::Result;
use burn::tensor::Device;
use convscope::probe::Knockouts;
use convscope::training::{RACE_MILESTONES, Race, RaceAxis, RaceConfig, RaceStanding, evaluate};

use super::assets;

/// Drives the race step by step; seconds count each step and its loss readback, as in the
/// browser, and not the accuracy measurements.
pub fn run(config: RaceConfig, json: bool, device: &Device) -> Result<()> {
    let train = assets::mnist_train()?;
    let test = assets::mnist_test()?.truncated(config.test_digits);
    let mut race = Race::new(config, &train, device)?;
    loop {
        let due = (0..race.lanes()).find(|&lane| race.standing().evaluation_due(lane));
        if let Some(lane) = due {
            let model = race.model(lane).expect("a lane's network");
            let accuracy =
                evaluate(&model, &test, 250, &Knockouts::default(), device, |_, _| {}).accuracy();
            race.record_accuracy(lane, accuracy);
            if !json {
                let lane = &race.standing().lanes[lane];
                println!(
                    "{:<15} {:>7} images {:>7.1} s  test accuracy {:.2}%",
                    lane.preset,
                    lane.images,
                    lane.seconds,
                    100.0 * accuracy
                );
            }
            continue;
        }
        let Some(lane) = race.standing().next_lane() else {
            break;
        };
        let started = Instant::now();
        let losses: Vec<f32> = race
            .step(lane)
            .map(|step| step.loss.into_scalar::<f32>())
            .into_iter()
            .collect();
        race.record_slice(lane, &losses, started.elapsed().as_secs_f64());
    }
    if json {
        println!("{}", serde_json::to_string(race.standing())?);
    } else {
        print_result(race.standing());
    }
    Ok(())
}

fn print_result(standing: &RaceStanding) {
    println!();
    for lane in &standing.lanes {
        let accuracy = lane.accuracies.last().map_or(f64::NAN, |p| p.value);
        let reached: Vec<String> = RACE_MILESTONES
            .iter()
            .map(|&m| match lane.reached(m) {
                Some(p) => format!(
                    "{:.0}% at {} images, {:.1} s",
                    m * 100.0,
                    p.images,
                    p.seconds
                ),
                None => format!("{:.0}% not reached", m * 100.0),
            })
            .collect();
        let diverged = lane
            .diverged_at
            .map(|step| format!(" (diverged at step {step})"))
            .unwrap_or_default();
        println!(
            "{:<15} {:>7} images {:>7.1} s  {:.2}%  {}{diverged}",
            lane.preset,
            lane.images,
            lane.seconds,
            100.0 * accuracy,
            reached.join("; ")
        );
    }
    for &milestone in &RACE_MILESTONES {
        let first = |axis| {
            standing
                .first_to(milestone, axis)
                .map_or("nobody", |lane| standing.lanes[lane].preset.as_str())
        };
        println!(
            "first to {:.0}%: {} by images, {} by seconds",
            milestone * 100.0,
            first(RaceAxis::Images),
            first(RaceAxis::Seconds)
        );
    }
}
