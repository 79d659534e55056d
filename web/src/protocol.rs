//! Messages between the page (leptos UI) and the engine worker (burn), serialized with
//! serde-wasm-bindgen. Bulk data travels as bytes (`ByteBuf` becomes a `Uint8Array`).

use convscope::pixel_math::{PixelMath, PixelQuery};
use convscope::preprocess::Placement;
use convscope::probe::{Distortion, Explanation, Firing, Heatmap, ShiftCurve};
use convscope::training::{
    Evaluation, LaneUpdate, RaceConfig, RaceStanding, RunConfig, RunProgress,
};
use serde::de::IntoDeserializer;
use serde::de::value::StrDeserializer;
use serde::{Deserialize, Serialize};
use serde_bytes::ByteBuf;

/// Which backend the user asked for. Its serde names (`auto`, `webgpu`, `cpu`) are also those
/// of `?backend=`, the stored setting and the backend picker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BackendChoice {
    /// WebGPU when the browser has an adapter, else the CPU.
    Auto,
    #[serde(alias = "gpu")]
    WebGpu,
    Cpu,
}

impl BackendChoice {
    pub const ALL: [BackendChoice; 3] = [
        BackendChoice::Auto,
        BackendChoice::WebGpu,
        BackendChoice::Cpu,
    ];

    /// Reads a name (any case; `gpu` for `webgpu`).
    pub fn from_name(name: &str) -> Option<Self> {
        let name = name.to_ascii_lowercase();
        let deserializer: StrDeserializer<'_, serde::de::value::Error> =
            name.as_str().into_deserializer();
        Self::deserialize(deserializer).ok()
    }

    pub fn name(self) -> String {
        serde_wasm_bindgen::to_value(&self)
            .ok()
            .and_then(|value| value.as_string())
            .unwrap_or_default()
    }
}

/// The backend the engine runs on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BackendInfo {
    pub webgpu: bool,
    /// The adapter's description, e.g. "SwiftShader (Google)"; "burn Flex" for the CPU.
    pub adapter: String,
    /// Why WebGPU was not used when it was asked for.
    pub fallback_reason: Option<String>,
    /// On WebGPU: the largest buffer the device allows (a network with a larger layer cannot
    /// run there).
    pub max_buffer_bytes: Option<u64>,
    /// How many threads the CPU backend computes on: 1, unless the page is cross-origin
    /// isolated and the engine's build with threads loaded (`engine-worker.js`).
    pub cpu_threads: usize,
}

/// A digit to run through the network.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum DigitInput {
    /// Pixels of the drawing canvas, at most at the size the engine works on
    /// (`preprocess::drawing_at_working_size`; the engine shrinks a larger one itself).
    Drawing {
        width: u32,
        height: u32,
        rgba: ByteBuf,
    },
    /// An uploaded, dropped or pasted file.
    File { name: String, bytes: ByteBuf },
    /// A digit of the MNIST test set: a given one, or a random one (of a class).
    MnistTest {
        index: Option<usize>,
        class: Option<u8>,
    },
}

/// The page numbers each network it asks for; answers about a network carry its number, so
/// the page can tell answers about the network it shows from late ones about an earlier one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkId(pub u64);

