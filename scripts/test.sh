#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what is missing, then checks format,
# lints (native and wasm32), runs every Rust test in release mode, builds the web app with
# trunk and runs the browser tests in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

# Mesa's lavapipe: a software Vulkan for the native wgpu tests.
apt_install mesa-vulkan-drivers
rust_components
web_tools
browser

echo "== cargo fmt"
cargo fmt --all -- --check
echo "== cargo clippy (native)"
cargo clippy --release --all-targets --locked -- -D warnings
echo "== cargo clippy (wasm32: core library and web app)"
cargo clippy --release --lib --target wasm32-unknown-unknown --locked -- -D warnings
cargo clippy --release -p convscope-web --target wasm32-unknown-unknown --locked -- -D warnings

log="$(mktemp)"
status=0
echo "== cargo test"
cargo test --release --locked -- --test-threads 2 2>&1 | tee "$log" || status=$?
echo "== web app (trunk build) and browser tests"
if build_web; then
  node tests/e2e/run.mjs 2>&1 | tee -a "$log" || status=$?
else
  status=1
fi
rust_passed=$(grep -Eo '^test result: .* ([0-9]+) passed' "$log" | grep -Eo '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
rust_failed=$(grep -Eo '[0-9]+ failed;' "$log" | awk '{s+=$1} END {print s+0}')
e2e_passed=$(grep -E '^e2e: ' "$log" | grep -Eo '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
e2e_failed=$(grep -E '^e2e: ' "$log" | grep -Eo '[0-9]+ failed' | awk '{s+=$1} END {print s+0}')
rm -f "$log"
echo "tests: $((rust_passed + e2e_passed)) passed, $((rust_failed + e2e_failed)) failed (rust $rust_passed/$((rust_passed + rust_failed)), browser $e2e_passed/$((e2e_passed + e2e_failed)))"
exit "$status"
