//! MNIST, downloaded on first use: the test set for the digit picker and evaluation, the
//! training set for training.

use convscope::data::MnistSplit;

use crate::fetch::fetch_bytes;

struct Files {
    images: &'static str,
    labels: &'static str,
}

const TEST: Files = Files {
    images: "mnist/t10k-images-idx3-ubyte.gz",
    labels: "mnist/t10k-labels-idx1-ubyte.gz",
};
const TRAIN: Files = Files {
    images: "mnist/train-images-idx3-ubyte.gz",
    labels: "mnist/train-labels-idx1-ubyte.gz",
};

#[derive(Default)]
pub struct Mnist {
    test: Option<MnistSplit>,
    train: Option<MnistSplit>,
}

async fn download(
    files: &Files,
    progress: impl FnMut(u64, Option<u64>),
) -> Result<MnistSplit, String> {
    let images = fetch_bytes(files.images, progress).await?;
    let labels = fetch_bytes(files.labels, |_, _| {}).await?;
    MnistSplit::from_idx(&images, &labels)
        .map_err(|e| format!("the MNIST download is damaged: {e}"))
}

impl Mnist {
    pub async fn test(&mut self) -> Result<&MnistSplit, String> {
        if self.test.is_none() {
            self.test = Some(download(&TEST, |_, _| {}).await?);
        }
        Ok(self.test.as_ref().expect("loaded above"))
    }

    /// The training set; `progress(loaded, total)` follows the image file's download.
    pub async fn train(
        &mut self,
        progress: impl FnMut(u64, Option<u64>),
    ) -> Result<&MnistSplit, String> {
        if self.train.is_none() {
            self.train = Some(download(&TRAIN, progress).await?);
        }
        Ok(self.train.as_ref().expect("loaded above"))
    }
}

/// A random index, of a digit of `class` when given.
pub fn pick(split: &MnistSplit, class: Option<u8>) -> Result<usize, String> {
    let candidates: Vec<usize> = (0..split.len())
        .filter(|&index| class.is_none_or(|c| split.label(index) == c))
        .collect();
    if candidates.is_empty() {
        return Err("the MNIST test set has no such digit".into());
    }
    let random = (js_sys::Math::random() * candidates.len() as f64) as usize;
    Ok(candidates[random.min(candidates.len() - 1)])
}
