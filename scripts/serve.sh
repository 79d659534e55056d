#!/usr/bin/env bash
# Builds the web app and serves it at http://127.0.0.1:8080/ (installs what is missing).
# dist/ is a static folder: copy it to any static host, under any sub-path.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
web_tools
cargo fetch --locked
CARGO_TARGET_DIR="$WASM_RELEASE_TARGET_DIR" exec trunk serve --release --offline=true "$@"
