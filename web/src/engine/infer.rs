//! One inference: preprocess the input (and distort it, if asked), run the network once with
//! its taps and knock-outs, read everything back from the device in one transaction; then,
//! if asked, say where the network looked.

use burn::tensor::{Tensor, Transaction};
use convscope::arch::Preset;
use convscope::data::{MNIST_MEAN, MNIST_STD};
use convscope::inference::prediction_from_logits;
use convscope::model::Model;
use convscope::preprocess::{DigitSteps, digit_from_drawing, digit_from_file, shrink_to_fit};
use convscope::probe::{Knockouts, Maps, default_cam_tap, explain_async};
use convscope::taps::TapRecorder;
use image::GrayImage;
use serde_bytes::ByteBuf;

use super::mnist::{Mnist, pick};
use crate::clock::{epoch_ms, now_ms};
use crate::protocol::{
    DigitInput, FloatTensor, GrayPixels, Inference, InferenceTiming, ProbeSettings, Steps,
    TapValues,
};

/// Preprocessing stages are shown small; larger images are scaled down before they travel.
const STEP_PREVIEW_SIDE: u32 = 112;

/// What the pixel maths needs of the latest inference: its network input and knock-outs.
pub struct LastInput {
    pub id: u64,
    pub input: Tensor<4>,
    pub knockouts: Knockouts,
}

/// Times the stages of one inference, one lap after another.
struct Stopwatch {
    started_at: f64,
    lap_started: f64,
}

impl Stopwatch {
    fn start() -> Self {
        Self {
            started_at: epoch_ms(),
            lap_started: now_ms(),
        }
    }

    /// Milliseconds since the last lap.
    fn lap(&mut self) -> f64 {
        let now = now_ms();
        let lap = now - self.lap_started;
        self.lap_started = now;
        lap
    }
}

/// The inference, and what the pixel maths needs of it.
pub async fn run(
    model: &Model,
    preset: &Preset,
    id: u64,
    input: DigitInput,
    probe: &ProbeSettings,
    mnist: &mut Mnist,
) -> Result<(Inference, LastInput), String> {
    let started = now_ms();
    let mut stopwatch = Stopwatch::start();
    let knockouts =
        Knockouts::parse(&probe.knockouts, model.architecture()).map_err(|e| e.to_string())?;
    let (mut steps, test_digit) = digit_steps(input, mnist).await?;
    steps.digit = probe.distortion.apply(&steps.digit);
    let device = super::model_device(model)?;
    let input = steps.network_input(preset.input, &device);
    let preprocess_ms = stopwatch.lap();
    let mut recorder = TapRecorder::default().with_knockouts(&knockouts);
    let logits = model.forward_recording(input.clone(), &mut recorder);
    let taps = recorder.into_taps();
    let forward_ms = stopwatch.lap();
    // [1, 10], [1, c, h, w] and one [1, c, h, w] per tap, read back together.
    let transaction = taps.iter().fold(
        Transaction::default()
            .register(logits)
            .register(input.clone()),
        |transaction, tap| transaction.register(tap.activation.clone()),
    );
    let data = transaction
        .execute_async()
        .await
        .map_err(|e| format!("reading results from the device: {e:?}"))?;
    let readback_ms = stopwatch.lap();
    let mut data = data.into_iter().map(|data| {
        let shape: Vec<usize> = data.shape().to_vec();
        data.try_into_vec::<f32>()
            .map(|values| (shape, values))
            .map_err(|e| format!("reading results from the device: {e:?}"))
    });
    let (_, logits) = data.next().ok_or("no logits came back")??;
    let (input_shape, input_values) = data.next().ok_or("no input came back")??;
    let taps = taps
        .iter()
        .zip(data)
        .map(|(tap, read)| {
            let (shape, values) = read?;
            Ok(TapValues {
                name: tap.name.clone(),
                activation: FloatTensor::new(shape[1..].to_vec(), &values),
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let prediction = prediction_from_logits(&logits);
    let mut package_ms = stopwatch.lap();
    let explanation = match &probe.explain {
        Some(settings) => {
            let cam_tap = match &settings.cam_tap {
                Some(tap) => tap.clone(),
                None => default_cam_tap(model.architecture())
                    .ok_or("this network has no map for Grad-CAM")?,
            };
            let explanation = explain_async(
                model,
                input.clone(),
                settings.class,
                &cam_tap,
                Maps::Both,
                &knockouts,
            )
            .await
            .map_err(|e| e.to_string())?;
            Some(explanation)
        }
        None => None,
    };
    let explain_ms = stopwatch.lap();
    let steps = Steps {
        original: preview(&steps.original),
        cropped: preview(&steps.cropped),
        digit: gray_pixels(&steps.digit),
        network_input: network_input_preview(&input_shape, &input_values),
        placement: steps.placement,
    };
    package_ms += stopwatch.lap();
    let inference = Inference {
        id,
        probabilities: prediction.probabilities,
        class: prediction.class,
        steps,
        taps,
        mnist: test_digit,
        knockouts: knockouts.targets(),
        explanation,
        compute_ms: now_ms() - started,
        timing: InferenceTiming {
            started_at: stopwatch.started_at,
            preprocess_ms,
            forward_ms,
            readback_ms,
            explain_ms,
            package_ms,
            finished_at: epoch_ms(),
        },
    };
    Ok((
        inference,
        LastInput {
            id,
            input,
            knockouts,
        },
    ))
}

pub(super) async fn digit_steps(
    input: DigitInput,
    mnist: &mut Mnist,
) -> Result<(DigitSteps, Option<(usize, u8)>), String> {
    match input {
        DigitInput::Drawing {
            width,
            height,
            rgba,
        } => Ok((
            digit_from_drawing(width, height, rgba.into_vec()).map_err(|e| e.to_string())?,
            None,
        )),
        DigitInput::File { name, bytes } => Ok((
            digit_from_file(&bytes).map_err(|e| format!("{name}: {e}"))?,
            None,
        )),
        DigitInput::MnistTest { index, class } => {
            let split = mnist.test().await?;
            let index = match index {
                Some(index) if index < split.len() => index,
                Some(index) => return Err(format!("MNIST has no test digit #{index}")),
                None => pick(split, class)?,
            };
            let steps =
                DigitSteps::mnist(split, index).ok_or("an MNIST image has the wrong size")?;
            Ok((steps, Some((index, split.label(index)))))
        }
    }
}

fn gray_pixels(image: &GrayImage) -> GrayPixels {
    GrayPixels {
        width: image.width(),
        height: image.height(),
        pixels: ByteBuf::from(image.as_raw().clone()),
    }
}

fn preview(image: &GrayImage) -> GrayPixels {
    gray_pixels(&shrink_to_fit(image, STEP_PREVIEW_SIDE))
}

/// The first channel of the normalized input, back in 0..255.
fn network_input_preview(shape: &[usize], values: &[f32]) -> GrayPixels {
    let (height, width) = (shape[2], shape[3]);
    let pixels: Vec<u8> = values[..height * width]
        .iter()
        .map(|v| {
            ((v * MNIST_STD + MNIST_MEAN) * 255.0)
                .round()
                .clamp(0.0, 255.0) as u8
        })
        .collect();
    GrayPixels {
        width: width as u32,
        height: height as u32,
        pixels: ByteBuf::from(pixels),
    }
}
