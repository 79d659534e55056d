//! Training in the worker: a core [`TrainingRun`] advanced in short slices, so the page's
//! requests (pause, an input to run) are answered between them. Losses are read back once per
//! slice, which is also where a blow-up is caught and the last good weights come back.

use burn::tensor::{Tensor, Transaction};
use convscope::arch::Preset;
use convscope::data::{MNIST_PIXELS, MnistSplit, batch_from_indices, network_input};
use convscope::model::Model;
use convscope::training::{RunConfig, TrainingRun, activation_health, loss_is_sound};
use convscope::weights::save_safetensors_async;
use serde_bytes::ByteBuf;

use super::evaluation::SlicedEvaluation;
use super::first_conv_kernels;
use super::worker::Outbox;
use crate::clock::now_ms;
use crate::protocol::{
    AccuracyPoint, Halt, LayerHealth, LossPoint, NetworkId, Response, TestReport,
};

/// A slice of training steps ends after this long, so requests wait little.
const SLICE_MS: f64 = 120.0;
/// ... or after this many steps, so the loss curve gets points on a fast device.
const MAX_SLICE_STEPS: usize = 25;
/// The quick accuracy check during an epoch uses the first digits of the test set.
const QUICK_TEST_SIZE: usize = 1000;
/// Quick checks per epoch.
const QUICK_TESTS_PER_EPOCH: u64 = 4;
/// A reload loses at most this much training.
const CHECKPOINT_EVERY_MS: f64 = 20_000.0;
const KERNELS_EVERY_MS: f64 = 2_000.0;
/// The layers' health is measured on one step about this often (a few reductions and one
/// forward pass of a small batch): every 15 to 40 steps on a CPU, a few % of the time
/// (`cargo bench --bench native`).
const HEALTH_EVERY_MS: f64 = 2_000.0;
/// Test digits the ReLUs' health is measured on.
const HEALTH_DIGITS: usize = 32;

/// An accuracy check under way: on the quick subset, or on every test digit at an epoch's end.
struct RunningEvaluation {
    sliced: SlicedEvaluation,
    full: bool,
}

pub struct Training {
    run: TrainingRun,
    preset: &'static Preset,
    /// The network the run trains, named in its checkpoints.
    network: NetworkId,
    outbox: Outbox,
    halt: Option<Halt>,
    /// Weights a sound loss was computed with: a slice's first loss vouches for the weights
    /// it started from (the weights after a step are only judged by the next step's loss).
    last_good: Model,
    evaluation: Option<RunningEvaluation>,
    next_quick_test: u64,
    last_checkpoint_ms: f64,
    last_kernels_ms: f64,
    last_health_ms: f64,
}

impl Training {
    pub fn new(
        model: Model,
        preset: &'static Preset,
        network: NetworkId,
        config: RunConfig,
        train: &MnistSplit,
        outbox: Outbox,
    ) -> Result<Self, String> {
        let device = super::model_device(&model)?;
        let run =
            TrainingRun::new(model.clone(), config, train, &device).map_err(|e| e.to_string())?;
        let now = now_ms();
        let mut training = Self {
            run,
            preset,
            network,
            outbox,
            halt: None,
            last_good: model,
            evaluation: None,
            next_quick_test: 0,
            last_checkpoint_ms: now,
            last_kernels_ms: now,
            last_health_ms: 0.0,
        };
        training.next_quick_test = training.quick_test_interval();
        Ok(training)
    }

    fn quick_test_interval(&self) -> u64 {
        let progress = self.run.progress();
        let per_epoch = progress.total_steps / progress.epochs.max(1);
        (per_epoch / QUICK_TESTS_PER_EPOCH).max(1)
    }

    pub fn started(&self) -> Response {
        Response::TrainingStarted {
            progress: self.run.progress(),
        }
    }

    pub fn is_running(&self) -> bool {
        self.halt.is_none()
    }

    /// The weights as they are now, for inference.
    pub fn model(&self) -> Model {
        self.run.model()
    }

