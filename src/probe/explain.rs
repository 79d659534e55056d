//! Where the network looked. Saliency: `|∂ score_c / ∂ input|`, the largest over the input's
//! channels, at every input pixel. Grad-CAM at a tap with maps `A_k`:
//! `ReLU(Σ_k α_k A_k)` with `α_k` the mean over the map of `∂ score_c / ∂ A_k`. `score_c` is
//! the logit of class `c` (the predicted one unless a class is asked for). Each is one forward
//! and one backward pass on the autodiff twin of the model's device, with the model frozen:
//! running statistics, no dropout, no gradient kept for the weights.

use burn::module::Module;
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor, TensorData, Transaction};
use serde::{Deserialize, Serialize};

use super::Knockouts;
use crate::arch::{Architecture, CLASSES, TapKind};
use crate::inference::prediction_from_logits;
use crate::model::Model;
use crate::taps::TapRecorder;

/// A map of non-negative values, row-major.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Heatmap {
    pub height: usize,
    pub width: usize,
    pub values: Vec<f32>,
}

impl Heatmap {
    pub fn max(&self) -> f32 {
        self.values.iter().copied().fold(0.0, f32::max)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// The class explained.
    pub class: usize,
    /// Whether it is the network's prediction (no class was asked for).
    pub predicted: bool,
    /// At the network input's size (empty when not asked for).
    pub saliency: Heatmap,
    pub cam_tap: String,
    /// At the tap's size (empty when not asked for).
    pub cam: Heatmap,
}

/// Which maps to compute (each costs one forward and one backward pass).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Maps {
    Both,
    Saliency,
    GradCam,
}

impl Maps {
    fn saliency(self) -> bool {
        self != Maps::GradCam
    }