/// What the probes do to an inference: parts switched off, the digit distorted, and whether
/// to say where the network looked.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProbeSettings {
    /// Knock-out targets, as `convscope::probe::Knockouts::parse` reads them.
    pub knockouts: Vec<String>,
    pub distortion: Distortion,
    /// Saliency and Grad-CAM, when asked for.
    pub explain: Option<ExplainSettings>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExplainSettings {
    /// The class explained; `None`: the predicted one.
    pub class: Option<usize>,
    /// Grad-CAM's tap; `None`: the last convolutional map before pooling.
    pub cam_tap: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Request {
    Start {
        backend: BackendChoice,
    },
    /// Build `preset`, with these `.safetensors` weights or randomly initialized.
    LoadNetwork {
        network: NetworkId,
        preset: String,
        weights: Option<ByteBuf>,
    },
    /// Replace the current network's weights (a user's file); the network stays on failure.
    ImportWeights {
        bytes: ByteBuf,
    },
    ExportWeights,
    Infer {
        id: u64,
        input: DigitInput,
        probe: ProbeSettings,
    },
    /// MNIST test accuracy of the current weights with these knock-outs (and without), on the
    /// first `size` test digits.
    KnockoutAccuracy {
        id: u64,
        knockouts: Vec<String>,
        size: usize,
    },
    CancelKnockoutAccuracy,
    /// The test digits (the first `size`) that excite a channel most; kept while the weights
    /// stay.
    TopExamples {
        id: u64,
        tap: String,
        channel: usize,
        size: usize,
    },
    CancelTopExamples,
    /// An input made by gradient ascent to excite a channel.
    MaximizeActivation {
        id: u64,
        tap: String,
        channel: usize,
    },
    /// The probability of `class` as the (distorted) digit shifts, for every browser preset
    /// (the page's network with its knock-outs).
    ShiftCurves {
        id: u64,
        input: DigitInput,
        probe: ProbeSettings,
        class: usize,
    },
    /// The maths of one pixel of a tap, for the input of inference `inference`.
    ExplainPixel {
        inference: u64,
        query: PixelQuery,
    },
    /// The input through every browser preset, for the compare view.
    Compare {
        id: u64,
        input: DigitInput,
    },
    /// Test hook: destroys the GPU device, as a driver reset would.
    LoseGpuDevice,
    /// Train the current network from its current weights.
    StartTraining {
        config: RunConfig,
    },
    PauseTraining,
    /// Go on, at this learning rate (the user may have lowered it after a blow-up).
    ResumeTraining {
        learning_rate: f64,
    },
    /// End the run; the network keeps the trained weights.
    StopTraining,
    /// A race from random weights (a running training run pauses).
    StartRace {
        config: RaceConfig,
    },
    PauseRace,
    /// Go on with the paused race, or with a kept one (after a reload).
    ResumeRace {
        saved: Option<SavedRace>,
    },
}

/// A race as the page keeps it: the standing and each lane's weights (`.safetensors`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedRace {
    pub standing: RaceStanding,
    pub weights: Vec<ByteBuf>,
}

/// One point of the loss curve: the mean loss of the steps since the previous point.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LossPoint {
    pub step: u64,
    pub loss: f32,
}

/// One point of the accuracy curve.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccuracyPoint {
    pub step: u64,
    pub accuracy: f64,
    /// On the whole test set (at an epoch's end) rather than the quick subset.
    pub full: bool,
}

/// The layers' health at one step of a run (see `convscope::training::activation_health`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerHealth {
    pub step: u64,
    /// Convolutions and linear layers (PyTorch paths), with the L2 norm of their weights'
    /// gradient.
    pub layers: Vec<String>,
    pub gradient_norms: Vec<f32>,
    /// ReLU outputs (tap names): their mean and share of zeros on a fixed batch of test digits.
    pub taps: Vec<String>,
    pub means: Vec<f32>,
    pub dead: Vec<f32>,
}

/// A full evaluation, with the misclassified digits' pixels for the gallery.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestReport {
    pub evaluation: Evaluation,
    /// 28×28 pixels of each of `evaluation.mistakes`, concatenated.
    pub mistake_pixels: ByteBuf,
}

/// Why training is not running.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Halt {
    /// The user paused.
    Paused,
    /// The loss became NaN or exploded; the weights are those of the last good step.
    Diverged { step: u64, loss: f32 },
    /// The user stopped.
    Stopped,
    /// Every epoch is done.
    Finished,
}

/// A grayscale image, row-major.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GrayPixels {
    pub width: u32,
    pub height: u32,
    pub pixels: ByteBuf,
}

