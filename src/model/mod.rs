//! A network built from its [`Architecture`]: burn modules mirroring the PyTorch module tree.

mod axis;
pub(crate) mod batch_norm;
mod build;
pub mod convolution;
pub mod device_kind;
mod direct_conv;
mod inception;
mod layer;
pub(crate) mod leaves;
pub mod max_pool;
mod residual;
pub mod space_to_depth;

use burn::module::Module;
use burn::tensor::{Device, Tensor};

use crate::arch::{Architecture, Preset, ShapeError};
use crate::probe::Knockouts;
use crate::taps::{Tap, TapRecorder};
pub use build::conv2d;
use layer::Layer;
use leaves::Leaves;

#[derive(Module, Debug)]
pub struct Model {
    /// One layer per attribute of the top-level module (`architecture.root`).
    layers: Vec<Layer>,
    #[module(skip)]
    architecture: Architecture,
    /// PyTorch's `num_batches_tracked` of every BatchNorm: training steps taken.
    #[module(skip)]
    batches_tracked: i64,
}

/// The smallest side GoogLeNet and ResNet take, as the seed post says.
pub const MIN_ADAPTIVE_SIDE: usize = 32;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("{preset} takes {expected} input channel(s), got {got}")]
    Channels {
        preset: String,
        expected: usize,
        got: usize,
    },
    #[error("{preset} takes {expected_height}×{expected_width} inputs, got {height}×{width}")]
    Size {
        preset: String,
        expected_height: usize,
        expected_width: usize,
        height: usize,
        width: usize,
    },
    #[error(
        "{preset} takes inputs of at least {MIN_ADAPTIVE_SIDE}×{MIN_ADAPTIVE_SIDE}, got {height}×{width}"
    )]
    TooSmall {
        preset: String,
        height: usize,
        width: usize,
    },
    #[error("{0}")]
    Shape(#[from] ShapeError),
}

impl Model {
    /// A freshly initialized network (d2l's: Xavier-uniform weights, PyTorch's biases).
    pub fn new(architecture: Architecture, device: &Device) -> Result<Self, ShapeError> {
        architecture.validate()?;
        let mut shape = architecture.input_shape();
        let mut layers = Vec::with_capacity(architecture.root.len());
        for node in &architecture.root {
            let (layer, output) = Layer::build(node, shape, &node.key, device)?;
            layers.push(layer);
            shape = output;
        }
        Ok(Self {
            layers,
            architecture,
            batches_tracked: 0,
        })
    }

    /// A freshly initialized preset.
    pub fn from_preset(preset: &Preset, device: &Device) -> Self {
        Self::new(preset.architecture(), device)
            .unwrap_or_else(|error| panic!("preset {preset} is inconsistent: {error}"))
    }

    pub fn architecture(&self) -> &Architecture {
        &self.architecture
    }

    pub fn batches_tracked(&self) -> i64 {
        self.batches_tracked
    }

    pub(crate) fn set_batches_tracked(&mut self, count: i64) {
        self.batches_tracked = count;
    }

    /// Checks that `[channels, height, width]` inputs fit this model (GoogLeNet and ResNet take
    /// any size that survives their downsampling; AlexNet and VGG only their own).
    pub fn check_input(
        &self,
        preset_name: &str,
        [channels, height, width]: [usize; 3],
    ) -> Result<(), InputError> {
        let [expected_channels, expected_height, expected_width] = self.architecture.input;
        if channels != expected_channels {
            return Err(InputError::Channels {
                preset: preset_name.to_string(),
                expected: expected_channels,
                got: channels,
            });
        }
        if self.architecture.family.accepts_any_input_size() {
            if height.min(width) < MIN_ADAPTIVE_SIDE {
                return Err(InputError::TooSmall {
                    preset: preset_name.to_string(),
                    height,
                    width,
                });
            }
            let resized = Architecture {
                input: [channels, height, width],
                ..self.architecture.clone()
            };
            return Ok(resized.validate()?);
        }
        if [height, width] != [expected_height, expected_width] {
            return Err(InputError::Size {
                preset: preset_name.to_string(),
                expected_height,
                expected_width,
                height,
                width,
            });
        }
        Ok(())
    }

    fn run(&self, input: Tensor<4>, mut taps: Option<&mut TapRecorder>) -> Tensor<2> {
        // [batch, channels, height, width] -> [batch, 10, 1, 1]
        let output = self
            .architecture
            .root
            .iter()
            .zip(&self.layers)
            .fold(input, |x, (node, layer)| {
                layer.forward(node, x, taps.as_deref_mut())
            });
        let [batch, classes, _, _] = output.dims();
        output.reshape([batch, classes])
    }

    /// Logits `[batch, 10]`.
    pub fn forward(&self, input: Tensor<4>) -> Tensor<2> {
        self.run(input, None)
    }

    /// Logits `[batch, 10]` with `knockouts` applied (none: a plain forward).
    pub fn forward_with_knockouts(&self, input: Tensor<4>, knockouts: &Knockouts) -> Tensor<2> {
        if knockouts.is_empty() {
            return self.forward(input);
        }
        let mut recorder = TapRecorder::default()
            .with_knockouts(knockouts)
            .discarding_taps();
        self.forward_recording(input, &mut recorder)
    }

    /// Logits and every activation tap, in the order of [`Architecture::taps`].
    pub fn forward_with_taps(&self, input: Tensor<4>) -> (Tensor<2>, Vec<Tap>) {
        let mut recorder = TapRecorder::default();
        let logits = self.forward_recording(input, &mut recorder);
        (logits, recorder.into_taps())
    }

    /// Logits; `recorder` collects the taps (and the input it watches).
    pub fn forward_recording(&self, input: Tensor<4>, recorder: &mut TapRecorder) -> Tensor<2> {
        self.run(input, Some(recorder))
    }

    /// The first convolution's kernels `[out, in, k, k]`: what the visualizer shows as images.
    pub fn first_conv_kernels(&self) -> Option<Tensor<4>> {
        self.layers.iter().find_map(Layer::first_conv_weight)
    }

    /// Parameterized PyTorch modules with their `state_dict` prefixes, in `state_dict` order.
    pub(crate) fn leaves(&mut self) -> Leaves<'_> {
        let mut leaves = Leaves::default();
        for (node, layer) in self.architecture.root.iter().zip(self.layers.iter_mut()) {
            layer.leaves(node, &node.key, &mut leaves);
        }
        leaves
    }
}
