//! From logits to what a person reads: probabilities and the predicted digit.

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Prediction {
    pub logits: Vec<f32>,
    pub probabilities: Vec<f32>,
    pub class: usize,
}

/// Softmax in f64, so large logits neither overflow nor lose the small probabilities.
pub fn prediction_from_logits(logits: &[f32]) -> Prediction {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
    let exps: Vec<f64> = logits.iter().map(|&l| (l as f64 - max).exp()).collect();
    let sum: f64 = exps.iter().sum();
    let probabilities: Vec<f32> = exps.iter().map(|e| (e / sum) as f32).collect();
    let class = logits
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map_or(0, |(index, _)| index);
    Prediction {
        logits: logits.to_vec(),
        probabilities,
        class,
    }
}
