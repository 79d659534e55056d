//! Writing `.safetensors` bytes ourselves, because `safetensors::serialize` takes its metadata
//! as a `HashMap` and writes it in that map's (per-instance random) order: the same weights
//! saved twice came out as different bytes.

use std::collections::BTreeMap;

use safetensors::Dtype;
use serde_json::{Map, Value, json};

/// One tensor's little-endian bytes.
pub struct TensorBytes {
    pub dtype: Dtype,
    pub shape: Vec<usize>,
    pub bytes: Vec<u8>,
}

/// The file for `tensors` and `metadata`: the same input always gives the same bytes.
///
/// Wider dtypes come first, so every tensor starts aligned to its own width, as
/// `safetensors::serialize` arranges it.
pub fn encode(
    tensors: BTreeMap<String, TensorBytes>,
    metadata: BTreeMap<String, String>,
) -> Vec<u8> {
    let mut ordered: Vec<(String, TensorBytes)> = tensors.into_iter().collect();
    ordered.sort_by(|(a_key, a), (b_key, b)| {
        b.dtype
            .bitsize()
            .cmp(&a.dtype.bitsize())
            .then_with(|| a_key.cmp(b_key))
    });
    let mut header = Map::new();
    header.insert("__metadata__".into(), json!(metadata));
    let mut offset = 0;
    for (key, tensor) in &ordered {
        let end = offset + tensor.bytes.len();
        header.insert(
            key.clone(),
            json!({ "dtype": tensor.dtype, "shape": tensor.shape, "data_offsets": [offset, end] }),
        );
        offset = end;
    }
    let mut header = Value::Object(header).to_string().into_bytes();
    // The data starts 8-byte aligned, padded with spaces as the format allows.
    header.resize(header.len().next_multiple_of(8), b' ');
    let mut file = Vec::with_capacity(8 + header.len() + offset);
    file.extend_from_slice(&(header.len() as u64).to_le_bytes());
    file.extend_from_slice(&header);
    for (_, tensor) in ordered {
        file.extend_from_slice(&tensor.bytes);
    }
    file
}
