//! Test accuracy measured a few batches at a time, so the worker answers the page between
//! them: for a training run's checks and for a race's lanes.

use convscope::data::MnistSplit;
use convscope::model::Model;
use convscope::probe::Knockouts;
use convscope::training::{Evaluation, predict_batch};

use crate::clock::now_ms;

/// One slice of an evaluation lasts about this long.
const EVALUATION_SLICE_MS: f64 = 150.0;
const EVALUATION_BATCH: usize = 250;

pub struct SlicedEvaluation {
    model: Model,
    pub evaluation: Evaluation,
    /// The first this many test digits are counted.
    size: usize,
}

impl SlicedEvaluation {
    pub fn new(model: Model, size: usize) -> Self {
        Self {
            model,
            evaluation: Evaluation::default(),
            size,
        }
    }

    /// Counts batches for about one slice; `true` once every digit is counted.
    pub async fn advance(&mut self, test: &MnistSplit) -> Result<bool, String> {
        let size = self.size.min(test.len());
        let device = super::model_device(&self.model)?;
        let started = now_ms();
        while self.evaluation.total < size && now_ms() - started < EVALUATION_SLICE_MS {
            let from = self.evaluation.total;
            let indices: Vec<usize> = (from..(from + EVALUATION_BATCH).min(size)).collect();
            let predicted: Vec<i64> =
                predict_batch(&self.model, test, &indices, &Knockouts::default(), &device)
                    .into_data_async()
                    .await
                    .map_err(|e| format!("reading predictions back: {e:?}"))?
                    .convert::<i64>()
                    .try_into_vec()
                    .map_err(|e| format!("reading predictions back: {e:?}"))?;
            self.evaluation.record(test, &indices, &predicted);
        }
        Ok(self.evaluation.total >= size)
    }
}
