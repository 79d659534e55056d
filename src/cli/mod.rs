//! The `convscope` command line: a thin shell on the library.

pub mod assets;
pub mod eval;
pub mod infer;
pub mod list;
pub mod npy;
pub mod race;
pub mod summary;
pub mod train;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use burn::tensor::Device;
use clap::ValueEnum;
use convscope::arch::{Preset, PresetKind};
use convscope::model::Model;
use convscope::weights::load_safetensors;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Backend {
    /// burn's Flex backend (pure Rust, CPU).
    Cpu,
    /// burn's wgpu backend (Vulkan, Metal, DX12 or a software Vulkan such as lavapipe).
    Wgpu,
}

impl Backend {
    pub fn device(self) -> Result<Device> {
        match self {
            Backend::Cpu => Ok(Device::flex()),
            Backend::Wgpu => wgpu_device(),
        }
    }
}

#[cfg(feature = "wgpu")]
fn wgpu_device() -> Result<Device> {
    Device::wgpu_options()
        .init()
        .map_err(|error| anyhow::anyhow!("no usable GPU adapter for wgpu: {error:?}"))
}

#[cfg(not(feature = "wgpu"))]
fn wgpu_device() -> Result<Device> {
    bail!("this convscope was built without wgpu (its cargo feature `wgpu`, on by default)")
}

/// The network a command runs on: preset, weights and backend.
#[derive(clap::Args)]
pub struct ModelArgs {
    #[arg(long)]
    arch: String,
    /// A PyTorch state_dict in .safetensors; default: the preset's shipped weights.
    #[arg(long)]
    weights: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "cpu")]
    device: Backend,
}

pub struct LoadedModel {
    pub preset: &'static Preset,
    pub model: Model,
    pub device: Device,
}

impl ModelArgs {
    pub fn load(&self) -> Result<LoadedModel> {
        let preset = preset(&self.arch)?;
        let device = self.device.device()?;
        let model = load_model(preset, self.weights.as_deref(), &device)?;
        Ok(LoadedModel {
            preset,
            model,
            device,
        })
    }
}

pub fn preset(name: &str) -> Result<&'static Preset> {
    Ok(Preset::by_name(name)?)
}

/// The preset with `weights`, or with its shipped weights when none are given.
pub fn load_model(preset: &Preset, weights: Option<&Path>, device: &Device) -> Result<Model> {
    let model = Model::from_preset(preset, device);
    let (bytes, source) = match weights {
        Some(path) => (
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?,
            path.display().to_string(),
        ),
        None => match assets::pretrained(preset.name) {
            Some(bytes) => (
                bytes.to_vec(),
                format!("the shipped {} weights", preset.name),
            ),
            None if preset.kind == PresetKind::Seed => bail!(
                "{preset} ships no pretrained weights (too large to ship): pass --weights FILE.safetensors with the state_dict you trained in PyTorch"
            ),
            None => bail!("{preset} has no shipped weights in this build: pass --weights"),
        },
    };
    load_safetensors(&model, &bytes).with_context(|| format!("cannot load {source} into {preset}"))
}
