#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what is missing, then checks format,
# builds everything with clippy's lints denied (native and wasm32), runs every Rust test in
# release mode (profile `ci`), builds the web app with trunk and runs the browser tests in
# headless Chromium, and the ones that matter most in headless Firefox ESR too.
#
# Two pipelines run side by side: native (the tests' build, linted, then cargo test) and web
# (the app's wasm32 build, linted, beside the building of trunk and wasm-bindgen-cli when they
# are missing; then the trunk build, which finds the app built). Each has long stretches on
# one core (big crates, linking), so together they keep both cores busy. The browser tests
# start when the web pipeline ends, beside what is left of the native one.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

# Each step's heading says when it began (minutes:seconds since the start), so a slow run shows
# where its time went.
started=$(date +%s)
step() {
  local elapsed=$(($(date +%s) - started))
  printf '== [%d:%02d] %s\n' $((elapsed / 60)) $((elapsed % 60)) "$*"
}

# Mesa's lavapipe: a software Vulkan for Firefox's WebGPU (and the native wgpu test, when built).
apt_install mesa-vulkan-drivers
rust_components
browser
command -v npm >/dev/null || apt_install nodejs npm

step "cargo fmt"
cargo fmt --all -- --check
cargo fetch --locked >/dev/null

web_log="$(mktemp)"
(
  step "web app (cargo build, linted: clippy -D warnings on the core library and the web app, wasm32)"
  # The app's own build needs none of the web tools: it runs while they are built.
  (lint_while_building && build_web_crate) &
  web_crate=$!
  step "web tools (trunk, wasm-bindgen-cli, npm packages), when missing"
  web_tools
  wait "$web_crate"
  step "web app (trunk build)"
  lint_while_building
  build_web_for_tests
  step "web pipeline done"
) >"$web_log" 2>&1 &
web_pipeline=$!

# The native build leaves burn's wgpu backend out (the crate's default feature `wgpu`): the GPU
# stack was the largest part of a cold build, for one parity test on lavapipe, and the browser
# tests check WebGPU's numbers against the CLI's. CONVSCOPE_NATIVE_WGPU=1 builds it in, with
# that test (tests/wgpu.rs) and the CLI's `--device wgpu`.
native_features=(--no-default-features)
if [ -n "${CONVSCOPE_NATIVE_WGPU:-}" ]; then
  native_features=()
fi

status=0
# The native pipeline runs in the background too: the browser tests start once the web app is
# built, and those that compare the page with the CLI wait for the native build's end, which
# it writes to $cli_ready ("ok", or why not).
native_log="$(mktemp)"
cli_ready="$(mktemp -u)"
step "cargo test (linted: clippy -D warnings on the library, CLI, tests and benchmark)"
# At a lower priority while the web pipeline runs: on a cold machine it is the longer build.
(
  # However this ends, the browser tests waiting for the CLI learn of it.
  trap '[ -e "$cli_ready" ] || echo "no CLI: the native pipeline stopped" >"$cli_ready"' EXIT
  lint_while_building
  if ! nice -n 10 cargo build --profile ci --locked --benches "${native_features[@]}"; then
    echo "failed" >"$cli_ready"
    exit 1
  fi
  echo "ok" >"$cli_ready"
  step "cargo test (run)"
  nice -n 10 cargo test --profile ci --locked "${native_features[@]}" -- --test-threads 2
) >"$native_log" 2>&1 &
native_pipeline=$!

web_status=0
wait "$web_pipeline" || web_status=$?
# From here the native build is the longer path (the tests that compare with the CLI wait for
# it): back to the priority of the browser tests. This script's process group holds both
# pipelines; lowering a niceness needs root, and without it the build stays lower.
renice -n 0 -g "$(ps -o pgid= -p $$ | tr -d ' ')" >/dev/null 2>&1 || true
step "the web pipeline's log (it ran beside the native one)"
cat "$web_log"
rm -f "$web_log"
e2e_log="$(mktemp)"
if [ "$web_status" = 0 ]; then
  step "browser tests (beside the native pipeline while it runs)"
  # The browser tests compare the page with the CLI that the native pipeline builds.
  export CONVSCOPE_CLI="$CARGO_TARGET_DIR/ci/convscope" CONVSCOPE_CLI_READY="$cli_ready"
  node tests/e2e/run.mjs 2>&1 | tee "$e2e_log" || status=1
else
  step "the web pipeline failed (exit $web_status): no browser tests"
  status=1
fi
wait "$native_pipeline" || status=1
step "the native pipeline's log"
cat "$native_log"
rm -f "$cli_ready"

step "done"
sum() { grep -Eo "[0-9]+ $1" | awk '{s+=$1} END {print s+0}'; }
rust_passed=$(grep -E '^test result: ' "$native_log" | sum passed)
rust_failed=$(grep -E '^test result: ' "$native_log" | sum failed)
rust_skipped=$(grep -E '^test result: ' "$native_log" | sum 'filtered out')
e2e_passed=$(grep -E '^e2e: ' "$e2e_log" | sum passed)
e2e_failed=$(grep -E '^e2e: ' "$e2e_log" | sum failed)
e2e_skipped=$(grep -E '^e2e: ' "$e2e_log" | sum skipped)
rm -f "$native_log" "$e2e_log"
echo "rust $rust_passed/$((rust_passed + rust_failed)), browser $e2e_passed/$((e2e_passed + e2e_failed)), skipped $rust_skipped (Rust) and $e2e_skipped (browser)"
echo "tests: $((rust_passed + e2e_passed)) passed, $((rust_failed + e2e_failed)) failed, $((rust_skipped + e2e_skipped)) skipped"
exit "$status"
