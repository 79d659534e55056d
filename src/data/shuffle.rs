//! Seeded shuffling that is the same natively and in wasm.

use super::random::SplitMix64;

/// A permutation of `0..len` for `epoch` of a run seeded with `seed` (Fisher–Yates).
pub fn epoch_order(len: usize, seed: u64, epoch: u64) -> Vec<usize> {
    let mut rng = SplitMix64(seed ^ epoch.wrapping_mul(0xD1B5_4A32_D192_ED03));
    let mut order: Vec<usize> = (0..len).collect();
    for i in (1..len).rev() {
        order.swap(i, rng.below(i + 1));
    }
    order
}
