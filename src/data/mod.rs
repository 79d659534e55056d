//! MNIST and the tensors the networks are fed.

mod batch;
mod input;
mod mnist;
pub(crate) mod random;
mod shuffle;
mod strokes;

pub use batch::{Batch, batch_from_indices};
pub use input::{MNIST_MEAN, MNIST_STD, network_input, normalize_pixel};
pub use mnist::{DataError, MNIST_PIXELS, MNIST_SIDE, MNIST_TEST_LEN, MNIST_TRAIN_LEN, MnistSplit};
pub use shuffle::epoch_order;
pub use strokes::{STROKE_MAX, Stroke, StrokesError, decode_strokes, encode_strokes};
