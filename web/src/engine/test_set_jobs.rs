//! Searches over the MNIST test set that the page can watch and cancel: a knock-out set's
//! accuracy and a channel's strongest digits. Each advances in short slices between the page's
//! requests (like training); a new one of a kind replaces the one running; results stay known
//! while the weights do, so asking again costs nothing.

use convscope::data::MnistSplit;
use convscope::model::Model;
use convscope::probe::Knockouts;

use super::knockout_accuracy::AccuracyRun;
use super::top_examples::TopRun;
use super::worker::Outbox;
use crate::protocol::{Response, TopExamples};

/// One kind of search.
pub trait TestSetJob {
    type Found: Clone;

    fn id(&self) -> u64;

    /// Searches for one slice; the result once every digit is counted.
    async fn slice(
        &mut self,
        test: &MnistSplit,
        outbox: Outbox,
    ) -> Result<Option<Self::Found>, String>;

    /// The answer that ends job `id`: its result, or `None` when it was cancelled.
    fn done(id: u64, result: Option<Result<Self::Found, String>>) -> Response;
}

/// Puts `job` in `slot`; the one it replaces is reported cancelled.
fn replace<J: TestSetJob>(slot: &mut Option<J>, job: J) -> Response {
    cancel_in(slot.replace(job))
}

fn cancel_in<J: TestSetJob>(job: Option<J>) -> Response {
    match job {
        Some(old) => J::done(old.id(), None),
        None => Response::Done,
    }
}

/// Advances the job in `slot` by one slice; once it ends, posts its answer and returns it.
async fn advance<J: TestSetJob>(
    slot: &mut Option<J>,
    test: Result<&MnistSplit, String>,
    outbox: Outbox,
) -> Option<Result<J::Found, String>> {
    let job = slot.as_mut()?;
    let id = job.id();
    let result = match test {
        Ok(test) => job.slice(test, outbox).await.transpose()?,
        Err(message) => Err(message),
    };
    *slot = None;
    outbox.post(&J::done(id, Some(result.clone())));
    Some(result)
}

#[derive(Default)]
pub struct TestSetJobs {
    accuracy: Option<AccuracyRun>,
    /// The intact network's accuracy on the first `.0` digits, for these weights.
    intact: Option<(usize, f64)>,
    top: Option<TopRun>,
    /// Channels searched, for these weights.
    found: Vec<TopExamples>,
}

impl TestSetJobs {
    pub fn is_busy(&self) -> bool {
        self.accuracy.is_some() || self.top.is_some()
    }

    /// New weights: what was measured on the old ones no longer holds.
    pub fn weights_changed(&mut self) {
        self.intact = None;
        self.found.clear();
    }

    /// `weights_fixed`: no training run is changing the weights between slices.
    pub fn start_accuracy(
        &mut self,
        id: u64,
        model: Model,
        knockouts: Knockouts,
        size: usize,
        weights_fixed: bool,
    ) -> Response {
        let known_intact = self
            .intact
            .filter(|(digits, _)| *digits == size && weights_fixed)
            .map(|(_, accuracy)| accuracy);
        let run = AccuracyRun::new(id, model, knockouts, size, known_intact);
        replace(&mut self.accuracy, run)
    }

    pub fn cancel_accuracy(&mut self) -> Response {
        cancel_in(self.accuracy.take())
    }

    pub fn start_top(
        &mut self,
        id: u64,
        model: Model,
        (tap, channel): (&str, usize),
        size: usize,
        weights_fixed: bool,
    ) -> Response {
        let known = self
            .found
            .iter()
            .find(|found| found.tap == tap && found.channel == channel && found.seen == size);
        if let Some(found) = known.filter(|_| weights_fixed) {
            return TopRun::done(id, Some(Ok(found.clone())));
        }
        replace(&mut self.top, TopRun::new(id, model, tap, channel, size))
    }

    pub fn cancel_top(&mut self) -> Response {
        cancel_in(self.top.take())
    }

    /// One slice of the accuracy run if there is one, else of the search for top digits.
    pub async fn slice(
        &mut self,
        test: Result<&MnistSplit, String>,
        outbox: Outbox,
        weights_fixed: bool,
    ) {
        if self.accuracy.is_some() {
            if let Some(Ok(result)) = advance(&mut self.accuracy, test, outbox).await
                && weights_fixed
            {
                self.intact = Some((result.total, result.intact));
            }
        } else if let Some(Ok(found)) = advance(&mut self.top, test, outbox).await
            && weights_fixed
        {
            self.found.push(found);
        }
    }
}
