//! convscope's core: the seed's four classic CNNs in burn, their activation taps, MNIST,
//! preprocessing of user images, training steps and PyTorch weight import and export.
//! No UI here: the web app and the CLI are thin shells on this crate.

pub mod arch;
pub mod data;
pub mod inference;
pub mod lessons;
pub mod model;
pub mod pixel_math;
pub mod preprocess;
pub mod probe;
pub mod summary;
pub mod taps;
pub mod training;
pub mod weights;
