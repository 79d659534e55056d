//! The engine: burn, the model and the MNIST test set, inside a dedicated Web Worker, so the
//! page stays responsive whatever the network costs. It answers the page's [`Request`]s in
//! order, one at a time.

mod backend;
mod compare;
mod evaluation;
mod infer;
mod knockout_accuracy;
mod mnist;
mod race;
mod test_set_jobs;
mod top_examples;
mod training;
pub mod worker;

use burn::module::Module;
use burn::tensor::Device;
use convscope::arch::Preset;
use convscope::model::Model;
use convscope::pixel_math::{PixelMath, PixelQuery, explain_pixel_async};
use convscope::probe::{Heatmap, Knockouts, maximize_activation};
use convscope::training::{RaceConfig, RunConfig};
use convscope::weights::{load_safetensors, save_safetensors_async};

use crate::protocol::{
    BackendInfo, ComparedNetwork, DigitInput, FloatTensor, NetworkId, NetworkShiftCurve, Operation,
    ProbeSettings, Request, Response, SavedRace,
};
use backend::GpuHandle;
use infer::LastInput;
use mnist::Mnist;
use race::RaceJob;
use test_set_jobs::TestSetJobs;
use training::Training;
use worker::Outbox;

struct Network {
    id: NetworkId,
    preset: &'static Preset,
    model: Model,
}

pub struct Engine {
    outbox: Outbox,
    /// Threads of the CPU backend's pool (1: no pool), reported with the backend.
    cpu_threads: usize,
    device: Option<Device>,
    gpu: Option<GpuHandle>,
    network: Option<Network>,
    /// A run, running or halted; its weights are the network's until it is dropped.
    training: Option<Training>,
    mnist: Mnist,
    /// The latest inference's network input and knock-outs, for the pixel maths.
    last_input: Option<LastInput>,
    contenders: compare::Contenders,
    test_set_jobs: TestSetJobs,
    /// A race, running or paused; its networks are its own, not the page's.
    race: Option<RaceJob>,
}

impl Engine {
    pub fn new(outbox: Outbox, cpu_threads: usize) -> Self {
        Self {
            outbox,
            cpu_threads,
            device: None,
            gpu: None,
            network: None,
            training: None,
            mnist: Mnist::default(),
            last_input: None,
            contenders: compare::Contenders::default(),
            test_set_jobs: TestSetJobs::default(),
            race: None,
        }
    }

    /// Carries out one request; every answer goes to the outbox.
    pub async fn handle(&mut self, request: Request) {
        let answer = self.answer(request).await;
        self.outbox.post(&answer);
    }

