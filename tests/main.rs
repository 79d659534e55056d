//! Every Rust test in one binary: each of these files would otherwise be linked on its own
//! against burn and wgpu, which costs minutes of a cold test build.

mod common;

mod architecture;
mod cli;
mod direct_conv;
mod inference_scheduler;
mod initialization;
mod lessons;
mod max_pool;
mod mnist;
mod parity;
mod pixel_math;
mod preprocess;
mod pretrained;
mod probe;
mod race;
mod seed_code;
mod space_to_depth;
mod strokes;
mod training;
mod weights;
#[cfg(feature = "wgpu")]
mod wgpu;
