#!/usr/bin/env bash
# Test-only Python environment (.venv, from PyPI: onnx, and the model zoo's
# exporters torch, torchvision, transformers and onnxruntime, see
# test/Models/) and the newest ONNX backend node tests, written into
# build/onnx-node-tests.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

onnx_version=1.23.2
if ! .venv/bin/python -c "import onnx, sys; sys.exit(onnx.__version__ != '$onnx_version')" 2>/dev/null; then
  python3 -m venv .venv
  .venv/bin/pip install -q "onnx==$onnx_version" numpy
fi
# The model zoo (test/Models/export_models.py) exports with these; onnx stays
# pinned above. torch from PyPI is the CUDA build (a few GB, the first time).
zoo_packages=(torch==2.15.0 torchvision==0.29.2 transformers==5.24.0
  onnxruntime==1.32.0)
if ! .venv/bin/python - "${zoo_packages[@]}" <<'PY' 2>/dev/null; then
import importlib.metadata as md, sys
sys.exit(any(md.version(p.split("==")[0]) != p.split("==")[1]
             for p in sys.argv[1:]))
PY
  .venv/bin/pip install -q "${zoo_packages[@]}" "onnx==$onnx_version"
fi
out=build/onnx-node-tests
stamp="$out/.onnx-$onnx_version"
if [ ! -f "$stamp" ]; then
  rm -rf "$out"
  mkdir -p "$out"
  .venv/bin/python utils/generate_onnx_node_tests.py "$out"
  touch "$stamp"
fi
