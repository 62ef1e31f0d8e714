#!/usr/bin/env bash
# Test-only Python environment (.venv: onnx from PyPI) and the newest ONNX
# backend node tests, written into build/onnx-node-tests.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

onnx_version=1.23.2
if ! .venv/bin/python -c "import onnx, sys; sys.exit(onnx.__version__ != '$onnx_version')" 2>/dev/null; then
  python3 -m venv .venv
  .venv/bin/pip install -q "onnx==$onnx_version" numpy
fi
out=build/onnx-node-tests
stamp="$out/.onnx-$onnx_version"
if [ ! -f "$stamp" ]; then
  rm -rf "$out"
  mkdir -p "$out"
  .venv/bin/python utils/generate_onnx_node_tests.py "$out"
  touch "$stamp"
fi
