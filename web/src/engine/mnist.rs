//! The MNIST test set for the digit picker, downloaded on first use.

use convscope::data::MnistSplit;

use crate::fetch::fetch_bytes;

const IMAGES_URL: &str = "mnist/t10k-images-idx3-ubyte.gz";
const LABELS_URL: &str = "mnist/t10k-labels-idx1-ubyte.gz";

#[derive(Default)]
pub struct TestSet {
    split: Option<MnistSplit>,
}

impl TestSet {
    pub async fn get(&mut self) -> Result<&MnistSplit, String> {
        if self.split.is_none() {
            let images = fetch_bytes(IMAGES_URL, |_, _| {}).await?;
            let labels = fetch_bytes(LABELS_URL, |_, _| {}).await?;
            let split = MnistSplit::from_idx(&images, &labels)
                .map_err(|e| format!("the MNIST test set is damaged: {e}"))?;
            self.split = Some(split);
        }
        Ok(self.split.as_ref().expect("loaded above"))
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
