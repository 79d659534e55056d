//! Probes: what a part of a network does. Knock-outs switch parts off in the forward pass
//! (never in the weights); saliency and Grad-CAM say where the network looked; the digits that
//! excite a channel most, and an input made to excite it, say what it detects; distortions
//! move, turn, thicken and blur the input to see what the prediction withstands.

mod detect;
mod distortion;
mod explain;
mod knockout;

pub use detect::{ASCENT_STEPS, Firing, TOP_FIRINGS, TopFirings, maximize_activation, top_firings};
pub use distortion::{Distortion, MAX_SHIFT, ShiftCurve, shift_curve};
pub use explain::{
    Explanation, Heatmap, Maps, default_cam_tap, explain, explain_async, grad_cam_taps,
};
pub use knockout::{KnockoutError, Knockouts, WholeKind, WholeTarget, whole_targets};
