//! The maths of one output pixel: how a tap's value at (channel, row, column) came from what
//! the layer read: the input patch and kernel of a convolution (products, sum, bias,
//! BatchNorm, ReLU), a pooling window and its winner, the Inception branch a channel comes
//! from, a residual block's main path plus shortcut. Every kind of tap carries the operands
//! it needs to recompute the value, so the page (and a test) can check the sum.

mod recipe;

use burn::tensor::{Tensor, TensorData, Transaction};
use serde::{Deserialize, Serialize};

use crate::arch::ConvSpec;
use crate::model::Model;
use crate::model::batch_norm::EPSILON;
use crate::model::leaves::Leaf;
use crate::probe::Knockouts;
use crate::taps::TapRecorder;
pub use recipe::{Recipe, recipe};

/// A pixel of a tap: `[channel, row, column]` of one sample's activation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PixelQuery {
    pub tap: String,
    pub channel: usize,
    pub row: usize,
    pub column: usize,
}

/// The value the forward pass produced, and the operation that made it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PixelMath {
    pub query: PixelQuery,
    pub value: f32,
    pub step: Step,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Step {
    Weighted(WeightedSum),
    MaxPool(PoolWindow),
    Average(ChannelAverage),
    Concat(BranchSource),
    Sum(ResidualSum),
    /// An identity shortcut: the block's input at the same place.
    Identity {
        input: f32,
    },
}

/// `relu?(batch_norm?(Σ weight · input + bias))` of a convolution or a linear layer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeightedSum {
    /// The layer's PyTorch path, e.g. `net.0`.
    pub layer: String,
    /// Side of the square patch (1 for a linear layer: each input feature is a channel).
    pub kernel: usize,
    /// Input row and column of the patch's top-left corner; negative inside the padding.
    pub origin: [i64; 2],
    /// One term per input channel.
    pub terms: Vec<ChannelTerm>,
    pub bias: f32,
    pub batch_norm: Option<BatchNormStep>,
    pub relu: bool,
}

/// One input channel's share: its patch (zeros in the padding) and the kernel, row-major.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChannelTerm {
    pub channel: usize,
    pub inputs: Vec<f32>,
    pub weights: Vec<f32>,
}

impl ChannelTerm {
    pub fn sum(&self) -> f64 {
        self.inputs
            .iter()
            .zip(&self.weights)
            .map(|(x, w)| f64::from(*x) * f64::from(*w))
            .sum()
    }
}

/// `(z − mean) / √(variance + ε) · γ + β` with the running statistics.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchNormStep {
    pub layer: String,
    pub mean: f32,
    pub variance: f32,
    pub epsilon: f32,
    pub gamma: f32,
    pub beta: f32,
}

impl BatchNormStep {
    pub fn apply(&self, z: f64) -> f64 {
        (z - f64::from(self.mean)) / (f64::from(self.variance) + f64::from(self.epsilon)).sqrt()
            * f64::from(self.gamma)
            + f64::from(self.beta)
    }
}

impl WeightedSum {
    /// Σ weight · input over every channel.
    pub fn products(&self) -> f64 {
        self.terms.iter().map(ChannelTerm::sum).sum()
    }

    pub fn before_batch_norm(&self) -> f64 {
        self.products() + f64::from(self.bias)
    }

    pub fn before_relu(&self) -> f64 {
        let z = self.before_batch_norm();
        self.batch_norm.as_ref().map_or(z, |norm| norm.apply(z))
    }

    /// Input channels, strongest share first (by absolute value).
    pub fn strongest_terms(&self) -> Vec<&ChannelTerm> {
        let mut terms: Vec<&ChannelTerm> = self.terms.iter().collect();
        terms.sort_by(|a, b| b.sum().abs().total_cmp(&a.sum().abs()));
        terms
    }
}

/// A max-pooling window, row-major; `None` inside the padding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoolWindow {
    pub kernel: usize,
    pub origin: [i64; 2],
    pub values: Vec<Option<f32>>,
}

