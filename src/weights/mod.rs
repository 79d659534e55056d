//! PyTorch `state_dict`s in `.safetensors` files, in and out.
//!
//! Keys and layouts are PyTorch's: a file written by
//! `safetensors.torch.save_file(model.state_dict(), path)` from the seed code loads into the
//! matching preset, and what we export loads back into PyTorch with `load_state_dict`.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use burn::module::{Module, Param, RunningState};
use burn::tensor::{Device, Tensor, TensorData, Transaction};
use safetensors::tensor::{Dtype, SafeTensors, TensorView};

use crate::arch::Preset;
use crate::model::Model;
use crate::model::leaves::Leaf;

mod file;

use file::TensorBytes;

#[derive(Debug, thiserror::Error)]
pub enum WeightsError {
    #[error("not a readable .safetensors file ({0}); is it truncated?")]
    Unreadable(String),
    #[error("{0}")]
    Mismatch(Mismatch),
    #[error("could not read the weights back from the device: {0}")]
    Readback(String),
}

/// Every way a file's tensors differ from what the network expects.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Mismatch {
    pub missing: Vec<String>,
    pub unexpected: Vec<String>,
    /// `(key, expected shape, file's shape)`.
    pub misshaped: Vec<(String, Vec<usize>, Vec<usize>)>,
    /// `(key, file's dtype)` for tensors that are not float32/float64.
    pub wrong_dtype: Vec<(String, String)>,
    /// A preset whose network the file fits, when it is not this one.
    pub fits_preset: Option<&'static str>,
}

impl Mismatch {
    fn is_empty(&self) -> bool {
        self.missing.is_empty()
            && self.unexpected.is_empty()
            && self.misshaped.is_empty()
            && self.wrong_dtype.is_empty()
    }
}

/// At most this many names per kind of problem, so the message stays one readable line.
const LISTED: usize = 4;

fn list<T>(items: &[T], show: impl Fn(&T) -> String) -> String {
    let mut shown: Vec<String> = items.iter().take(LISTED).map(show).collect();
    if items.len() > LISTED {
        shown.push(format!("and {} more", items.len() - LISTED));
    }
    shown.join(", ")
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the weights do not fit this network")?;
        if let Some(preset) = self.fits_preset {
            write!(f, " (they fit `{preset}`)")?;
        }
        let mut parts = Vec::new();
        if !self.missing.is_empty() {
            parts.push(format!(
                "{} missing: {}",
                self.missing.len(),
                list(&self.missing, String::clone)
            ));
        }
        if !self.unexpected.is_empty() {
            parts.push(format!(
                "{} unexpected: {}",
                self.unexpected.len(),
                list(&self.unexpected, String::clone)
            ));
        }
        if !self.misshaped.is_empty() {
            parts.push(format!(
                "{} misshaped: {}",
                self.misshaped.len(),
                list(&self.misshaped, |(key, expected, got)| format!(
                    "{key} is {got:?}, expected {expected:?}"
                ))
            ));
        }
        if !self.wrong_dtype.is_empty() {
            parts.push(format!(
                "{} not float32: {}",
                self.wrong_dtype.len(),
                list(&self.wrong_dtype, |(key, dtype)| format!(
                    "{key} is {dtype}"
                ))
            ));
        }
        write!(f, ": {}", parts.join("; "))
    }
}

/// One tensor of a PyTorch module's `state_dict`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    ConvWeight,
    ConvBias,
    NormWeight,
    NormBias,
    NormMean,
    NormVar,
    NormBatchesTracked,
    LinearWeight,
    LinearBias,
}

impl Slot {
    fn suffix(self) -> &'static str {
        match self {
            Slot::ConvWeight | Slot::NormWeight | Slot::LinearWeight => "weight",
            Slot::ConvBias | Slot::NormBias | Slot::LinearBias => "bias",
            Slot::NormMean => "running_mean",
            Slot::NormVar => "running_var",
            Slot::NormBatchesTracked => "num_batches_tracked",
        }
    }
}

