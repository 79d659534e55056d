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
/// It can also keep the input of one module (by PyTorch path), which the pixel maths reads.
#[derive(Debug, Default)]
pub struct TapRecorder {
    scope: String,
    scope_lengths: Vec<usize>,
    taps: Vec<Tap>,
    /// PyTorch path of the module running now, e.g. `net.2.0`.
    path: String,
    path_lengths: Vec<usize>,
    watched_path: Option<String>,
    watched_input: Option<Tensor<4>>,
}

impl TapRecorder {
    /// A recorder that also keeps the input of the module at `path`.
    pub fn watching(path: &str) -> Self {
        Self {
            watched_path: Some(path.to_string()),
            ..Self::default()
        }
    }

    /// The watched module's input, once the forward pass has run it.
    pub fn watched_input(&self) -> Option<&Tensor<4>> {
        self.watched_input.as_ref()
    }

    pub(crate) fn enter_module(&mut self, key: &str, input: &Tensor<4>) {
        self.path_lengths.push(self.path.len());
        self.path = join(&self.path, key);
        self.keep_if_watched(&self.path.clone(), input);
    }

    pub(crate) fn leave_module(&mut self) {
        let length = self.path_lengths.pop().unwrap_or(0);
        self.path.truncate(length);
    }

    /// The input of a module inside the current one that has no layer of its own in the tree
    /// (an Inception or residual block's convolutions).
    pub(crate) fn offer_child_input(&mut self, key: &str, input: &Tensor<4>) {
        if self.watched_path.is_some() {
            self.keep_if_watched(&join(&self.path, key), input);
        }
    }

    fn keep_if_watched(&mut self, path: &str, input: &Tensor<4>) {
        if self.watched_path.as_deref() == Some(path) {
            self.watched_input = Some(input.clone());
        }
    }

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

    pub fn taps(&self) -> &[Tap] {
        &self.taps
    }

    pub fn into_taps(self) -> Vec<Tap> {
        self.taps
    }
}