/// The stages of preprocessing, small.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Steps {
    pub original: GrayPixels,
    pub cropped: GrayPixels,
    pub digit: GrayPixels,
    /// The network's input, first channel, scaled to 0..255.
    pub network_input: GrayPixels,
    /// How the digit maps back onto `original`.
    pub placement: Placement,
}

/// Float tensors travel as little-endian `f32` bytes: the engine's own bytes, copied whole.
/// Every inference sends every tap (about 200 KB for GoogLeNet-lite) on each pen move, and a
/// conversion value by value took most of a millisecond in the worker.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FloatTensor {
    pub shape: Vec<usize>,
    pub values: ByteBuf,
}

// WebAssembly is little-endian, and so is every native target the tests run on.
const _: () = assert!(
    cfg!(target_endian = "little"),
    "f32 bytes travel little-endian"
);

impl FloatTensor {
    pub fn new(shape: Vec<usize>, values: &[f32]) -> Self {
        Self {
            shape,
            values: ByteBuf::from(bytemuck::cast_slice::<f32, u8>(values).to_vec()),
        }
    }

    pub fn to_f32(&self) -> Vec<f32> {
        // Copied into a buffer aligned for f32s: the bytes may sit anywhere.
        bytemuck::pod_collect_to_vec(&self.values)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TapValues {
    pub name: String,
    /// `[channels, height, width]` of one sample.
    pub activation: FloatTensor,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Inference {
    /// The request's id.
    pub id: u64,
    pub probabilities: Vec<f32>,
    pub class: usize,
    pub steps: Steps,
    pub taps: Vec<TapValues>,
    /// For MNIST test digits: which one, and its label.
    pub mnist: Option<(usize, u8)>,
    /// The knock-outs it ran with.
    pub knockouts: Vec<String>,
    /// Saliency and Grad-CAM, when they were asked for.
    pub explanation: Option<Explanation>,
    /// Preprocessing, forward pass and readback in the worker.
    pub compute_ms: f64,
    pub timing: InferenceTiming,
}

/// Where an inference's time went in the worker, so the page can tell the whole trip from a
/// stroke to its maps apart (`bench/web.mjs` prints it). Instants are on the shared clock
/// (`clock::epoch_ms`); durations are milliseconds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InferenceTiming {
    /// When the worker took the request.
    pub started_at: f64,
    /// The image to the network's input: decoding, finding the ink, centring, resizing.
    pub preprocess_ms: f64,
    /// The forward pass with every tap recorded (on WebGPU: only queued).
    pub forward_ms: f64,
    /// Reading logits and taps back from the device.
    pub readback_ms: f64,
    /// Saliency and Grad-CAM, when asked for.
    pub explain_ms: f64,
    /// Packing taps and previews for the page.
    pub package_ms: f64,
    /// When the answer was ready to post.
    pub finished_at: f64,
}

/// One network's answer in the compare view.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComparedNetwork {
    pub preset: String,
    pub probabilities: Vec<f32>,
    pub class: usize,
    /// The forward pass and its readback.
    pub compute_ms: f64,
    /// The page's network, with its current weights (the others have their shipped ones).
    pub current: bool,
}

/// A knock-out set's test accuracy beside the intact network's, on the same digits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KnockoutAccuracy {
    pub knockouts: Vec<String>,
    pub accuracy: f64,
    pub intact: f64,
    pub total: usize,
}

/// One network's shift curve.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NetworkShiftCurve {
    pub preset: String,
    pub curve: ShiftCurve,
}

/// A test digit a channel fires on strongly.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopExample {
    pub firing: Firing,
    pub label: u8,
    /// 28×28 pixels.
    pub pixels: ByteBuf,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopExamples {
    pub tap: String,
    pub channel: usize,
    /// The channel's map size `[h, w]` (where the firings' rows and columns are).
    pub map: [usize; 2],
    /// Digits searched.
    pub seen: usize,
    /// Strongest first.
    pub examples: Vec<TopExample>,
}

