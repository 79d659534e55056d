//! The test digits a channel fires on most, searched over the test set in slices between the
//! page's requests, so the page shows progress and can cancel.

use convscope::data::MnistSplit;
use convscope::model::Model;
use convscope::probe::TopFirings;
use serde_bytes::ByteBuf;

use super::test_set_jobs::TestSetJob;
use super::worker::Outbox;
use crate::clock::now_ms;
use crate::protocol::{Response, TopExample, TopExamples};

const SLICE_MS: f64 = 150.0;
const BATCH: usize = 250;

pub struct TopRun {
    id: u64,
    model: Model,
    top: TopFirings,
    size: usize,
    /// The channel's map size `[h, w]`, once a batch has run.
    map: [usize; 2],
}

impl TopRun {
    pub fn new(id: u64, model: Model, tap: &str, channel: usize, size: usize) -> Self {
        Self {
            id,
            model,
            top: TopFirings::new(tap, channel),
            size,
            map: [0, 0],
        }
    }
}

impl TestSetJob for TopRun {
    type Found = TopExamples;

    fn id(&self) -> u64 {
        self.id
    }

    fn done(id: u64, result: Option<Result<TopExamples, String>>) -> Response {
        Response::TopExamplesDone { id, result }
    }

    async fn slice(
        &mut self,
        test: &MnistSplit,
        outbox: Outbox,
    ) -> Result<Option<TopExamples>, String> {
        let size = self.size.min(test.len());
        let device = super::model_device(&self.model)?;
        let started = now_ms();
        while self.top.seen < size && now_ms() - started < SLICE_MS {
            let from = self.top.seen;
            let indices: Vec<usize> = (from..(from + BATCH).min(size)).collect();
            let maps = self
                .top
                .maps(&self.model, test, &indices, &device)
                .ok_or_else(|| {
                    format!(
                        "this network has no channel {} of {}",
                        self.top.channel, self.top.tap
                    )
                })?;
            let [_, _, height, width] = maps.dims();
            self.map = [height, width];
            let values = maps
                .into_data_async()
                .await
                .map_err(|e| format!("reading maps back: {e:?}"))?
                .try_into_vec::<f32>()
                .map_err(|e| format!("reading maps back: {e:?}"))?;
            self.top.record(&indices, &values, self.map);
        }
        outbox.post(&Response::TopExamplesProgress {
            id: self.id,
            done: self.top.seen,
            total: size,
        });
        if self.top.seen < size {
            return Ok(None);
        }
        Ok(Some(TopExamples {
            tap: self.top.tap.clone(),
            channel: self.top.channel,
            map: self.map,
            seen: self.top.seen,
            examples: self
                .top
                .found
                .iter()
                .map(|&firing| TopExample {
                    firing,
                    label: test.label(firing.index),
                    pixels: ByteBuf::from(test.image(firing.index).to_vec()),
                })
                .collect(),
        }))
    }
}
