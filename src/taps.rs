//! Activation taps: the named intermediate outputs the visualizer draws. The recorder that
//! collects them is also where probes act on a forward pass: knock-outs change a tap's value
//! before the next layer reads it, and Grad-CAM cuts the graph at a tap to get its gradient.

use burn::tensor::Tensor;

use crate::arch::walk_join as join;
use crate::probe::Knockouts;

/// One recorded activation, `[batch, channels, height, width]` (hidden layers are
/// `[batch, features, 1, 1]`). Its name matches a [`crate::arch::TapInfo`] of the network.
#[derive(Clone, Debug)]
pub struct Tap {
    pub name: String,
    pub activation: Tensor<4>,
}

/// Which activations a recorder keeps.
#[derive(Debug, Default)]
enum Keep {
    #[default]
    All,
    /// Evaluations over many digits apply knock-outs but keep no activations.
    None,
    /// A search over many digits for one channel's strongest response.
    Only(String),
}

/// Collects taps during a forward pass; a plain forward passes none and pays nothing.
/// It can also keep the input of one module (by PyTorch path), which the pixel maths reads,
/// apply knock-outs, and make one tap a gradient leaf (Grad-CAM).
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
    knockouts: Knockouts,
    keep: Keep,
    gradient_tap: Option<String>,
    gradient_leaf: Option<Tensor<4>>,
}

impl TapRecorder {
    /// A recorder that also keeps the input of the module at `path`.
    pub fn watching(path: &str) -> Self {
        Self {
            watched_path: Some(path.to_string()),
            ..Self::default()
        }
    }

    /// Applies `knockouts` to the taps it records (and to the layers they bypass).
    pub fn with_knockouts(mut self, knockouts: &Knockouts) -> Self {
        self.knockouts = knockouts.clone();
        self
    }

    /// Keeps no activation: for forward passes that only need the knock-outs applied.
    pub fn discarding_taps(mut self) -> Self {
        self.keep = Keep::None;
        self
    }

    /// Keeps the tap `name` only.
    pub fn keeping_only(mut self, name: &str) -> Self {
        self.keep = Keep::Only(name.to_string());
        self
    }

    /// Detaches the tap `name` from the graph and continues the forward pass from it as a
    /// leaf that keeps its gradient (an autodiff device is needed).
    pub fn with_gradient_at(mut self, name: &str) -> Self {
        self.gradient_tap = Some(name.to_string());
        self
    }

    /// The leaf [`TapRecorder::with_gradient_at`] made, once the forward pass reached it.
    pub fn gradient_leaf(&self) -> Option<&Tensor<4>> {
        self.gradient_leaf.as_ref()
    }

    /// Whether the convolutions running now are knocked out (a VGG block made an identity).
    pub(crate) fn bypasses_convolutions(&self) -> bool {
        self.knockouts.bypasses(&self.scope)
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

    /// Records the output of the node whose scope is current; returns what the next layer
    /// reads (the output with its knock-outs).
    pub(crate) fn record_scope(&mut self, activation: Tensor<4>) -> Tensor<4> {
        self.record(self.scope.clone(), activation)
    }

    /// Records a part of the current node, e.g. an Inception branch; returns what the block
    /// goes on with.
    pub(crate) fn record_child(&mut self, name: &str, activation: Tensor<4>) -> Tensor<4> {
        self.record(join(&self.scope, name), activation)
    }

    fn record(&mut self, name: String, activation: Tensor<4>) -> Tensor<4> {
        let mut activation = self.knockouts.apply(&name, activation);
        if self.gradient_tap.as_deref() == Some(name.as_str()) {
            activation = activation.detach().require_grad();
            self.gradient_leaf = Some(activation.clone());
        }
        let kept = match &self.keep {
            Keep::All => true,
            Keep::None => false,
            Keep::Only(only) => *only == name,
        };
        if kept {
            self.taps.push(Tap {
                name,
                activation: activation.clone(),
            });
        }
        activation
    }

    pub fn taps(&self) -> &[Tap] {
        &self.taps
    }

    pub fn into_taps(self) -> Vec<Tap> {
        self.taps
    }
}
