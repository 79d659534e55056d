//! The parameterized PyTorch modules of a model, each with its `state_dict` prefix.

use burn::nn::Linear;
use burn::nn::conv::Conv2d;

use super::batch_norm::BatchNorm2d;

use crate::arch::walk_join as join;

pub(crate) enum Leaf<'a> {
    Conv(&'a mut Conv2d),
    BatchNorm(&'a mut BatchNorm2d),
    Linear(&'a mut Linear),
}

/// Leaves in PyTorch registration order, i.e. `state_dict` order.
#[derive(Default)]
pub(crate) struct Leaves<'a> {
    pub entries: Vec<(String, Leaf<'a>)>,
}

impl<'a> Leaves<'a> {
    /// `key` is the leaf's attribute under `path`, or empty when `path` is the leaf itself.
    pub fn push(&mut self, path: &str, key: &str, leaf: Leaf<'a>) {
        let full = if key.is_empty() {
            path.to_string()
        } else {
            join(path, key)
        };
        self.entries.push((full, leaf));
    }
}
