//! What a channel detects. The test digits that excite it most: for each digit the largest
//! value of the channel's map (and where), the nine largest kept. And an input made to excite
//! it: gradient ascent on the mean of its map, from faint noise, each step on a copy of the
//! image shifted at random by a few pixels (jitter, so the pattern does not hang on one
//! position) and with a small pull of every pixel towards zero (L2 decay).

use burn::module::Module;
use burn::tensor::{Device, Tensor, TensorData};
use serde::{Deserialize, Serialize};

use crate::data::random::SplitMix64;
use crate::data::{MNIST_MEAN, MNIST_STD, MnistSplit, batch_from_indices, network_input};
use crate::model::Model;
use crate::taps::TapRecorder;

/// Digits kept by [`TopFirings`].
pub const TOP_FIRINGS: usize = 9;
pub const ASCENT_STEPS: usize = 64;
const ASCENT_RATE: f32 = 0.1;
const ASCENT_DECAY: f32 = 0.01;
/// Jitter: up to this share of the input's side, either way.
const JITTER_FRACTION: usize = 12;
const ASCENT_SEED: u64 = 0xa5ce_0172;

/// One digit's strongest response of a channel: the value and where in the map.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Firing {
    /// The digit's index in the split.
    pub index: usize,
    pub value: f32,
    pub row: usize,
    pub column: usize,
}

/// The strongest firings of one channel over the digits seen so far.
#[derive(Clone, Debug, PartialEq)]
pub struct TopFirings {
    pub tap: String,
    pub channel: usize,
    /// Strongest first.
    pub found: Vec<Firing>,
    pub seen: usize,
}

impl TopFirings {
    pub fn new(tap: &str, channel: usize) -> Self {
        Self {
            tap: tap.to_string(),
            channel,
            found: Vec::new(),
            seen: 0,
        }
    }

    /// The channel's maps `[batch, 1, h, w]` for the digits `indices` of `split`, left on the
    /// device; `None` if the network has no such tap or channel.
    pub fn maps(
        &self,
        model: &Model,
        split: &MnistSplit,
        indices: &[usize],
        device: &Device,
    ) -> Option<Tensor<4>> {
        let batch = batch_from_indices(split, indices, device);
        let input = network_input(batch.digits, model.architecture().input);
        let mut recorder = TapRecorder::default().keeping_only(&self.tap);
        model.forward_recording(input, &mut recorder);
        let activation = recorder.into_taps().pop()?.activation;
        let [_, channels, _, _] = activation.dims();
        (self.channel < channels).then(|| activation.narrow(1, self.channel, 1))
    }

    /// Counts the maps `[batch, h, w]` (row-major values) of the digits `indices`.
    pub fn record(&mut self, indices: &[usize], maps: &[f32], [height, width]: [usize; 2]) {
        let area = (height * width).max(1);
        for (&index, map) in indices.iter().zip(maps.chunks_exact(area)) {
            let (at, value) = map
                .iter()
                .copied()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .unwrap_or((0, f32::MIN));
            self.found.push(Firing {
                index,
                value,
                row: at / width.max(1),
                column: at % width.max(1),
            });
        }
        self.found.sort_by(|a, b| b.value.total_cmp(&a.value));
        self.found.truncate(TOP_FIRINGS);
        self.seen += indices.len();
    }
}

/// The channel's strongest firings over all of `split`, read back synchronously.
pub fn top_firings(
    model: &Model,
    split: &MnistSplit,
    tap: &str,
    channel: usize,
    batch_size: usize,
) -> Option<TopFirings> {
    let device = model.devices().into_iter().next()?;
    let mut top = TopFirings::new(tap, channel);
    let indices: Vec<usize> = (0..split.len()).collect();
    for chunk in indices.chunks(batch_size.max(1)) {
        let maps = top.maps(model, split, chunk, &device)?;
        let [_, _, height, width] = maps.dims();
        let values = maps.into_data().try_into_vec::<f32>().ok()?;
        top.record(chunk, &values, [height, width]);
    }
    Some(top)
}

/// An input the channel responds to strongly, made by [`ASCENT_STEPS`] steps of gradient
/// ascent: the first channel of the network input as brightness `[h, w]` in 0..=1, left on the
/// device. `None` if the network has no such tap or channel.
pub fn maximize_activation(model: &Model, tap: &str, channel: usize) -> Option<Tensor<2>> {
    let device = model.devices().into_iter().next()?;
    let frozen = model.clone().fork(&device.clone().autodiff()).freeze();
    let mut image = ascent_start(model, &device);
    let mut random = SplitMix64(ASCENT_SEED);
    for _ in 0..ASCENT_STEPS {
        image = ascent_step(&frozen, tap, channel, image, &mut random)?;
    }
    let [_, _, height, width] = image.dims();
    // [1, c, h, w] -> [h, w]
    Some(
        image
            .narrow(1, 0, 1)
            .mul_scalar(MNIST_STD)
            .add_scalar(MNIST_MEAN)
            .reshape([height, width]),
    )
}

/// Faint noise around the background, in the network's normalized units.
fn ascent_start(model: &Model, device: &Device) -> Tensor<4> {
    let [channels, height, width] = model.architecture().input;
    let mut random = SplitMix64(ASCENT_SEED ^ 1);
    let background = -MNIST_MEAN / MNIST_STD;
    let gray: Vec<f32> = (0..height * width)
        .map(|_| background + 0.1 * random.gaussian())
        .collect();
    let pixels: Vec<f32> = (0..channels).flat_map(|_| gray.iter().copied()).collect();
    Tensor::from_data(
        TensorData::new(pixels, [1, channels, height, width]),
        device,
    )
}

/// One step up the gradient of the channel's mean activation, on a jittered copy.
fn ascent_step(
    frozen: &Model,
    tap: &str,
    channel: usize,
    image: Tensor<4>,
    random: &mut SplitMix64,
) -> Option<Tensor<4>> {
    let [_, _, height, width] = image.dims();
    let mut jitter = |side: usize| {
        let reach = (side / JITTER_FRACTION).max(1);
        random.below(2 * reach + 1) as i64 - reach as i64
    };
    let shift = [jitter(height), jitter(width)];
    let leaf = image
        .clone()
        .roll(&shift, &[2, 3])
        .autodiff()
        .require_grad();
    let mut recorder = TapRecorder::default().keeping_only(tap);
    frozen.forward_recording(leaf.clone(), &mut recorder);
    let activation = recorder.into_taps().pop()?.activation;
    let [_, channels, _, _] = activation.dims();
    if channel >= channels {
        return None;
    }
    let gradients = activation.narrow(1, channel, 1).mean().backward();
    let gradient = leaf
        .grad(&gradients)?
        .roll(&[-shift[0], -shift[1]], &[2, 3]);
    // A normalized step: the gradient's size varies by orders of magnitude between layers.
    let scale = gradient
        .clone()
        .abs()
        .mean()
        .add_scalar(1e-8)
        .reshape([1, 1, 1, 1]);
    let step = gradient.div(scale).mul_scalar(ASCENT_RATE);
    let background = -MNIST_MEAN / MNIST_STD;
    let ink = (1.0 - MNIST_MEAN) / MNIST_STD;
    Some(
        (image + step)
            .sub_scalar(background)
            .mul_scalar(1.0 - ASCENT_DECAY)
            .add_scalar(background)
            .clamp(background, ink),
    )
}