    async fn answer(&mut self, request: Request) -> Response {
        match request {
            Request::Start { backend } => {
                let (device, gpu, info) =
                    backend::start(backend, self.outbox, self.cpu_threads).await;
                self.device = Some(device);
                self.gpu = gpu;
                self.network = None;
                self.training = None;
                self.race = None;
                Response::Started(info)
            }
            Request::LoadNetwork {
                network,
                preset,
                weights,
            } => self
                .load_network(network, &preset, weights.as_ref().map(|b| b.as_slice()))
                .await
                .unwrap_or_else(|message| failed(Operation::LoadingNetwork, message)),
            Request::ImportWeights { bytes } => self
                .import_weights(&bytes)
                .await
                .unwrap_or_else(|message| failed(Operation::ImportingWeights, message)),
            Request::ExportWeights => self
                .export_weights()
                .await
                .unwrap_or_else(|message| failed(Operation::ExportingWeights, message)),
            Request::Infer { id, input, probe } => {
                let result = match self.current_model() {
                    Some((model, preset)) => {
                        infer::run(&model, preset, id, input, &probe, &mut self.mnist).await
                    }
                    None => Err("no network is loaded yet".to_string()),
                };
                let result = result.map(|(inference, last_input)| {
                    self.last_input = Some(last_input);
                    inference
                });
                Response::Inferred { id, result }
            }
            Request::KnockoutAccuracy {
                id,
                knockouts,
                size,
            } => self.start_accuracy_run(id, &knockouts, size),
            Request::CancelKnockoutAccuracy => self.test_set_jobs.cancel_accuracy(),
            Request::TopExamples {
                id,
                tap,
                channel,
                size,
            } => self.start_top_run(id, &tap, channel, size),
            Request::CancelTopExamples => self.test_set_jobs.cancel_top(),
            Request::MaximizeActivation { id, tap, channel } => Response::ActivationMaximized {
                id,
                result: self.maximize_activation(&tap, channel).await,
            },
            Request::ShiftCurves {
                id,
                input,
                probe,
                class,
            } => Response::ShiftCurves {
                id,
                result: self.shift_curves(input, &probe, class).await,
            },
            Request::Compare { id, input } => Response::Compared {
                id,
                result: self.compare(input).await,
            },
            Request::ExplainPixel { inference, query } => Response::PixelExplained {
                inference,
                result: self.explain_pixel(inference, &query).await,
            },
            Request::LoseGpuDevice => match &self.gpu {
                Some(gpu) => {
                    gpu.destroy();
                    Response::DeviceLost {
                        message: "the GPU device was destroyed".into(),
                    }
                }
                None => failed(
                    Operation::LosingGpuDevice,
                    "the engine runs on the CPU".into(),
                ),
            },
            Request::StartTraining { config } => self
                .start_training(config)
                .await
                .unwrap_or_else(|message| failed(Operation::Training, message)),
            Request::PauseTraining => match &mut self.training {
                Some(training) => training
                    .pause()
                    .await
                    .err()
                    .map_or(Response::Done, |message| {
                        failed(Operation::Training, message)
                    }),
                None => Response::Done,
            },
            Request::ResumeTraining { learning_rate } => self
                .resume_training(learning_rate)
                .await
                .unwrap_or_else(|message| failed(Operation::Training, message)),
            Request::StopTraining => self
                .stop_training()
                .await
                .unwrap_or_else(|message| failed(Operation::Training, message)),
            Request::StartRace { config } => self
                .start_race(config)
                .await
                .unwrap_or_else(|message| failed(Operation::Race, message)),
            Request::PauseRace => match &mut self.race {
                Some(race) => race
                    .pause()
                    .await
                    .err()
                    .map_or(Response::Done, |message| failed(Operation::Race, message)),
                None => Response::Done,
            },
            Request::ResumeRace { saved } => self
                .resume_race(saved)
                .await
                .unwrap_or_else(|message| failed(Operation::Race, message)),
        }
    }

    /// Training, a race or a test-set search is under way.
    pub fn has_background_work(&self) -> bool {
        self.test_set_jobs.is_busy()
            || self.training.as_ref().is_some_and(Training::is_running)
            || self.race.as_ref().is_some_and(RaceJob::is_running)
    }

    /// One slice of a test-set search if there is one (they are short), else of the race,
    /// else of training.
    pub async fn background_slice(&mut self) {
        if self.test_set_jobs.is_busy() {
            let weights_fixed = self.training.is_none();
            let test = self.mnist.test().await;
            self.test_set_jobs
                .slice(test, self.outbox, weights_fixed)
                .await;
        } else if self.race.as_ref().is_some_and(RaceJob::is_running) {
            self.race_slice().await;
        } else {
            self.train_slice().await;
        }
    }

    async fn race_slice(&mut self) {
        let result = match (self.mnist.test().await, self.race.as_mut()) {
            (Ok(test), Some(race)) => race.slice(test).await,
            (Err(message), _) => Err(message),
            (_, None) => Ok(()),
        };
        if let Err(message) = result {
            self.race = None;
            self.outbox.post(&failed(Operation::Race, message));
        }
    }

    /// The training set, its download reported as it goes.
    async fn train_set(&mut self) -> Result<&convscope::data::MnistSplit, String> {
        let mut reported = None;
        let outbox = self.outbox;
        self.mnist
            .train(|loaded, total| {
                // One message per percent is plenty for a progress bar.
                let percent = total.map(|total| loaded * 100 / total.max(1));
                if percent != reported || total.is_none() {
                    reported = percent;
                    outbox.post(&Response::TrainingData { loaded, total });
                }
            })
            .await
    }

    /// A race and a training run share the worker: starting one pauses the other.
    async fn pause_training(&mut self) -> Result<(), String> {
        match &mut self.training {
            Some(training) => training.pause().await,
            None => Ok(()),
        }
    }

    async fn pause_race(&mut self) -> Result<(), String> {
        match &mut self.race {
            Some(race) => race.pause().await,
            None => Ok(()),
        }
    }

    async fn resume_training(&mut self, learning_rate: f64) -> Result<Response, String> {
        let training = self
            .training
            .as_mut()
            .ok_or("there is no run to resume; start one")?;
        training.resume(learning_rate)?;
        let started = training.started();
        self.pause_race().await?;
        Ok(started)
    }