/// What the engine was doing when a request failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Operation {
    ReadingMessage,
    LoadingNetwork,
    ImportingWeights,
    ExportingWeights,
    LosingGpuDevice,
    Training,
    KnockoutAccuracy,
    TopExamples,
    Race,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Response {
    Started(BackendInfo),
    NetworkLoaded {
        network: NetworkId,
        /// The first convolution's kernels `[out, in, k, k]`.
        kernels: FloatTensor,
    },
    /// Imported weights are in place.
    WeightsImported {
        kernels: FloatTensor,
    },
    Exported {
        preset: String,
        bytes: ByteBuf,
    },
    Inferred {
        id: u64,
        result: Result<Inference, String>,
    },
    Compared {
        id: u64,
        result: Result<Vec<ComparedNetwork>, String>,
    },
    PixelExplained {
        inference: u64,
        result: Result<PixelMath, String>,
    },
    KnockoutProgress {
        id: u64,
        done: usize,
        total: usize,
    },
    /// The knock-out accuracy run ended: its result, or why not (cancelled: `None`).
    KnockoutAccuracyDone {
        id: u64,
        result: Option<Result<KnockoutAccuracy, String>>,
    },
    ShiftCurves {
        id: u64,
        result: Result<Vec<NetworkShiftCurve>, String>,
    },
    TopExamplesProgress {
        id: u64,
        done: usize,
        total: usize,
    },
    /// The search ended: its result, or why not (cancelled: `None`).
    TopExamplesDone {
        id: u64,
        result: Option<Result<TopExamples, String>>,
    },
    /// Brightness 0..=1 at the network input's size.
    ActivationMaximized {
        id: u64,
        result: Result<Heatmap, String>,
    },
    /// A request failed; the engine's state is what it was before it.
    Failed {
        operation: Operation,
        message: String,
    },
    /// The GPU device is gone: the page restarts the engine on the CPU.
    DeviceLost {
        message: String,
    },
    /// The MNIST training set is downloading.
    TrainingData {
        loaded: u64,
        total: Option<u64>,
    },
    TrainingStarted {
        progress: RunProgress,
    },
    /// Steps were taken since the last report.
    TrainingProgress {
        progress: RunProgress,
        loss: LossPoint,
        images_per_second: f64,
        /// The first convolution's kernels, now and then.
        kernels: Option<FloatTensor>,
        /// The layers' health, every 2 s.
        health: Option<LayerHealth>,
    },
    TestAccuracy {
        point: AccuracyPoint,
        report: Option<Box<TestReport>>,
    },
    /// The current trained weights, to keep (IndexedDB, and for an engine restart).
    Checkpoint {
        network: NetworkId,
        bytes: ByteBuf,
        progress: RunProgress,
        kernels: FloatTensor,
    },
    TrainingHalted {
        halt: Halt,
        progress: RunProgress,
    },
    /// A race began (or went on): the page's copy starts from this standing.
    RaceStarted {
        standing: RaceStanding,
    },
    /// A lane trained a slice or was measured.
    RaceProgress {
        update: LaneUpdate,
    },
    /// The race with its weights, to keep (IndexedDB).
    RaceCheckpoint {
        saved: SavedRace,
    },
    /// The race paused (`finished`: every lane has spent its budget).
    RaceHalted {
        finished: bool,
    },
    /// The request was carried out and needs no other answer.
    Done,
    /// A bug: the worker panicked and cannot go on. (`engine-worker.js` writes this one by
    /// hand when the module fails to load; an end-to-end test checks the page reads it.)
    Panicked {
        message: String,
    },
}

impl Response {
    /// Whether it carries a weights file (hundreds of megabytes for a seed network): such
    /// responses travel as JS values, not encoded first (`message`).
    pub fn carries_weights_file(&self) -> bool {
        matches!(self, Self::Exported { .. } | Self::Checkpoint { .. })
    }
}
