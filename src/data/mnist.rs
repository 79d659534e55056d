//! MNIST in its original IDX format (optionally gzipped, as committed under `assets/mnist/`).

use std::io::Read;

pub const MNIST_SIDE: usize = 28;
pub const MNIST_PIXELS: usize = MNIST_SIDE * MNIST_SIDE;
/// Digits in MNIST's training split.
pub const MNIST_TRAIN_LEN: usize = 60_000;
/// Digits in MNIST's test split.
pub const MNIST_TEST_LEN: usize = 10_000;

const IMAGES_MAGIC: u32 = 0x0000_0803;
const LABELS_MAGIC: u32 = 0x0000_0801;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum DataError {
    #[error("MNIST data is corrupt: {0}")]
    Corrupt(String),
    #[error("MNIST images and labels disagree: {images} images, {labels} labels")]
    CountMismatch { images: usize, labels: usize },
}

/// One split (train or test): 28×28 grayscale images, row-major, 0 = background.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MnistSplit {
    images: Vec<u8>,
    labels: Vec<u8>,
}

fn read_u32(bytes: &[u8], offset: usize) -> Result<u32, DataError> {
    bytes
        .get(offset..offset + 4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or_else(|| DataError::Corrupt("header is truncated".into()))
}

fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, DataError> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .map_err(|error| DataError::Corrupt(format!("gzip: {error}")))?;
    Ok(out)
}

/// Gzip streams start with these two bytes; IDX files with a zero byte.
fn maybe_gunzip(bytes: &[u8]) -> Result<Vec<u8>, DataError> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        gunzip(bytes)
    } else {
        Ok(bytes.to_vec())
    }
}

impl MnistSplit {
    /// Parses an IDX image file and its IDX label file, each raw or gzipped.
    pub fn from_idx(images: &[u8], labels: &[u8]) -> Result<Self, DataError> {
        let images = maybe_gunzip(images)?;
        let labels = maybe_gunzip(labels)?;
        if read_u32(&images, 0)? != IMAGES_MAGIC || read_u32(&labels, 0)? != LABELS_MAGIC {
            return Err(DataError::Corrupt("not IDX image and label files".into()));
        }
        let image_count = read_u32(&images, 4)? as usize;
        let (rows, columns) = (
            read_u32(&images, 8)? as usize,
            read_u32(&images, 12)? as usize,
        );
        if (rows, columns) != (MNIST_SIDE, MNIST_SIDE) {
            return Err(DataError::Corrupt(format!(
                "images are {rows}×{columns}, not 28×28"
            )));
        }
        let label_count = read_u32(&labels, 4)? as usize;
        if image_count != label_count {
            return Err(DataError::CountMismatch {
                images: image_count,
                labels: label_count,
            });
        }
        let pixels = images
            .get(16..16 + image_count * MNIST_PIXELS)
            .ok_or_else(|| DataError::Corrupt("image data is truncated".into()))?;
        let label_bytes = labels
            .get(8..8 + label_count)
            .ok_or_else(|| DataError::Corrupt("label data is truncated".into()))?;
        if let Some(bad) = label_bytes.iter().find(|&&label| label > 9) {
            return Err(DataError::Corrupt(format!("label {bad} is not a digit")));
        }
        Ok(Self {
            images: pixels.to_vec(),
            labels: label_bytes.to_vec(),
        })
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The first `count` samples (all of them if there are fewer).
    pub fn truncated(&self, count: usize) -> Self {
        let count = count.min(self.len());
        Self {
            images: self.images[..count * MNIST_PIXELS].to_vec(),
            labels: self.labels[..count].to_vec(),
        }
    }

    pub fn image(&self, index: usize) -> &[u8] {
        &self.images[index * MNIST_PIXELS..(index + 1) * MNIST_PIXELS]
    }

    pub fn label(&self, index: usize) -> u8 {
        self.labels[index]
    }

    pub fn labels(&self) -> &[u8] {
        &self.labels
    }
}
