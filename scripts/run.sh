#!/usr/bin/env bash
# The main job: installs what is missing, builds kiln, and compiles the model
# shipped in examples/ (until code generation lands: imports it, runs the
# graph phase, checks it, and prints the resulting onnx-dialect IR).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

scripts/install-deps.sh
scripts/build.sh
model=examples/tiny-cnn/model.onnxtxt
build/bin/kilnc --check "$model"
build/bin/kilnc "$model" --emit=mlir