impl PoolWindow {
    /// Row-major index of the largest value in the window.
    pub fn winner(&self) -> Option<usize> {
        self.values
            .iter()
            .enumerate()
            .filter_map(|(index, value)| value.map(|v| (index, v)))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(index, _)| index)
    }
}

/// A global average pooling: the mean of the whole channel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChannelAverage {
    pub height: usize,
    pub width: usize,
    pub values: Vec<f32>,
}

/// Which Inception branch an output channel is a copy of.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BranchSource {
    /// 0 to 3.
    pub branch: usize,
    pub branch_tap: String,
    pub branch_channel: usize,
    pub branch_value: f32,
    /// Each branch's first output channel in the block's output, in order.
    pub branch_starts: [usize; 4],
}

/// `relu(main + shortcut)` of a residual block.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResidualSum {
    pub main_tap: String,
    pub shortcut_tap: String,
    pub main: f32,
    pub shortcut: f32,
}

impl Step {
    /// The value recomputed from the operands alone.
    pub fn recomputed(&self) -> f64 {
        match self {
            Step::Weighted(sum) if sum.relu => sum.before_relu().max(0.0),
            Step::Weighted(sum) => sum.before_relu(),
            Step::MaxPool(window) => window
                .winner()
                .and_then(|index| window.values[index])
                .map_or(f64::NAN, f64::from),
            Step::Average(average) => {
                let sum: f64 = average.values.iter().map(|v| f64::from(*v)).sum();
                sum / average.values.len().max(1) as f64
            }
            Step::Concat(source) => f64::from(source.branch_value),
            Step::Sum(sum) => (f64::from(sum.main) + f64::from(sum.shortcut)).max(0.0),
            Step::Identity { input } => f64::from(*input),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PixelMathError {
    #[error("the network has no tap called {0}")]
    UnknownTap(String),
    #[error("{tap} has no pixel (channel {channel}, row {row}, column {column})")]
    OutOfRange {
        tap: String,
        channel: usize,
        row: usize,
        column: usize,
    },
    #[error("reading the operands back: {0}")]
    Readback(String),
}

/// The maths of `query` for `input` (`[1, c, h, w]`, preprocessed) with `knockouts` applied,
/// on devices that read back synchronously.
pub fn explain_pixel(
    model: &Model,
    input: Tensor<4>,
    query: &PixelQuery,
    knockouts: &Knockouts,
) -> Result<PixelMath, PixelMathError> {
    let pending = Pending::new(model, input, query, knockouts)?;
    let data = pending
        .transaction()
        .try_execute()
        .map_err(|e| PixelMathError::Readback(format!("{e:?}")))?;
    pending.finish(data)
}

/// [`explain_pixel`] for devices that must be read asynchronously (WebGPU).
pub async fn explain_pixel_async(
    model: &Model,
    input: Tensor<4>,
    query: &PixelQuery,
    knockouts: &Knockouts,
) -> Result<PixelMath, PixelMathError> {
    let pending = Pending::new(model, input, query, knockouts)?;
    let data = pending
        .transaction()
        .execute_async()
        .await
        .map_err(|e| PixelMathError::Readback(format!("{e:?}")))?;
    pending.finish(data)
}

/// What was read back, in order (the tap's pixel first), and how to assemble it.
struct Pending {
    query: PixelQuery,
    reads: Vec<Tensor<4>>,
    plan: Plan,
}

enum Plan {
    /// Reads: the input window, the kernel, the bias if any, then γ, β, mean and variance.
    Weighted {
        layer: String,
        window: Window,
        has_bias: bool,
        batch_norm: Option<String>,
        relu: bool,
    },
    /// Reads: the window of the pooled channel.
    MaxPool { window: Window },
    /// Reads: the whole input channel.
    Average { height: usize, width: usize },
    /// Reads: the block input's pixel.
    Identity,
    /// Reads: the branch's pixel.
    Concat {
        branch: usize,
        branch_tap: String,
        branch_channel: usize,
        branch_starts: [usize; 4],
    },
    /// Reads: the main path's pixel, then the shortcut's.
    Sum {
        main_tap: String,
        shortcut_tap: String,
    },
}

/// The square patch an output pixel reads, and the part of it inside the input.
#[derive(Clone, Copy)]
struct Window {
    kernel: usize,
    origin: [i64; 2],
    rows: (usize, usize),
    columns: (usize, usize),
}

impl Window {
    /// The window of output pixel `at` over `map` (`[1, c, h, w]`).
    fn new(kernel: usize, stride: usize, padding: usize, at: [usize; 2], map: &Tensor<4>) -> Self {
        let [_, _, height, width] = map.dims();
        let size = [height, width];
        let origin = at.map(|position| (position * stride) as i64 - padding as i64);
        let span = |start: i64, size: usize| {
            let first = start.clamp(0, size as i64) as usize;
            let end = (start + kernel as i64).clamp(0, size as i64) as usize;
            (first, end.max(first))
        };
        Self {
            kernel,
            origin,
            rows: span(origin[0], size[0]),
            columns: span(origin[1], size[1]),
        }
    }

    fn cut(&self, map: Tensor<4>) -> Tensor<4> {
        map.narrow(2, self.rows.0, self.rows.1 - self.rows.0)
            .narrow(3, self.columns.0, self.columns.1 - self.columns.0)
    }

    /// Per channel, the `kernel × kernel` patch row-major, `None` in the padding, from the
    /// values of [`Window::cut`] (`[channels, rows, columns]`).
    fn spread(&self, values: &[f32]) -> Vec<Vec<Option<f32>>> {
        let (rows, columns) = (self.rows.1 - self.rows.0, self.columns.1 - self.columns.0);
        let area = (rows * columns).max(1);
        let channels = values.len() / area;
        (0..channels)
            .map(|channel| {
                (0..self.kernel * self.kernel)
                    .map(|index| {
                        let row = self.origin[0] + (index / self.kernel) as i64;
                        let column = self.origin[1] + (index % self.kernel) as i64;
                        let inside = |at: i64, (first, end): (usize, usize)| {
                            (first as i64..end as i64)
                                .contains(&at)
                                .then(|| at as usize - first)
                        };
                        let (r, c) = (inside(row, self.rows)?, inside(column, self.columns)?);
                        Some(values[(channel * rows + r) * columns + c])
                    })
                    .collect()
            })
            .collect()
    }
}

fn pixel(tensor: Tensor<4>, channel: usize, row: usize, column: usize) -> Tensor<4> {
    tensor
        .narrow(1, channel, 1)
        .narrow(2, row, 1)
        .narrow(3, column, 1)
}

/// One entry of a per-channel parameter, as `[1, 1, 1, 1]` so one transaction reads all.
fn entry(vector: Tensor<1>, channel: usize) -> Tensor<4> {
    vector.narrow(0, channel, 1).reshape([1, 1, 1, 1])
}

impl Pending {
    fn new(
        model: &Model,
        input: Tensor<4>,
        query: &PixelQuery,
        knockouts: &Knockouts,
    ) -> Result<Self, PixelMathError> {
        let unknown = |name: &str| PixelMathError::UnknownTap(name.to_string());
        let recipe = recipe(model.architecture(), &query.tap).ok_or_else(|| unknown(&query.tap))?;
        let mut recorder = match recipe.watched_module() {
            Some(path) => TapRecorder::watching(path),
            None => TapRecorder::default(),
        }
        .with_knockouts(knockouts);
        model.forward_recording(input, &mut recorder);
        let tap = |name: &str| {
            recorder
                .taps()
                .iter()
                .find(|tap| tap.name == name)
                .map(|tap| tap.activation.clone())
                .ok_or_else(|| unknown(name))
        };
        let output = tap(&query.tap)?;
        let [_, channels, height, width] = output.dims();
        let PixelQuery {
            channel,
            row,
            column,
            ..
        } = *query;
        if channel >= channels || row >= height || column >= width {
            return Err(PixelMathError::OutOfRange {
                tap: query.tap.clone(),
                channel,
                row,
                column,
            });
        }
        let watched = || {
            recorder
                .watched_input()
                .cloned()
                .ok_or_else(|| unknown(&query.tap))
        };
        let mut reads = vec![pixel(output, channel, row, column)];
        let plan = match recipe {
            Recipe::Weighted {
                layer,
                conv,
                batch_norm,
                relu,
            } => {
                let parameters =
                    Parameters::find(model, &layer, channel).ok_or_else(|| unknown(&query.tap))?;
                let input = watched()?;
                // A linear layer is a 1×1 convolution of its input's single pixel.
                let ConvSpec {
                    kernel,
                    stride,
                    padding,
                    ..
                } = conv.unwrap_or(ConvSpec {
                    out_channels: 0,
                    kernel: 1,
                    stride: 1,
                    padding: 0,
                });
                let window = Window::new(kernel, stride, padding, [row, column], &input);
                reads.push(window.cut(input));
                reads.push(parameters.kernel_weights);
                let has_bias = parameters.bias.is_some();
                reads.extend(parameters.bias);
                if let Some(norm) = &batch_norm {
                    reads.extend(
                        batch_norm_entries(model, norm, channel)
                            .ok_or_else(|| unknown(&query.tap))?,
                    );
                }
                Plan::Weighted {
                    layer,
                    window,
                    has_bias,
                    batch_norm,
                    relu,
                }
            }
            Recipe::MaxPool { spec, .. } => {
                let input = watched()?;
                let window = Window::new(
                    spec.kernel,
                    spec.stride,
                    spec.padding,
                    [row, column],
                    &input,
                );
                reads.push(window.cut(input.narrow(1, channel, 1)));
                Plan::MaxPool { window }
            }
            Recipe::Average { .. } => {
                let input = watched()?;
                let [_, _, height, width] = input.dims();
                reads.push(input.narrow(1, channel, 1));
                Plan::Average { height, width }
            }
            Recipe::Identity { .. } => {
                reads.push(pixel(watched()?, channel, row, column));
                Plan::Identity
            }
            Recipe::Concat { branches } => {
                let mut branch_starts = [0; 4];
                let mut start = 0;
                for (index, name) in branches.iter().enumerate() {
                    branch_starts[index] = start;
                    start += tap(name)?.dims()[1];
                }
                let branch = branch_starts
                    .iter()
                    .rposition(|&first| first <= channel)
                    .unwrap_or(0);
                let branch_channel = channel - branch_starts[branch];
                let branch_tap = branches[branch].clone();
                reads.push(pixel(tap(&branch_tap)?, branch_channel, row, column));
                Plan::Concat {
                    branch,
                    branch_tap,
                    branch_channel,
                    branch_starts,
                }
            }
            Recipe::Sum { main, shortcut } => {
                reads.push(pixel(tap(&main)?, channel, row, column));
                reads.push(pixel(tap(&shortcut)?, channel, row, column));
                Plan::Sum {
                    main_tap: main,
                    shortcut_tap: shortcut,
                }
            }
        };
        Ok(Self {
            query: query.clone(),
            reads,
            plan,
        })
    }

    fn transaction(&self) -> Transaction {
        self.reads
            .iter()
            .fold(Transaction::default(), |transaction, tensor| {
                transaction.register(tensor.clone())
            })
    }

    fn finish(self, data: Vec<TensorData>) -> Result<PixelMath, PixelMathError> {
        let mut reads = Reads(data.into_iter());
        let value = reads.scalar()?;
        let step = match self.plan {
            Plan::Weighted {
                layer,
                window,
                has_bias,
                batch_norm,
                relu,
            } => {
                let patches = window.spread(&reads.values()?);
                let weights = reads.values()?;
                let area = window.kernel * window.kernel;
                let terms = patches
                    .into_iter()
                    .enumerate()
                    .map(|(channel, patch)| ChannelTerm {
                        channel,
                        inputs: patch.into_iter().map(|v| v.unwrap_or(0.0)).collect(),
                        weights: weights[channel * area..(channel + 1) * area].to_vec(),
                    })
                    .collect();
                let bias = if has_bias { reads.scalar()? } else { 0.0 };
                let batch_norm = match batch_norm {
                    Some(layer) => Some(BatchNormStep {
                        layer,
                        gamma: reads.scalar()?,
                        beta: reads.scalar()?,
                        mean: reads.scalar()?,
                        variance: reads.scalar()?,
                        epsilon: EPSILON as f32,
                    }),
                    None => None,
                };
                Step::Weighted(WeightedSum {
                    layer,
                    kernel: window.kernel,
                    origin: window.origin,
                    terms,
                    bias,
                    batch_norm,
                    relu,
                })
            }
            Plan::MaxPool { window } => Step::MaxPool(PoolWindow {
                kernel: window.kernel,
                origin: window.origin,
                values: window
                    .spread(&reads.values()?)
                    .into_iter()
                    .next()
                    .unwrap_or_default(),
            }),
            Plan::Average { height, width } => Step::Average(ChannelAverage {
                height,
                width,
                values: reads.values()?,
            }),
            Plan::Identity => Step::Identity {
                input: reads.scalar()?,
            },
            Plan::Concat {
                branch,
                branch_tap,
                branch_channel,
                branch_starts,
            } => Step::Concat(BranchSource {
                branch,
                branch_tap,
                branch_channel,
                branch_value: reads.scalar()?,
                branch_starts,
            }),
            Plan::Sum {
                main_tap,
                shortcut_tap,
            } => Step::Sum(ResidualSum {
                main_tap,
                shortcut_tap,
                main: reads.scalar()?,
                shortcut: reads.scalar()?,
            }),
        };
        Ok(PixelMath {
            query: self.query,
            value,
            step,
        })
    }
}

/// The read tensors, in the order they were registered.
struct Reads(std::vec::IntoIter<TensorData>);

impl Reads {
    fn values(&mut self) -> Result<Vec<f32>, PixelMathError> {
        let data = self
            .0
            .next()
            .ok_or_else(|| PixelMathError::Readback("too few tensors came back".into()))?;
        data.try_into_vec::<f32>()
            .map_err(|e| PixelMathError::Readback(format!("{e:?}")))
    }

    fn scalar(&mut self) -> Result<f32, PixelMathError> {
        Ok(self.values()?.first().copied().unwrap_or(f32::NAN))
    }
}

/// A layer's parameters for one output channel: the `[1, in, k, k]` kernel (a linear layer's
/// weights as `[1, in, 1, 1]`) and the `[1, 1, 1, 1]` bias.
struct Parameters {
    kernel_weights: Tensor<4>,
    bias: Option<Tensor<4>>,
}

impl Parameters {
    fn find(model: &Model, path: &str, channel: usize) -> Option<Self> {
        let mut model = model.clone();
        let leaves = model.leaves();
        let (_, leaf) = leaves.entries.into_iter().find(|(at, _)| at == path)?;
        match leaf {
            Leaf::Conv(conv) => Some(Self {
                kernel_weights: conv.weight.val().narrow(0, channel, 1),
                bias: conv.bias.as_ref().map(|bias| entry(bias.val(), channel)),
            }),
            Leaf::Linear(linear) => {
                let [inputs, _] = linear.weight.dims();
                Some(Self {
                    kernel_weights: linear
                        .weight
                        .val()
                        .narrow(1, channel, 1)
                        .reshape([1, inputs, 1, 1]),
                    bias: linear.bias.as_ref().map(|bias| entry(bias.val(), channel)),
                })
            }
            Leaf::BatchNorm(_) => None,
        }
    }
}

/// γ, β, running mean and running variance of one channel.
fn batch_norm_entries(model: &Model, path: &str, channel: usize) -> Option<[Tensor<4>; 4]> {
    let mut model = model.clone();
    let leaves = model.leaves();
    let (_, leaf) = leaves.entries.into_iter().find(|(at, _)| at == path)?;
    let Leaf::BatchNorm(norm) = leaf else {
        return None;
    };
    Some([
        entry(norm.gamma.val(), channel),
        entry(norm.beta.val(), channel),
        entry(norm.running_mean.value_sync(), channel),
        entry(norm.running_var.value_sync(), channel),
    ])
}
