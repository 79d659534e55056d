//! `convscope infer`

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use burn::tensor::{Device, Tensor, TensorData};
use convscope::arch::Preset;
use convscope::inference::prediction_from_logits;
use convscope::model::Model;
use convscope::preprocess::{DigitSteps, digit_from_file};

use super::assets;
use super::npy::parse_npy;

/// A `.npy` NCHW float32 tensor used as it is, or an image preprocessed as the app does.
fn input_tensor(preset: &Preset, model: &Model, path: &Path, device: &Device) -> Result<Tensor<4>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let is_npy = path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("npy"));
    if !is_npy {
        let steps = digit_from_file(&bytes).with_context(|| format!("{}", path.display()))?;
        return Ok(steps.network_input(preset.input, device));
    }
    let array = parse_npy(&bytes).with_context(|| format!("{}", path.display()))?;
    let dims: [usize; 4] = match array.shape[..] {
        [1, c, h, w] | [c, h, w] => [1, c, h, w],
        _ => bail!(
            "{}: expected a [1, C, H, W] tensor, got shape {:?}",
            path.display(),
            array.shape
        ),
    };
    model.check_input(preset.name, [dims[1], dims[2], dims[3]])?;
    Ok(Tensor::from_data(
        TensorData::new(array.values, dims),
        device,
    ))
}

/// What to classify.
pub enum Input {
    File(PathBuf),
    /// A digit of MNIST's test set, by index.
    MnistTest(usize),
}

fn mnist_input(preset: &Preset, index: usize, device: &Device) -> Result<Tensor<4>> {
    let test = assets::mnist_test()?;
    let steps = DigitSteps::mnist(&test, index).with_context(|| {
        format!(
            "MNIST's test set has digits 0 to {}, not {index}",
            test.len() - 1
        )
    })?;
    Ok(steps.network_input(preset.input, device))
}

pub fn run(
    preset: &Preset,
    model: &Model,
    input: &Input,
    json: bool,
    device: &Device,
) -> Result<()> {
    let input = match input {
        Input::File(path) => input_tensor(preset, model, path, device)?,
        Input::MnistTest(index) => mnist_input(preset, *index, device)?,
    };
    let logits = model
        .forward(input)
        .into_data()
        .try_to_vec::<f32>()
        .map_err(|error| anyhow::anyhow!("cannot read the logits: {error:?}"))?;
    let prediction = prediction_from_logits(&logits);
    if json {
        println!("{}", serde_json::to_string(&prediction)?);
        return Ok(());
    }
    println!(
        "{preset} predicts {} ({:.1}%)",
        prediction.class,
        100.0 * prediction.probabilities[prediction.class]
    );
    for (digit, probability) in prediction.probabilities.iter().enumerate() {
        let bar = "█".repeat((probability * 40.0).round() as usize);
        println!("  {digit}  {:>6.2}%  {bar}", 100.0 * probability);
    }
    Ok(())
}