    async fn start_race(&mut self, config: RaceConfig) -> Result<Response, String> {
        race::check_presets(&config)?;
        self.pause_training().await?;
        self.race = None;
        let device = self.device()?.clone();
        let outbox = self.outbox;
        let train = self.train_set().await?;
        let job = RaceJob::start(config, train, &device, outbox)?;
        self.mnist.test().await?;
        let started = job.started();
        self.race = Some(job);
        Ok(started)
    }

    async fn resume_race(&mut self, saved: Option<SavedRace>) -> Result<Response, String> {
        self.pause_training().await?;
        if let Some(saved) = saved {
            let device = self.device()?.clone();
            let outbox = self.outbox;
            let train = self.train_set().await?;
            self.race = Some(RaceJob::resume(saved, train, &device, outbox)?);
        }
        let race = self.race.as_mut().ok_or("there is no race to go on with")?;
        race.go_on();
        self.mnist.test().await?;
        Ok(race.started())
    }

    fn start_accuracy_run(&mut self, id: u64, targets: &[String], size: usize) -> Response {
        let Some((model, _)) = self.current_model() else {
            return failed(
                Operation::KnockoutAccuracy,
                "no network is loaded yet".into(),
            );
        };
        match Knockouts::parse(targets, model.architecture()) {
            Ok(knockouts) => {
                let weights_fixed = self.training.is_none();
                self.test_set_jobs
                    .start_accuracy(id, model, knockouts, size, weights_fixed)
            }
            Err(error) => failed(Operation::KnockoutAccuracy, error.to_string()),
        }
    }

    fn start_top_run(&mut self, id: u64, tap: &str, channel: usize, size: usize) -> Response {
        let Some((model, _)) = self.current_model() else {
            return failed(Operation::TopExamples, "no network is loaded yet".into());
        };
        let weights_fixed = self.training.is_none();
        self.test_set_jobs
            .start_top(id, model, (tap, channel), size, weights_fixed)
    }

    async fn maximize_activation(&self, tap: &str, channel: usize) -> Result<Heatmap, String> {
        let (model, _) = self.current_model().ok_or("no network is loaded yet")?;
        let image = maximize_activation(&model, tap, channel)
            .ok_or_else(|| format!("this network has no channel {channel} of {tap}"))?;
        let [height, width] = image.dims();
        let values = image
            .into_data_async()
            .await
            .map_err(|e| format!("reading the image back: {e:?}"))?
            .try_into_vec::<f32>()
            .map_err(|e| format!("reading the image back: {e:?}"))?;
        Ok(Heatmap {
            height,
            width,
            values,
        })
    }

    /// Advances a running training by one slice; a failure halts it.
    async fn train_slice(&mut self) {
        let test = match self.mnist.test().await {
            Ok(test) => test,
            Err(message) => {
                self.end_training();
                return self.outbox.post(&failed(Operation::Training, message));
            }
        };
        if let Some(training) = self.training.as_mut()
            && let Err(message) = training.slice(test).await
        {
            self.end_training();
            self.outbox.post(&failed(Operation::Training, message));
        }
    }

    /// The weights inference should use: the run's while there is one.
    fn current_model(&self) -> Option<(Model, &'static Preset)> {
        match (&self.training, &self.network) {
            (Some(training), _) => Some((training.model(), training.preset())),
            (None, Some(network)) => Some((network.model.clone(), network.preset)),
            (None, None) => None,
        }
    }

    /// Drops the run; the network keeps its weights.
    fn end_training(&mut self) {
        self.test_set_jobs.weights_changed();
        if let (Some(training), Some(network)) = (self.training.take(), self.network.as_mut()) {
            network.model = training.model();
        }
    }

    async fn start_training(&mut self, config: RunConfig) -> Result<Response, String> {
        config.validate().map_err(|e| e.to_string())?;
        self.end_training();
        let network = self.network.as_ref().ok_or("no network is loaded yet")?;
        let (model, preset, id) = (network.model.clone(), network.preset, network.id);
        self.pause_race().await?;
        let outbox = self.outbox;
        let train = self.train_set().await?;
        let training = Training::new(model, preset, id, config, train, outbox)?;
        let started = training.started();
        self.mnist.test().await?;
        self.training = Some(training);
        Ok(started)
    }

    async fn compare(&mut self, input: DigitInput) -> Result<Vec<ComparedNetwork>, String> {
        let current = self.current_model().ok_or("no network is loaded yet")?;
        let (steps, _) = infer::digit_steps(input, &mut self.mnist).await?;
        self.contenders.compare(&steps, current).await
    }

