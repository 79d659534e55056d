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
log="$(mktemp)"
status=0
cargo test --release --locked -- --test-threads 2 2>&1 | tee "$log" || status=$?
passed=$(grep -Eo '^test result: .* ([0-9]+) passed' "$log" | grep -Eo '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
failed=$(grep -Eo '[0-9]+ failed;' "$log" | awk '{s+=$1} END {print s+0}')
rm -f "$log"
echo "tests: $passed passed, $failed failed"
exit "$status"
