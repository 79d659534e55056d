//! Activation taps: the named intermediate outputs the visualizer draws.

use burn::tensor::Tensor;

use crate::arch::walk_join as join;

/// One recorded activation, `[batch, channels, height, width]` (hidden layers are
/// `[batch, features, 1, 1]`). Its name matches a [`crate::arch::TapInfo`] of the network.
#[derive(Clone, Debug)]
pub struct Tap {
    pub name: String,
    pub activation: Tensor<4>,
}

/// Collects taps during a forward pass; a plain forward passes none and pays nothing.
#[derive(Debug, Default)]
pub struct TapRecorder {
    scope: String,
    scope_lengths: Vec<usize>,
    taps: Vec<Tap>,
}

impl TapRecorder {
    pub(crate) fn enter(&mut self, name: &str) {
        self.scope_lengths.push(self.scope.len());
        self.scope = join(&self.scope, name);
    }

    pub(crate) fn leave(&mut self) {
        let length = self.scope_lengths.pop().unwrap_or(0);
        self.scope.truncate(length);
    }

    /// Records the output of the node whose scope is current.
    pub(crate) fn record_scope(&mut self, activation: Tensor<4>) {
        self.taps.push(Tap {
            name: self.scope.clone(),
            activation,
        });
    }

    /// Records a part of the current node, e.g. an Inception branch.
    pub(crate) fn record_child(&mut self, name: &str, activation: Tensor<4>) {
        self.taps.push(Tap {
            name: join(&self.scope, name),
            activation,
        });
    }

    pub fn into_taps(self) -> Vec<Tap> {
        self.taps
    }
}