    fn cam(self) -> bool {
        self != Maps::Saliency
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExplainError {
    #[error("Grad-CAM needs a tap with feature maps; `{0}` has none")]
    NotAMap(String),
    #[error("there is no class {0}; the classes are 0 to 9")]
    NoClass(usize),
    #[error("reading the explanation back: {0}")]
    Readback(String),
}

/// Taps Grad-CAM can use: those with maps larger than one pixel.
pub fn grad_cam_taps(architecture: &Architecture) -> Vec<String> {
    architecture
        .taps()
        .unwrap_or_default()
        .into_iter()
        .filter(|tap| tap.kind != TapKind::Hidden && tap.shape[1] * tap.shape[2] > 1)
        .map(|tap| tap.name)
        .collect()
}

/// Maps smaller than this on a side are too coarse to point at a part of the digit.
const MIN_CAM_SIDE: usize = 3;

/// Grad-CAM's usual choice, the last convolutional output (a convolution, an Inception or a
/// residual block) before the network pools its maps away; but at least 3×3, since the browser
/// presets' last maps are 2×2 and would light the whole digit alike.
pub fn default_cam_tap(architecture: &Architecture) -> Option<String> {
    architecture
        .taps()
        .unwrap_or_default()
        .into_iter()
        .filter(|tap| {
            matches!(
                tap.kind,
                TapKind::Conv | TapKind::Inception | TapKind::Residual
            ) && tap.shape[1].min(tap.shape[2]) >= MIN_CAM_SIDE
        })
        .map(|tap| tap.name)
        .next_back()
}

/// The `maps` of `input` (`[1, c, h, w]`, preprocessed), read back synchronously.
pub fn explain(
    model: &Model,
    input: Tensor<4>,
    class: Option<usize>,
    cam_tap: &str,
    maps: Maps,
    knockouts: &Knockouts,
) -> Result<Explanation, ExplainError> {
    let pending = Pending::new(model, input, class, (cam_tap, maps), knockouts)?;
    let data = pending
        .transaction()
        .try_execute()
        .map_err(|e| ExplainError::Readback(format!("{e:?}")))?;
    pending.finish(data)
}

/// [`explain`] for devices that read back asynchronously (WebGPU).
pub async fn explain_async(
    model: &Model,
    input: Tensor<4>,
    class: Option<usize>,
    cam_tap: &str,
    maps: Maps,
    knockouts: &Knockouts,
) -> Result<Explanation, ExplainError> {
    let pending = Pending::new(model, input, class, (cam_tap, maps), knockouts)?;
    let data = pending
        .transaction()
        .execute_async()
        .await
        .map_err(|e| ExplainError::Readback(format!("{e:?}")))?;
    pending.finish(data)
}

/// The maps, still on the device.
struct Pending {
    class: Option<usize>,
    cam_tap: String,
    /// `[1, 10]`
    logits: Tensor<2>,
    /// `[1, 1, h, w]` of the input
    saliency: Option<Tensor<4>>,
    /// `[1, 1, h, w]` of the tap
    cam: Option<Tensor<4>>,
}

impl Pending {
    fn new(
        model: &Model,
        input: Tensor<4>,
        class: Option<usize>,
        (cam_tap, maps): (&str, Maps),
        knockouts: &Knockouts,
    ) -> Result<Self, ExplainError> {
        if let Some(class) = class.filter(|&class| class >= CLASSES) {
            return Err(ExplainError::NoClass(class));
        }
        if maps.cam()
            && !grad_cam_taps(model.architecture())
                .iter()
                .any(|tap| tap == cam_tap)
        {
            return Err(ExplainError::NotAMap(cam_tap.to_string()));
        }
        let autodiff: Device = input.device().autodiff();
        let frozen = model.clone().fork(&autodiff).freeze();
        let score = |logits: Tensor<2>| match class {
            Some(class) => logits.narrow(1, class, 1).sum(),
            // The predicted class's logit: max passes its gradient to the winner only.
            None => logits.max_dim(1).sum(),
        };
        let recorder = || {
            TapRecorder::default()
                .with_knockouts(knockouts)
                .discarding_taps()
        };
        let mut logits = None;

        let saliency = maps.saliency().then(|| {
            let input_leaf = input.clone().autodiff().require_grad();
            let output = frozen.forward_recording(input_leaf.clone(), &mut recorder());
            let gradients = score(output.clone()).backward();
            logits = Some(output.inner());
            // [1, c, h, w] -> [1, 1, h, w]
            input_leaf
                .grad(&gradients)
                .unwrap_or_else(|| input.zeros_like())
                .abs()
                .max_dim(1)
        });

        let cam = if maps.cam() {
            let mut recorder = recorder().with_gradient_at(cam_tap);
            let output = frozen.forward_recording(input.clone().autodiff(), &mut recorder);
            let tap_maps = recorder
                .gradient_leaf()
                .cloned()
                .ok_or_else(|| ExplainError::NotAMap(cam_tap.to_string()))?;
            let gradients = score(output.clone()).backward();
            logits.get_or_insert(output.inner());
            let maps_gradient = tap_maps
                .grad(&gradients)
                .unwrap_or_else(|| tap_maps.clone().inner().zeros_like());
            // [1, k, h, w] -> [1, k, 1, 1]: each map's weight α_k
            let weights = maps_gradient.mean_dim(3).mean_dim(2);
            // [1, k, h, w] -> [1, 1, h, w]
            Some(relu((tap_maps.inner() * weights).sum_dim(1)))
        } else {
            None
        };
        Ok(Self {
            class,
            cam_tap: cam_tap.to_string(),
            logits: logits.unwrap_or_else(|| model.forward(input)),
            saliency,
            cam,
        })
    }

    fn transaction(&self) -> Transaction {
        [&self.saliency, &self.cam].into_iter().flatten().fold(
            Transaction::default().register(self.logits.clone()),
            |transaction, map| transaction.register(map.clone()),
        )
    }

    fn finish(self, data: Vec<TensorData>) -> Result<Explanation, ExplainError> {
        let mut data = data.into_iter().map(|data| {
            let shape = data.shape().to_vec();
            data.try_into_vec::<f32>()
                .map(|values| (shape, values))
                .map_err(|e| ExplainError::Readback(format!("{e:?}")))
        });
        let mut next = || {
            data.next()
                .unwrap_or_else(|| Err(ExplainError::Readback("a map is missing".into())))
        };
        let (_, logits) = next()?;
        let mut heatmap = |computed: bool| -> Result<Heatmap, ExplainError> {
            if !computed {
                return Ok(Heatmap::default());
            }
            let (shape, values) = next()?;
            Ok(Heatmap {
                height: shape[2],
                width: shape[3],
                values,
            })
        };
        let saliency = heatmap(self.saliency.is_some())?;
        let cam = heatmap(self.cam.is_some())?;
        Ok(Explanation {
            class: self
                .class
                .unwrap_or_else(|| prediction_from_logits(&logits).class),
            predicted: self.class.is_none(),
            saliency,
            cam_tap: self.cam_tap,
            cam,
        })
    }
}
