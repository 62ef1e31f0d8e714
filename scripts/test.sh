#!/usr/bin/env bash
# The test command: installs what is missing, builds kiln, and runs every
# test (lit/FileCheck, GoogleTest, the importer sweep over both ONNX node-test
# suites) through ctest.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

scripts/install-deps.sh
mkdir -p build
scripts/setup-test-data.sh
scripts/build.sh -DKILN_ONNX_NEWEST_NODE_TESTS="$root/build/onnx-node-tests" \
  -DKILN_TEST_PYTHON="$root/.venv/bin/python"
cd build
ctest --output-on-failure -j"$(nproc)"
