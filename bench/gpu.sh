#!/usr/bin/env bash
# Every benchmark on a Linux machine with a GPU (a Vulkan driver): the native bench on burn's
# wgpu backend, then the web app's inference and training benches in headless Chromium on the
# real adapter, and the CPU on one thread against several. Prints the same tables as the benches
# alone, with the adapter named first.
# Usage: bench/gpu.sh [seconds per training measurement]   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
rust_components
browser
web_tools

seconds="${1:-15}"
echo "== the machine"
uname -srm
if command -v vulkaninfo >/dev/null; then
  vulkaninfo --summary 2>/dev/null | grep -E "deviceName|deviceType|driverName" || true
else
  echo "(vulkaninfo not installed: apt install vulkan-tools to name the Vulkan devices)"
fi
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv || true

echo "== native (burn Flex and burn wgpu), autotune off (the app's build)"
cargo bench --bench native
echo "== native on wgpu, autotune on"
cargo bench --bench native --features autotune -- --wgpu-only
echo "== native on wgpu, burn's kernel fusion on (autotune off)"
cargo bench --bench native --features fusion -- --wgpu-only
echo "== the seed networks on wgpu, autotune off, then on"
cargo bench --bench native -- --seed
cargo bench --bench native --features autotune -- --seed

echo "== the web app, release build"
cargo build --release --locked
CARGO_TARGET_DIR="$WASM_RELEASE_TARGET_DIR" trunk build --release --offline=true
export CONVSCOPE_CLI="$CARGO_TARGET_DIR/release/convscope"
# Chromium on the machine's GPU rather than SwiftShader: Vulkan for WebGPU (Dawn) and ANGLE
# (WebGL, for TF.js), the GPU blocklist ignored (headless has no display to vouch for it), and
# no Vulkan surface (no display): with --use-vulkan=native instead, Chromium's Vulkan instance
# failed on an NVIDIA H200 (a surface extension missing) and WebGPU fell back to SwiftShader.
export CONVSCOPE_CHROMIUM_ARGS="--ignore-gpu-blocklist --enable-features=Vulkan --use-angle=vulkan --disable-vulkan-surface"
echo "== inference and drawing to maps (bench/web.mjs)"
node bench/web.mjs
echo "== inference against TF.js (bench/inference.mjs)"
node bench/inference.mjs
echo "== training against TF.js's GPU backends (bench/train.mjs --gpu-only)"
# The GPU APIs first: TF.js's plain-JS CPU backend took minutes per preset to warm up on an H200
# and ate the time meant for the rest. The CPU columns follow.
node bench/train.mjs "$seconds" --gpu-only
echo "== training against TF.js, every backend (bench/train.mjs)"
node bench/train.mjs "$seconds"
echo "== the web app again with burn's kernel fusion (trunk build --features fusion)"
# Into a folder of its own, so dist/ keeps the shipped build.
export CONVSCOPE_DIST="$CARGO_TARGET_DIR/dist-fusion"
CARGO_TARGET_DIR="$WASM_RELEASE_TARGET_DIR" trunk build --release --offline=true --features fusion \
  --dist "$CONVSCOPE_DIST"
echo "== training against TF.js's GPU backends, fusion on (bench/train.mjs --gpu-only)"
node bench/train.mjs "$seconds" --gpu-only
echo "== inference against TF.js, fusion on (bench/inference.mjs)"
node bench/inference.mjs
echo "== the CPU on one thread and on several (CONVSCOPE_THREADS=1, bench/threads.mjs)"
# The engine with threads needs a nightly toolchain, which scripts/threads.sh installs: on a
# machine that cannot download it, this part is skipped.
export CONVSCOPE_DIST="$CARGO_TARGET_DIR/dist-threads"
if CONVSCOPE_THREADS=1 CARGO_TARGET_DIR="$WASM_RELEASE_TARGET_DIR" trunk build --release --offline=true \
  --dist "$CONVSCOPE_DIST"; then
  node bench/threads.mjs "$seconds" --rounds 3
  node bench/accuracy.mjs --only alexnet-lite,resnet18-lite
  node bench/accuracy.mjs --only alexnet-lite,resnet18-lite --isolated
else
  echo "(skipped: the engine with threads could not be built here)"
fi
