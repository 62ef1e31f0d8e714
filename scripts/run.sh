#!/usr/bin/env bash
# The main job: installs what is missing, builds kiln, and compiles the model
# shipped in examples/ as far as kiln goes today: imports and checks it,
# prints the onnx-dialect IR after the graph phase, and lowers it to linalg.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

scripts/install-deps.sh
scripts/build.sh
model=examples/tiny-cnn/model.onnxtxt
build/bin/kilnc --check "$model"
build/bin/kilnc "$model" --emit=mlir
build/bin/kilnc "$model" --compile-to=linalg -o build/tiny-cnn.linalg.mlir
echo "lowered to linalg: build/tiny-cnn.linalg.mlir" \
  "($(grep -c 'linalg\.' build/tiny-cnn.linalg.mlir) linalg ops)"
