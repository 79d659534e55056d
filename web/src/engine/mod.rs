//! The engine: burn, the model and the MNIST test set, inside a dedicated Web Worker, so the
//! page stays responsive whatever the network costs. It answers the page's [`Request`]s in
//! order, one at a time.

mod backend;
mod infer;
mod mnist;
pub mod worker;

use burn::tensor::Device;
use convscope::arch::Preset;
use convscope::model::Model;
use convscope::weights::{load_safetensors, save_safetensors_async};

use crate::protocol::{BackendInfo, FloatTensor, IMPORTING_WEIGHTS, Request, Response};
use backend::GpuHandle;
use mnist::TestSet;

struct Network {
    preset: &'static Preset,
    model: Model,
}

#[derive(Default)]
pub struct Engine {
    device: Option<Device>,
    gpu: Option<GpuHandle>,
    network: Option<Network>,
    test_set: TestSet,
}

impl Engine {
    pub async fn handle(&mut self, request: Request) -> Response {
        match request {
            Request::Start { backend } => {
                let (device, gpu, info) = backend::start(backend).await;
                self.device = Some(device);
                self.gpu = gpu;
                self.network = None;
                Response::Started(info)
            }
            Request::LoadNetwork { preset, weights } => self
                .load_network(&preset, weights.as_ref().map(|b| b.as_slice()))
                .await
                .unwrap_or_else(|message| failed("loading the network", message)),
            Request::ImportWeights { bytes } => self
                .import_weights(&bytes)
                .await
                .unwrap_or_else(|message| failed(IMPORTING_WEIGHTS, message)),
            Request::ExportWeights => self
                .export_weights()
                .await
                .unwrap_or_else(|message| failed("exporting weights", message)),
            Request::Infer { id, input } => {
                let result = match &self.network {
                    Some(network) => {
                        infer::run(&network.model, network.preset, input, &mut self.test_set).await
                    }
                    None => Err("no network is loaded yet".to_string()),
                };
                Response::Inferred { id, result }
            }
            Request::LoseGpuDevice => match &self.gpu {
                Some(gpu) => {
                    gpu.destroy();
                    Response::DeviceLost {
                        message: "the GPU device was destroyed".into(),
                    }
                }
                None => failed("losing the GPU device", "the engine runs on the CPU".into()),
            },
        }
    }

    fn device(&self) -> Result<&Device, String> {
        self.device
            .as_ref()
            .ok_or_else(|| "the engine has not started".to_string())
    }

    async fn load_network(
        &mut self,
        preset_name: &str,
        weights: Option<&[u8]>,
    ) -> Result<Response, String> {
        let preset = Preset::by_name(preset_name).map_err(|e| e.to_string())?;
        let fresh = Model::from_preset(preset, self.device()?);
        let model = match weights {
            Some(bytes) => load_safetensors(&fresh, bytes).map_err(|e| e.to_string())?,
            None => fresh,
        };
        let kernels = first_conv_kernels(&model).await?;
        self.network = Some(Network { preset, model });
        Ok(Response::NetworkLoaded {
            preset: preset.name.to_string(),
            kernels,
            random: weights.is_none(),
        })
    }

    async fn import_weights(&mut self, bytes: &[u8]) -> Result<Response, String> {
        let network = self.network.as_mut().ok_or("no network is loaded yet")?;
        let model = load_safetensors(&network.model, bytes).map_err(|e| e.to_string())?;
        let kernels = first_conv_kernels(&model).await?;
        network.model = model;
        Ok(Response::WeightsImported { kernels })
    }

    async fn export_weights(&self) -> Result<Response, String> {
        let network = self.network.as_ref().ok_or("no network is loaded yet")?;
        let bytes = save_safetensors_async(&network.model, network.preset.name)
            .await
            .map_err(|e| e.to_string())?;
        Ok(Response::Exported {
            preset: network.preset.name.to_string(),
            bytes: bytes.into(),
        })
    }
}

fn failed(what: &str, message: String) -> Response {
    Response::Failed {
        what: what.to_string(),
        message,
    }
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

/// The backend a started engine reports, for the CPU.
pub fn cpu_backend_info(fallback_reason: Option<String>) -> BackendInfo {
    BackendInfo {
        webgpu: false,
        adapter: "burn Flex (CPU, WebAssembly)".into(),
        fallback_reason,
    }
}