/// The slots of a leaf with their PyTorch shapes.
fn slots(leaf: &Leaf<'_>) -> Vec<(Slot, Vec<usize>)> {
    match leaf {
        Leaf::Conv(conv) => {
            let shape = conv.weight.lazy_shape().to_vec();
            let out_channels = shape[0];
            vec![
                (Slot::ConvWeight, shape),
                (Slot::ConvBias, vec![out_channels]),
            ]
        }
        Leaf::BatchNorm(norm) => {
            let channels = norm.gamma.lazy_shape().to_vec();
            vec![
                (Slot::NormWeight, channels.clone()),
                (Slot::NormBias, channels.clone()),
                (Slot::NormMean, channels.clone()),
                (Slot::NormVar, channels),
                (Slot::NormBatchesTracked, vec![]),
            ]
        }
        Leaf::Linear(linear) => {
            // burn keeps [in, out]; PyTorch keeps [out, in].
            let shape = linear.weight.lazy_shape().to_vec();
            vec![
                (Slot::LinearWeight, vec![shape[1], shape[0]]),
                (Slot::LinearBias, vec![shape[1]]),
            ]
        }
    }
}

/// The value of a float slot as a flat tensor in PyTorch's layout.
fn read_slot(leaf: &Leaf<'_>, slot: Slot) -> Option<Tensor<1>> {
    let flat = |tensor: Tensor<1>| Some(tensor);
    match (leaf, slot) {
        (Leaf::Conv(conv), Slot::ConvWeight) => flat(conv.weight.val().flatten(0, 3)),
        (Leaf::Conv(conv), Slot::ConvBias) => conv.bias.as_ref().map(|bias| bias.val()),
        (Leaf::BatchNorm(norm), Slot::NormWeight) => flat(norm.gamma.val()),
        (Leaf::BatchNorm(norm), Slot::NormBias) => flat(norm.beta.val()),
        (Leaf::BatchNorm(norm), Slot::NormMean) => flat(norm.running_mean.value_sync()),
        (Leaf::BatchNorm(norm), Slot::NormVar) => flat(norm.running_var.value_sync()),
        (Leaf::Linear(linear), Slot::LinearWeight) => {
            flat(linear.weight.val().transpose().flatten(0, 1))
        }
        (Leaf::Linear(linear), Slot::LinearBias) => linear.bias.as_ref().map(|bias| bias.val()),
        _ => None,
    }
}

/// Replaces a slot with `values` laid out in PyTorch's `shape`.
fn write_slot(leaf: &mut Leaf<'_>, slot: Slot, values: Vec<f32>, shape: &[usize], device: &Device) {
    let data = TensorData::new(values, shape.to_vec());
    match (leaf, slot) {
        (Leaf::Conv(conv), Slot::ConvWeight) => {
            conv.weight = Param::from_tensor(Tensor::from_data(data, device))
        }
        (Leaf::Conv(conv), Slot::ConvBias) => {
            conv.bias = Some(Param::from_tensor(Tensor::from_data(data, device)))
        }
        (Leaf::BatchNorm(norm), Slot::NormWeight) => {
            norm.gamma = Param::from_tensor(Tensor::from_data(data, device))
        }
        (Leaf::BatchNorm(norm), Slot::NormBias) => {
            norm.beta = Param::from_tensor(Tensor::from_data(data, device))
        }
        (Leaf::BatchNorm(norm), Slot::NormMean) => {
            norm.running_mean = RunningState::new(Tensor::from_data(data, device))
        }
        (Leaf::BatchNorm(norm), Slot::NormVar) => {
            norm.running_var = RunningState::new(Tensor::from_data(data, device))
        }
        (Leaf::Linear(linear), Slot::LinearWeight) => {
            let torch_layout = Tensor::<2>::from_data(data, device);
            linear.weight = Param::from_tensor(torch_layout.transpose());
        }
        (Leaf::Linear(linear), Slot::LinearBias) => {
            linear.bias = Some(Param::from_tensor(Tensor::from_data(data, device)))
        }
        _ => {}
    }
}

