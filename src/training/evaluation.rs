//! Accuracy, confusion matrix and misclassified digits, batch by batch. Computing a batch's
//! predictions and tallying them are separate, so a caller on WebGPU can read the predictions
//! asynchronously in between.

use burn::tensor::{Device, Int, Tensor};
use serde::{Deserialize, Serialize};

use crate::arch::CLASSES;
use crate::data::{MnistSplit, batch_from_indices, network_input};
use crate::model::Model;
use crate::probe::Knockouts;

/// The most misclassified digits an evaluation keeps (for a gallery, not for statistics).
pub const MAX_MISTAKES: usize = 64;

/// A test digit the network got wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mistake {
    /// Its index in the split.
    pub index: usize,
    pub truth: u8,
    pub predicted: u8,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub correct: usize,
    pub total: usize,
    /// `confusion[true][predicted]`.
    pub confusion: [[u32; CLASSES]; CLASSES],
    /// The first [`MAX_MISTAKES`] misclassified digits, in split order.
    pub mistakes: Vec<Mistake>,
}

impl Evaluation {
    pub fn accuracy(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.correct as f64 / self.total as f64
        }
    }

    /// Tallies the `predicted` classes of the digits `indices` of `split`.
    pub fn record(&mut self, split: &MnistSplit, indices: &[usize], predicted: &[i64]) {
        for (&index, &class) in indices.iter().zip(predicted) {
            let truth = split.label(index);
            let class = class.clamp(0, CLASSES as i64 - 1) as u8;
            self.confusion[truth as usize][class as usize] += 1;
            if truth == class {
                self.correct += 1;
            } else if self.mistakes.len() < MAX_MISTAKES {
                self.mistakes.push(Mistake {
                    index,
                    truth,
                    predicted: class,
                });
            }
        }
        self.total += indices.len().min(predicted.len());
    }
}

/// The predicted classes `[batch]` of the digits `indices` of `split`, with `knockouts`
/// applied, left on the device.
pub fn predict_batch(
    model: &Model,
    split: &MnistSplit,
    indices: &[usize],
    knockouts: &Knockouts,
    device: &Device,
) -> Tensor<1, Int> {
    let batch = batch_from_indices(split, indices, device);
    let input = network_input(batch.digits, model.architecture().input);
    // [batch, classes] -> [batch, 1] -> [batch]
    model
        .forward_with_knockouts(input, knockouts)
        .argmax(1)
        .flatten(0, 1)
}

/// Evaluates `model` (an inference model, with `knockouts`) on `split`, reading each batch's
/// predictions once.
pub fn evaluate(
    model: &Model,
    split: &MnistSplit,
    batch_size: usize,
    knockouts: &Knockouts,
    device: &Device,
    mut on_batch: impl FnMut(usize, usize),
) -> Evaluation {
    let mut evaluation = Evaluation::default();
    let indices: Vec<usize> = (0..split.len()).collect();
    for chunk in indices.chunks(batch_size.max(1)) {
        let predicted: Vec<i64> = predict_batch(model, split, chunk, knockouts, device)
            .into_data()
            .convert::<i64>()
            .try_into_vec()
            .unwrap_or_default();
        evaluation.record(split, chunk, &predicted);
        on_batch(evaluation.total, split.len());
    }
    evaluation
}
