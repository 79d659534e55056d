#!/usr/bin/env bash
# Builds the web app and serves it at http://127.0.0.1:8080/ (installs what is missing).
# dist/ is a static folder: copy it to any static host, under any sub-path. With
# CONVSCOPE_THREADS=1 it also holds the engine with threads (scripts/threads.sh), which the page
# uses on the CPU when served cross-origin isolated, as here (Trunk.toml's COOP/COEP headers).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
web_tools
cargo fetch --locked
CARGO_TARGET_DIR="$WASM_RELEASE_TARGET_DIR" exec trunk serve --release --offline=true "$@"
