#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what is missing, then checks format,
# lints (native and wasm32) and runs every test in release mode.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

# Mesa's lavapipe: a software Vulkan for the native wgpu tests.
apt_install mesa-vulkan-drivers
rust_components

echo "== cargo fmt"
cargo fmt --all -- --check
echo "== cargo clippy (native)"
cargo clippy --release --all-targets --locked -- -D warnings
echo "== cargo clippy (wasm32, core library)"
cargo clippy --release --lib --target wasm32-unknown-unknown --locked -- -D warnings
echo "== cargo test"
cargo test --release --locked -- --test-threads 2
