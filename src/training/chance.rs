//! What a guess scores, the line every curve is read against: a network that has learned
//! nothing spreads its belief evenly over the digits.

use crate::arch::CLASSES;

/// The cross-entropy of an even guess among the classes: ln 10 ≈ 2.30 for digits.
pub fn chance_loss() -> f64 {
    (CLASSES as f64).ln()
}

/// How often a blind guess is right: one time in ten for digits.
pub fn chance_accuracy() -> f64 {
    1.0 / CLASSES as f64
}