/// `(key, PyTorch shape)` of every tensor the model's `state_dict` holds.
fn expected_keys(model: &mut Model) -> Vec<(String, Slot, Vec<usize>)> {
    let mut expected = Vec::new();
    for (path, leaf) in model.leaves().entries {
        for (slot, shape) in slots(&leaf) {
            expected.push((format!("{path}.{}", slot.suffix()), slot, shape));
        }
    }
    expected
}

fn to_f32(view: &TensorView<'_>) -> Vec<f32> {
    let bytes = view.data();
    match view.dtype() {
        Dtype::F64 => bytes
            .chunks_exact(8)
            .map(|chunk| f64::from_le_bytes(chunk.try_into().expect("8-byte chunk")) as f32)
            .collect(),
        _ => bytes
            .chunks_exact(4)
            .map(|chunk| f32::from_le_bytes(chunk.try_into().expect("4-byte chunk")))
            .collect(),
    }
}

/// PyTorch stores `num_batches_tracked` as an int64 scalar; other integer widths are tolerated.
fn to_count(view: &TensorView<'_>) -> i64 {
    let bytes = view.data();
    let mut le = [0u8; 8];
    let width = match view.dtype() {
        Dtype::I64 | Dtype::U64 => 8,
        Dtype::I32 | Dtype::U32 => 4,
        _ => return 0,
    };
    if let Some(value) = bytes.get(..width) {
        le[..width].copy_from_slice(value);
    }
    i64::from_le_bytes(le)
}

fn parse(bytes: &[u8]) -> Result<SafeTensors<'_>, WeightsError> {
    SafeTensors::deserialize(bytes).map_err(|error| WeightsError::Unreadable(error.to_string()))
}

fn compare(expected: &[(String, Slot, Vec<usize>)], file: &SafeTensors<'_>) -> Mismatch {
    let mut mismatch = Mismatch::default();
    let file_keys: HashMap<String, TensorView<'_>> = file.tensors().into_iter().collect();
    for (key, slot, shape) in expected {
        let Some(view) = file_keys.get(key) else {
            // PyTorch's momentum-free BatchNorm is the only user of this count.
            if *slot != Slot::NormBatchesTracked {
                mismatch.missing.push(key.clone());
            }
            continue;
        };
        if *slot == Slot::NormBatchesTracked {
            continue;
        }
        if view.shape() != shape.as_slice() {
            mismatch
                .misshaped
                .push((key.clone(), shape.clone(), view.shape().to_vec()));
        } else if !matches!(view.dtype(), Dtype::F32 | Dtype::F64) {
            mismatch
                .wrong_dtype
                .push((key.clone(), format!("{:?}", view.dtype())));
        }
    }
    let known: std::collections::HashSet<&str> =
        expected.iter().map(|(key, ..)| key.as_str()).collect();
    let mut unexpected: Vec<String> = file_keys
        .keys()
        .filter(|key| !known.contains(key.as_str()))
        .cloned()
        .collect();
    unexpected.sort();
    mismatch.unexpected = unexpected;
    mismatch
}

/// `(key, PyTorch shape)` of every entry of the model's `state_dict`, in PyTorch's order.
pub fn state_dict_layout(model: &Model) -> Vec<(String, Vec<usize>)> {
    expected_keys(&mut model.clone())
        .into_iter()
        .map(|(key, _, shape)| (key, shape))
        .collect()
}

