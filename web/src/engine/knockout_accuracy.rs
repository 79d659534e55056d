//! The test accuracy of a knock-out set beside the intact network's, on the same digits, in
//! slices between the page's requests, so the page shows progress and can cancel.

use burn::tensor::{Int, Tensor};
use convscope::data::MnistSplit;
use convscope::model::Model;
use convscope::probe::Knockouts;
use convscope::training::{Evaluation, predict_batch};

use super::test_set_jobs::TestSetJob;
use super::worker::Outbox;
use crate::clock::now_ms;
use crate::protocol::{KnockoutAccuracy, Response};

const SLICE_MS: f64 = 150.0;
const BATCH: usize = 250;

pub struct AccuracyRun {
    id: u64,
    model: Model,
    knockouts: Knockouts,
    size: usize,
    knocked: Evaluation,
    intact: Evaluation,
    /// The intact network's accuracy on these digits, when the engine already knows it.
    known_intact: Option<f64>,
}

impl AccuracyRun {
    pub fn new(
        id: u64,
        model: Model,
        knockouts: Knockouts,
        size: usize,
        known_intact: Option<f64>,
    ) -> Self {
        Self {
            id,
            model,
            knockouts,
            size,
            knocked: Evaluation::default(),
            intact: Evaluation::default(),
            known_intact,
        }
    }
}

impl TestSetJob for AccuracyRun {
    type Found = KnockoutAccuracy;

    fn id(&self) -> u64 {
        self.id
    }

    fn done(id: u64, result: Option<Result<KnockoutAccuracy, String>>) -> Response {
        Response::KnockoutAccuracyDone { id, result }
    }

    async fn slice(
        &mut self,
        test: &MnistSplit,
        outbox: Outbox,
    ) -> Result<Option<KnockoutAccuracy>, String> {
        let size = self.size.min(test.len());
        let device = super::model_device(&self.model)?;
        let started = now_ms();
        while self.knocked.total < size && now_ms() - started < SLICE_MS {
            let from = self.knocked.total;
            let indices: Vec<usize> = (from..(from + BATCH).min(size)).collect();
            let knocked = predict_batch(&self.model, test, &indices, &self.knockouts, &device);
            self.knocked.record(test, &indices, &read(knocked).await?);
            if self.known_intact.is_none() {
                let intact =
                    predict_batch(&self.model, test, &indices, &Knockouts::default(), &device);
                self.intact.record(test, &indices, &read(intact).await?);
            }
        }
        outbox.post(&Response::KnockoutProgress {
            id: self.id,
            done: self.knocked.total,
            total: size,
        });
        if self.knocked.total < size {
            return Ok(None);
        }
        Ok(Some(KnockoutAccuracy {
            knockouts: self.knockouts.targets(),
            accuracy: self.knocked.accuracy(),
            intact: self.known_intact.unwrap_or(self.intact.accuracy()),
            total: size,
        }))
    }
}

async fn read(predicted: Tensor<1, Int>) -> Result<Vec<i64>, String> {
    predicted
        .into_data_async()
        .await
        .map_err(|e| format!("reading predictions back: {e:?}"))?
        .convert::<i64>()
        .try_into_vec()
        .map_err(|e| format!("reading predictions back: {e:?}"))
}
