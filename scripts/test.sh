#!/usr/bin/env bash
# The test command: installs what is missing, builds kiln, and runs every
# test through ctest (lit/FileCheck, GoogleTest, the importer sweep, the
# fuzzers, the conformance runs over both ONNX node-test suites; see
# docs/testing.md), then the sanitized tier (scripts/test-sanitized.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

scripts/install-deps.sh
mkdir -p build
scripts/setup-test-data.sh
scripts/build.sh -DKILN_ONNX_NEWEST_NODE_TESTS="$root/build/onnx-node-tests" \
  -DKILN_TEST_PYTHON="$root/.venv/bin/python"
(cd build && ctest --output-on-failure -j"$(nproc)")
# Each patch of test/teeth breaks kiln on purpose; its checks must fail.
utils/check-teeth.sh
scripts/test-sanitized.sh
