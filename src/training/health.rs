//! How training shapes a network, layer by layer: the gradient norm of every convolution's and
//! linear layer's weights (from a training step's own gradients, so measuring costs a few
//! reductions, not a pass), and for every ReLU output its mean and the share of its units that
//! are zero (on a fixed batch of digits, one forward pass). All left on the device, to be read
//! back with the loss.

use burn::module::ParamId;
use burn::optim::GradientsParams;
use burn::tensor::Tensor;

use crate::arch::TapKind;
use crate::model::Model;
use crate::model::leaves::Leaf;
use crate::taps::TapRecorder;

/// Squared L2 norms of the weights' gradients, one per layer (PyTorch path), in `state_dict`
/// order.
pub struct GradientNorms {
    pub layers: Vec<String>,
    /// `[layers]`
    pub squared: Tensor<1>,
}

/// Mean and share of zeros of every ReLU output (convolutions and hidden layers).
pub struct ActivationHealth {
    pub taps: Vec<String>,
    /// `[taps]`
    pub means: Tensor<1>,
    /// `[taps]`
    pub dead: Tensor<1>,
}

/// The weights whose gradients are measured: every convolution and linear layer's.
fn weight_ids(model: &Model) -> Vec<(String, ParamId, bool)> {
    let mut model = model.clone();
    model
        .leaves()
        .entries
        .into_iter()
        .filter_map(|(path, leaf)| match leaf {
            Leaf::Conv(conv) => Some((path, conv.weight.id, true)),
            Leaf::Linear(linear) => Some((path, linear.weight.id, false)),
            Leaf::BatchNorm(_) => None,
        })
        .collect()
}

/// The gradient norms of `gradients`, computed for `model`'s parameters.
pub(super) fn gradient_norms(model: &Model, gradients: &GradientsParams) -> Option<GradientNorms> {
    let mut layers = Vec::new();
    let mut squared = Vec::new();
    for (path, id, is_conv) in weight_ids(model) {
        let norm = if is_conv {
            gradients.get::<4>(id).map(|g| g.powi_scalar(2).sum())
        } else {
            gradients.get::<2>(id).map(|g| g.powi_scalar(2).sum())
        };
        if let Some(norm) = norm {
            layers.push(path);
            squared.push(norm);
        }
    }
    (!squared.is_empty()).then(|| GradientNorms {
        layers,
        squared: Tensor::cat(squared, 0),
    })
}

/// The ReLU outputs' health for `input` (`[batch, c, h, w]`, a network input).
pub fn activation_health(model: &Model, input: Tensor<4>) -> Option<ActivationHealth> {
    let relus: Vec<String> = model
        .architecture()
        .taps()
        .ok()?
        .into_iter()
        .filter(|tap| matches!(tap.kind, TapKind::Conv | TapKind::Hidden))
        .map(|tap| tap.name)
        .collect();
    let mut recorder = TapRecorder::default();
    model.forward_recording(input, &mut recorder);
    let (mut means, mut dead) = (Vec::new(), Vec::new());
    let mut taps = Vec::new();
    for tap in recorder.into_taps() {
        if relus.contains(&tap.name) {
            means.push(tap.activation.clone().mean());
            dead.push(tap.activation.equal_elem(0.0).float().mean());
            taps.push(tap.name);
        }
    }
    (!taps.is_empty()).then(|| ActivationHealth {
        taps,
        means: Tensor::cat(means, 0),
        dead: Tensor::cat(dead, 0),
    })
}