    async fn shift_curves(
        &mut self,
        input: DigitInput,
        probe: &ProbeSettings,
        class: usize,
    ) -> Result<Vec<NetworkShiftCurve>, String> {
        let current = self.current_model().ok_or("no network is loaded yet")?;
        let knockouts = Knockouts::parse(&probe.knockouts, current.0.architecture())
            .map_err(|e| e.to_string())?;
        let (steps, _) = infer::digit_steps(input, &mut self.mnist).await?;
        self.contenders
            .shift_curves(&steps.digit, current, &knockouts, &probe.distortion, class)
            .await
    }

    async fn explain_pixel(&self, inference: u64, query: &PixelQuery) -> Result<PixelMath, String> {
        let (model, _) = self.current_model().ok_or("no network is loaded yet")?;
        let last = match &self.last_input {
            Some(last) if last.id == inference => last,
            _ => return Err("the input has changed since".into()),
        };
        explain_pixel_async(&model, last.input.clone(), query, &last.knockouts)
            .await
            .map_err(|e| e.to_string())
    }

    async fn stop_training(&mut self) -> Result<Response, String> {
        if let Some(training) = self.training.as_mut() {
            training.stop().await?;
        }
        self.end_training();
        Ok(Response::Done)
    }

    fn device(&self) -> Result<&Device, String> {
        self.device
            .as_ref()
            .ok_or_else(|| "the engine has not started".to_string())
    }

    async fn load_network(
        &mut self,
        id: NetworkId,
        preset_name: &str,
        weights: Option<&[u8]>,
    ) -> Result<Response, String> {
        let preset = Preset::by_name(preset_name).map_err(|e| e.to_string())?;
        if let Some(gpu) = &self.gpu {
            preset
                .architecture()
                .summary()
                .map_err(|e| e.to_string())?
                .fits_gpu_buffer(gpu.max_buffer_bytes())
                .map_err(|e| format!("{preset_name} cannot run on this GPU: {e}"))?;
        }
        let fresh = Model::from_preset(preset, self.device()?);
        let model = match weights {
            Some(bytes) => load_safetensors(&fresh, bytes).map_err(|e| e.to_string())?,
            None => fresh,
        };
        let kernels = first_conv_kernels(&model).await?;
        self.training = None;
        self.test_set_jobs.weights_changed();
        self.network = Some(Network { id, preset, model });
        Ok(Response::NetworkLoaded {
            network: id,
            kernels,
        })
    }

    async fn import_weights(&mut self, bytes: &[u8]) -> Result<Response, String> {
        let network = self.network.as_mut().ok_or("no network is loaded yet")?;
        let model = load_safetensors(&network.model, bytes).map_err(|e| e.to_string())?;
        let kernels = first_conv_kernels(&model).await?;
        network.model = model;
        self.training = None;
        self.test_set_jobs.weights_changed();
        Ok(Response::WeightsImported { kernels })
    }

    async fn export_weights(&self) -> Result<Response, String> {
        let (model, preset) = self.current_model().ok_or("no network is loaded yet")?;
        let bytes = save_safetensors_async(&model, preset.name)
            .await
            .map_err(|e| e.to_string())?;
        Ok(Response::Exported {
            preset: preset.name.to_string(),
            bytes: bytes.into(),
        })
    }
}

fn failed(operation: Operation, message: String) -> Response {
    Response::Failed { operation, message }
}

async fn first_conv_kernels(model: &Model) -> Result<FloatTensor, String> {
    let Some(kernels) = model.first_conv_kernels() else {
        return Ok(FloatTensor::default());
    };
    let shape = kernels.dims().to_vec();
    let data = kernels
        .into_data_async()
        .await
        .map_err(|e| format!("reading the kernels back: {e}"))?;
    let values = data
        .try_into_vec::<f32>()
        .map_err(|e| format!("reading the kernels back: {e:?}"))?;
    Ok(FloatTensor::new(shape, &values))
}

fn model_device(model: &Model) -> Result<Device, String> {
    model
        .devices()
        .into_iter()
        .next()
        .ok_or_else(|| "the network has no parameters".to_string())
}

/// The backend a started engine reports, for the CPU.
pub fn cpu_backend_info(fallback_reason: Option<String>, cpu_threads: usize) -> BackendInfo {
    BackendInfo {
        webgpu: false,
        adapter: "burn Flex (CPU, WebAssembly)".into(),
        fallback_reason,
        max_buffer_bytes: None,
        cpu_threads,
    }
}