    pub fn preset(&self) -> &'static Preset {
        self.preset
    }

    pub async fn pause(&mut self) -> Result<(), String> {
        if self.halt.is_none() {
            self.halt(Halt::Paused).await?;
        }
        Ok(())
    }

    pub fn resume(&mut self, learning_rate: f64) -> Result<(), String> {
        if matches!(self.halt, Some(Halt::Finished | Halt::Stopped)) {
            return Err("this run is over; start a new one".into());
        }
        self.run
            .set_learning_rate(learning_rate)
            .map_err(|e| e.to_string())?;
        self.halt = None;
        Ok(())
    }

    /// Ends the run; the caller keeps [`Training::model`].
    pub async fn stop(&mut self) -> Result<(), String> {
        self.halt(Halt::Stopped).await
    }

    async fn halt(&mut self, halt: Halt) -> Result<(), String> {
        self.halt = Some(halt.clone());
        self.checkpoint().await?;
        self.outbox.post(&Response::TrainingHalted {
            halt,
            progress: self.run.progress(),
        });
        Ok(())
    }

    async fn checkpoint(&mut self) -> Result<(), String> {
        let model = self.run.model();
        let bytes = save_safetensors_async(&model, self.preset.name)
            .await
            .map_err(|e| format!("saving a checkpoint: {e}"))?;
        let kernels = first_conv_kernels(&model).await?;
        self.last_checkpoint_ms = now_ms();
        self.outbox.post(&Response::Checkpoint {
            network: self.network,
            bytes: ByteBuf::from(bytes),
            progress: self.run.progress(),
            kernels,
        });
        Ok(())
    }

    /// Does a slice of work: training steps, or part of an evaluation.
    pub async fn slice(&mut self, test: &MnistSplit) -> Result<(), String> {
        if self.evaluation.is_some() {
            return self.evaluation_slice(test).await;
        }
        if self.run.is_finished() {
            return self.halt(Halt::Finished).await;
        }
        let started = now_ms();
        let before = self.run.model();
        let mut losses = Vec::new();
        let mut images = 0;
        let mut epoch_finished = false;
        let mut measure = now_ms() - self.last_health_ms >= HEALTH_EVERY_MS;
        let mut gradient_norms = None;
        while let Some(step) = self.run.step_measuring(std::mem::take(&mut measure)) {
            gradient_norms = gradient_norms.or(step.gradient_norms);
            losses.push(step.loss);
            images += step.images;
            epoch_finished = step.epoch_finished;
            if epoch_finished || losses.len() >= MAX_SLICE_STEPS || now_ms() - started > SLICE_MS {
                break;
            }
        }
        let steps = self.run.progress().steps;
        let send_kernels = now_ms() - self.last_kernels_ms > KERNELS_EVERY_MS;
        let kernels_tensor = send_kernels
            .then(|| self.run.model().first_conv_kernels())
            .flatten();
        // [steps] losses, and the kernels now and then, in one readback; a transaction takes
        // tensors of one kind, so the losses leave the autodiff graph first.
        let mut transaction = Transaction::default().register(Tensor::cat(losses, 0).inner());
        if let Some(kernels) = &kernels_tensor {
            transaction = transaction.register(kernels.clone());
        }
        let health = gradient_norms.and_then(|norms| {
            let model = self.run.model();
            let count = HEALTH_DIGITS.min(test.len());
            let device = super::model_device(&model).ok()?;
            let digits = batch_from_indices(test, &(0..count).collect::<Vec<_>>(), &device).digits;
            let input = network_input(digits, model.architecture().input);
            Some((norms, activation_health(&model, input)?))
        });
        if let Some((norms, activations)) = &health {
            transaction = transaction
                .register(norms.squared.clone())
                .register(activations.means.clone())
                .register(activations.dead.clone());
        }
        let mut read = transaction
            .execute_async()
            .await
            .map_err(|e| format!("reading the loss back: {e:?}"))?
            .into_iter();
        let losses: Vec<f32> = read
            .next()
            .ok_or("no loss came back")?
            .try_into_vec()
            .map_err(|e| format!("reading the loss back: {e:?}"))?;
        if losses.first().copied().is_some_and(loss_is_sound) {
            self.last_good = before;
        }
        if let Some(bad) = losses.iter().find(|loss| !loss_is_sound(**loss)) {
            self.run.restart_from(self.last_good.clone());
            return self
                .halt(Halt::Diverged {
                    step: steps,
                    loss: *bad,
                })
                .await;
        }
        // Read in the order registered: the kernels only when they were.
        let kernels = match kernels_tensor {
            Some(tensor) => {
                self.last_kernels_ms = now_ms();
                let values: Vec<f32> = read
                    .next()
                    .ok_or("the kernels did not come back")?
                    .try_into_vec()
                    .map_err(|e| format!("reading the kernels back: {e:?}"))?;
                Some(crate::protocol::FloatTensor::new(
                    tensor.dims().to_vec(),
                    &values,
                ))
            }
            None => None,
        };
        let health = match health {
            Some((norms, activations)) => {
                self.last_health_ms = now_ms();
                let mut next = || -> Result<Vec<f32>, String> {
                    read.next()
                        .ok_or("the layers' health did not come back")?
                        .try_into_vec()
                        .map_err(|e| format!("reading the layers' health back: {e:?}"))
                };
                let squared = next()?;
                Some(LayerHealth {
                    step: steps,
                    layers: norms.layers,
                    gradient_norms: squared.iter().map(|s| s.sqrt()).collect(),
                    taps: activations.taps,
                    means: next()?,
                    dead: next()?,
                })
            }
            None => None,
        };
        let seconds = ((now_ms() - started) / 1000.0).max(1e-6);
        self.outbox.post(&Response::TrainingProgress {
            progress: self.run.progress(),
            loss: LossPoint {
                step: steps,
                loss: losses.iter().sum::<f32>() / losses.len().max(1) as f32,
            },
            images_per_second: images as f64 / seconds,
            kernels,
            health,
        });
        if epoch_finished {
            self.begin_evaluation(test.len(), true);
        } else if steps >= self.next_quick_test {
            self.next_quick_test = steps + self.quick_test_interval();
            self.begin_evaluation(QUICK_TEST_SIZE.min(test.len()), false);
        }
        if now_ms() - self.last_checkpoint_ms > CHECKPOINT_EVERY_MS {
            self.checkpoint().await?;
        }
        Ok(())
    }

    fn begin_evaluation(&mut self, size: usize, full: bool) {
        self.evaluation = Some(RunningEvaluation {
            sliced: SlicedEvaluation::new(self.run.model(), size),
            full,
        });
    }

    async fn evaluation_slice(&mut self, test: &MnistSplit) -> Result<(), String> {
        let Some(running) = self.evaluation.as_mut() else {
            return Ok(());
        };
        if !running.sliced.advance(test).await? {
            return Ok(());
        }
        let Some(RunningEvaluation {
            sliced: SlicedEvaluation { evaluation, .. },
            full,
        }) = self.evaluation.take()
        else {
            return Ok(());
        };
        let report = full.then(|| {
            let mistake_pixels: Vec<u8> = evaluation
                .mistakes
                .iter()
                .flat_map(|mistake| test.image(mistake.index).iter().copied())
                .collect();
            debug_assert_eq!(
                mistake_pixels.len(),
                evaluation.mistakes.len() * MNIST_PIXELS
            );
            Box::new(TestReport {
                evaluation: evaluation.clone(),
                mistake_pixels: ByteBuf::from(mistake_pixels),
            })
        });
        self.outbox.post(&Response::TestAccuracy {
            point: AccuracyPoint {
                step: self.run.progress().steps,
                accuracy: evaluation.accuracy(),
                full,
            },
            report,
        });
        if full {
            self.checkpoint().await?;
        }
        Ok(())
    }
}
