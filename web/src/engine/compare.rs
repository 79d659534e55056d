//! One input through every browser preset, the network the page shows with its current
//! weights, the others with their shipped ones (fetched once): the compare view's inferences
//! and the robustness probe's shift curves.

use convscope::arch::{Preset, PresetKind};
use convscope::inference::prediction_from_logits;
use convscope::model::Model;
use convscope::preprocess::DigitSteps;
use convscope::probe::{Distortion, Knockouts, ShiftCurve};
use convscope::weights::load_safetensors;
use image::GrayImage;

use crate::clock::now_ms;
use crate::fetch::fetch_bytes;
use crate::protocol::{ComparedNetwork, NetworkShiftCurve};

/// Browser presets with their shipped weights, loaded on first use.
#[derive(Default)]
pub struct Contenders {
    shipped: Vec<(&'static Preset, Model)>,
}

impl Contenders {
    async fn shipped(&mut self, preset: &'static Preset, like: &Model) -> Result<Model, String> {
        if let Some((_, model)) = self.shipped.iter().find(|(p, _)| p.name == preset.name) {
            return Ok(model.clone());
        }
        let bytes = fetch_bytes(&format!("weights/{}.safetensors", preset.name), |_, _| {}).await?;
        let device = super::model_device(like)?;
        let model = load_safetensors(&Model::from_preset(preset, &device), &bytes)
            .map_err(|e| format!("{}: {e}", preset.name))?;
        self.shipped.push((preset, model.clone()));
        Ok(model)
    }

    /// Runs `steps` through every browser preset; `current` is the page's network.
    pub async fn compare(
        &mut self,
        steps: &DigitSteps,
        current: (Model, &'static Preset),
    ) -> Result<Vec<ComparedNetwork>, String> {
        let mut results = Vec::new();
        for (preset, model, is_current) in self.networks(current).await? {
            let started = now_ms();
            let input = steps.network_input(preset.input, &super::model_device(&model)?);
            let logits = model
                .forward(input)
                .into_data_async()
                .await
                .map_err(|e| format!("reading results from the device: {e:?}"))?
                .try_into_vec::<f32>()
                .map_err(|e| format!("reading results from the device: {e:?}"))?;
            let prediction = prediction_from_logits(&logits);
            results.push(ComparedNetwork {
                preset: preset.name.to_string(),
                probabilities: prediction.probabilities,
                class: prediction.class,
                compute_ms: now_ms() - started,
                current: is_current,
            });
        }
        Ok(results)
    }

    /// Every browser preset with the model to run: the current one, or the shipped weights.
    async fn networks(
        &mut self,
        (current_model, current_preset): (Model, &'static Preset),
    ) -> Result<Vec<(&'static Preset, Model, bool)>, String> {
        let mut networks = Vec::new();
        for preset in Preset::ALL.iter().filter(|p| p.kind == PresetKind::Browser) {
            let is_current = preset.name == current_preset.name;
            let model = if is_current {
                current_model.clone()
            } else {
                self.shipped(preset, &current_model).await?
            };
            networks.push((preset, model, is_current));
        }
        Ok(networks)
    }

    /// The probability of `class` as `digit` (distorted by `base`) shifts, for every browser
    /// preset; `knockouts` apply to the current network only (they name its parts).
    pub async fn shift_curves(
        &mut self,
        digit: &GrayImage,
        current: (Model, &'static Preset),
        knockouts: &Knockouts,
        base: &Distortion,
        class: usize,
    ) -> Result<Vec<NetworkShiftCurve>, String> {
        let mut curves = Vec::new();
        for (preset, model, is_current) in self.networks(current).await? {
            let device = super::model_device(&model)?;
            let digits = ShiftCurve::batch(digit, base, &device);
            let input = convscope::data::network_input(digits, preset.input);
            let knockouts = if is_current {
                knockouts
            } else {
                &Knockouts::default()
            };
            let logits = model
                .forward_with_knockouts(input, knockouts)
                .into_data_async()
                .await
                .map_err(|e| format!("reading results from the device: {e:?}"))?
                .try_into_vec::<f32>()
                .map_err(|e| format!("reading results from the device: {e:?}"))?;
            curves.push(NetworkShiftCurve {
                preset: preset.name.to_string(),
                curve: ShiftCurve::from_logits(class, &logits),
            });
        }
        Ok(curves)
    }
}
