#!/usr/bin/env bash
# A trunk hook: when CONVSCOPE_THREADS=1, builds the engine with threads into the build's
# threads/ folder, which `engine-worker.js` loads for the CPU on a cross-origin isolated page.
# It is the web crate again, without WebGPU and with its `threads` feature (burn Flex's rayon on
# wasm-bindgen-rayon's workers), for wasm32 with atomics and a shared memory. The standard
# library must be rebuilt with atomics for that, which only a nightly toolchain does
# (`-Z build-std`); this script installs a pinned one, with its source, when missing. Without
# the variable it does nothing: it is a second build (about 10 minutes cold on 2 cores), and
# most static hosts cannot isolate a page.
set -euo pipefail
[ "${CONVSCOPE_THREADS:-}" = 1 ] || exit 0
cd "$TRUNK_SOURCE_DIR"
source scripts/setup.sh

NIGHTLY=nightly-2026-05-20
if ! rustup component list --installed --toolchain "$NIGHTLY" 2>/dev/null | grep -q '^rust-src'; then
  echo "threads: installing $NIGHTLY with rust-src (once)"
  rustup toolchain install "$NIGHTLY" --profile minimal --component rust-src
fi

# The shipping build's profile for a release build (then wasm-opt, as trunk does for the app),
# the tests' for the others. Not linted by the test command's clippy-driver, which is stable's.
unset RUSTC_WORKSPACE_WRAPPER
if [ "$TRUNK_PROFILE" = release ]; then profile=wasm-release; else profile=wasm-ci; fi
target_dir="${WASM_THREADS_TARGET_DIR:-$HOME/.cache/convscope/target-wasm-threads}"
# RUSTFLAGS replaces .cargo/config.toml's wasm32 flags, so SIMD is asked for again; web/build.rs
# adds the shared memory's link arguments.
RUSTFLAGS="-C target-feature=+atomics,+bulk-memory,+mutable-globals,+simd128" \
  cargo "+$NIGHTLY" build --locked -Z build-std=panic_abort,std \
  --target wasm32-unknown-unknown --manifest-path web/Cargo.toml --no-default-features --features threads \
  --profile "$profile" --target-dir "$target_dir"

out="$TRUNK_STAGING_DIR/threads"
rm -rf "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name convscope-web \
  "$target_dir/wasm32-unknown-unknown/$profile/convscope_web.wasm"
if [ "$TRUNK_PROFILE" = release ]; then
  wasm-opt -Oz "$out/convscope-web_bg.wasm" -o "$out/convscope-web_bg.wasm"
fi
echo "threads: $(du -h "$out/convscope-web_bg.wasm" | cut -f1) engine with threads in threads/"
