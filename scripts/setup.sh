#!/usr/bin/env bash
# Installs what convscope's commands need, when it is missing. Sourced by the other scripts.
set -euo pipefail

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/convscope/target}"
# The web app's wasm32 builds have their own target dir, so the test command can build them
# while the native build runs (cargo locks a target dir for one build at a time).
export WASM_TARGET_DIR="${WASM_TARGET_DIR:-$HOME/.cache/convscope/target-wasm}"
# The shipping build (scripts/serve.sh, the benchmarks) has one of its own too: the test
# command's linted builds pass other flags, and in a shared dir each would rebuild every
# dependency after the other (about 12 minutes here).
export WASM_RELEASE_TARGET_DIR="${WASM_RELEASE_TARGET_DIR:-$HOME/.cache/convscope/target-wasm-release}"
# wgpu's Vulkan loader warns without a runtime dir.
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$HOME/.cache/convscope/runtime}"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

rust_components() {
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
  rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
  rustup target list --installed | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
}

# Web tooling: trunk and wasm-bindgen-cli built once into a cache outside the clone,
# wasm-opt (binaryen), playwright-core and puppeteer-core from npm (package-lock.json). No other
# downloads.
TOOLS="$HOME/.cache/convscope/tools"
export PATH="$TOOLS/bin:$PWD/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
TRUNK_VERSION=0.22.1

web_tools() {
  rust_components
  command -v npm >/dev/null || apt_install nodejs npm
  local bindgen
  bindgen=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
  if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
    echo "setup: building trunk $TRUNK_VERSION (once, a few minutes)"
    # An unoptimized build without debug info: trunk only drives cargo, wasm-bindgen and
    # wasm-opt, and its release build (~11 minutes on 2 cores) buys nothing measurable here.
    CARGO_PROFILE_DEV_DEBUG=0 \
      cargo install trunk --debug --locked --version "$TRUNK_VERSION" --ignore-rust-version \
      --root "$TOOLS" --target-dir "$TOOLS/build" --quiet
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$bindgen"; then
    echo "setup: building wasm-bindgen-cli $bindgen (once)"
    # Not --locked: one of its locked dependencies is no longer on crates.io. Its build is part of
    # every cold test run, its run of every web build: unoptimized but for the crates
    # that parse and write the wasm (308 s of CPU to build, 22 s on the 75 MB test module,
    # against 421 s and 18 s fully at opt-level 1), and only the binary trunk calls.
    local optimized=()
    for crate in walrus wasmparser wasm-encoder wasm-bindgen-cli-support wasm-bindgen-shared \
      gimli leb128 leb128fmt id-arena; do
      optimized+=(--config "profile.dev.package.\"$crate\".opt-level=2")
    done
    CARGO_PROFILE_DEV_DEBUG=0 \
      cargo "${optimized[@]}" install wasm-bindgen-cli --debug --bin wasm-bindgen --version "$bindgen" \
      --root "$TOOLS" --target-dir "$TOOLS/build" --quiet
  fi
  if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] \
    || [ ! -d node_modules/puppeteer-core ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# The browsers the tests drive: Chromium (playwright-core) and Firefox ESR (puppeteer-core);
# Firefox's WebGPU runs on a Vulkan driver, here Mesa's lavapipe.
browser() {
  apt_install chromium firefox-esr mesa-vulkan-drivers
}

# Builds by clippy-driver with warnings denied: the lints of `cargo clippy -D warnings` on the
# workspace's crates, in the same pass as the build the tests need (no separate check build of
# every dependency). The flags reach the dependencies too, whose lints cargo caps. Not through
# RUSTFLAGS, which would replace .cargo/config.toml's wasm32 flags: native builds take
# build.rustflags, wasm32 builds their target's flags, to which cargo adds this variable's.
lint_while_building() {
  RUSTC_WORKSPACE_WRAPPER="$(rustup which clippy-driver)"
  export RUSTC_WORKSPACE_WRAPPER
  export CARGO_BUILD_RUSTFLAGS="-D warnings"
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-D warnings"
}

# The app's static folder, dist/, as the tests take it: profile wasm-ci, no wasm-opt (trunk
# runs it for --release builds only; `scripts/serve.sh` and the benchmarks build --release).
build_web_for_tests() {
  cargo fetch --locked
  CARGO_TARGET_DIR="$WASM_TARGET_DIR" trunk build --offline=true
}

# The cargo build that `build_web_for_tests`'s trunk runs, with the same arguments, so trunk
# finds it done. It needs no web tool, so it can run while they are being built.
build_web_crate() {
  CARGO_TARGET_DIR="$WASM_TARGET_DIR" cargo build --target=wasm32-unknown-unknown \
    --manifest-path web/Cargo.toml --profile wasm-ci --locked --offline
}