/// The first preset whose network takes the file as it is.
fn preset_fitting(file: &SafeTensors<'_>, device: &Device) -> Option<&'static str> {
    Preset::ALL.iter().find_map(|preset| {
        let mut model = Model::from_preset(preset, device);
        compare(&expected_keys(&mut model), file)
            .is_empty()
            .then_some(preset.name)
    })
}

/// A copy of `model` holding the file's PyTorch `state_dict`. `model` itself is never changed,
/// so a file that does not fit loses the user nothing.
pub fn load_safetensors(model: &Model, bytes: &[u8]) -> Result<Model, WeightsError> {
    let file = parse(bytes)?;
    let mut loaded = model.clone();
    let expected = expected_keys(&mut loaded);
    let device = model_device(model);
    let mut mismatch = compare(&expected, &file);
    if !mismatch.is_empty() {
        mismatch.fits_preset = preset_fitting(&file, &device);
        return Err(WeightsError::Mismatch(mismatch));
    }
    let mut batches_tracked = 0;
    for (path, mut leaf) in loaded.leaves().entries {
        for (slot, shape) in slots(&leaf) {
            let key = format!("{path}.{}", slot.suffix());
            let Ok(view) = file.tensor(&key) else {
                continue;
            };
            if slot == Slot::NormBatchesTracked {
                batches_tracked = batches_tracked.max(to_count(&view));
            } else {
                write_slot(&mut leaf, slot, to_f32(&view), &shape, &device);
            }
        }
    }
    loaded.set_batches_tracked(batches_tracked);
    Ok(loaded)
}

fn model_device(model: &Model) -> Device {
    model
        .devices()
        .into_iter()
        .next()
        .unwrap_or_else(Device::flex)
}

/// The tensors to read for an export, registered in one transaction so a GPU is read once.
struct PendingExport {
    /// `(key, PyTorch shape)` of float tensors, in the transaction's order.
    floats: Vec<(String, Vec<usize>)>,
    counts: Vec<String>,
    transaction: Transaction,
    batches_tracked: i64,
    preset_name: String,
}

fn pending_export(model: &Model, preset_name: &str) -> PendingExport {
    let mut model = model.clone();
    let batches_tracked = model.batches_tracked();
    let mut pending = PendingExport {
        floats: Vec::new(),
        counts: Vec::new(),
        transaction: Transaction::default(),
        batches_tracked,
        preset_name: preset_name.to_string(),
    };
    for (path, leaf) in model.leaves().entries {
        for (slot, shape) in slots(&leaf) {
            let key = format!("{path}.{}", slot.suffix());
            if slot == Slot::NormBatchesTracked {
                pending.counts.push(key);
            } else if let Some(tensor) = read_slot(&leaf, slot) {
                pending.transaction = pending.transaction.register(tensor);
                pending.floats.push((key, shape));
            }
        }
    }
    pending
}

fn serialize(pending: PendingExport, data: Vec<TensorData>) -> Result<Vec<u8>, WeightsError> {
    let mut tensors = BTreeMap::new();
    for ((key, shape), data) in pending.floats.into_iter().zip(data) {
        let values = data
            .try_to_vec::<f32>()
            .map_err(|error| WeightsError::Readback(format!("{error:?}")))?;
        let bytes = values
            .iter()
            .flat_map(|value| value.to_le_bytes())
            .collect();
        let tensor = TensorBytes {
            dtype: Dtype::F32,
            shape,
            bytes,
        };
        tensors.insert(key, tensor);
    }
    for key in pending.counts {
        let tensor = TensorBytes {
            dtype: Dtype::I64,
            shape: vec![],
            bytes: pending.batches_tracked.to_le_bytes().to_vec(),
        };
        tensors.insert(key, tensor);
    }
    let metadata = BTreeMap::from([
        ("format".to_string(), "pt".to_string()),
        ("convscope_preset".to_string(), pending.preset_name),
    ]);
    Ok(file::encode(tensors, metadata))
}

/// The model's `state_dict` as a `.safetensors` file, with PyTorch's keys and layouts.
pub fn save_safetensors(model: &Model, preset_name: &str) -> Result<Vec<u8>, WeightsError> {
    let mut pending = pending_export(model, preset_name);
    let transaction = std::mem::take(&mut pending.transaction);
    let data = transaction
        .try_execute()
        .map_err(|error| WeightsError::Readback(format!("{error:?}")))?;
    serialize(pending, data)
}

/// [`save_safetensors`] for devices that must be read asynchronously (WebGPU).
pub async fn save_safetensors_async(
    model: &Model,
    preset_name: &str,
) -> Result<Vec<u8>, WeightsError> {
    let mut pending = pending_export(model, preset_name);
    let transaction = std::mem::take(&mut pending.transaction);
    let data = transaction
        .execute_async()
        .await
        .map_err(|error| WeightsError::Readback(format!("{error:?}")))?;
    serialize(pending, data)
}
