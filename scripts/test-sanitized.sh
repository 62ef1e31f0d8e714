#!/usr/bin/env bash
# The sanitized tier: a Debug build of kiln (assertions on) with
# AddressSanitizer and UndefinedBehaviorSanitizer in ./build-sanitized,
# running the lit tests, the gtests and a conformance sample (ctest label
# `sanitized`). Called by scripts/test.sh; needs the test data it sets up.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

scripts/install-deps.sh
scripts/setup-test-data.sh
KILN_BUILD_DIR=build-sanitized scripts/build.sh \
  -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_FLAGS_DEBUG="-O1 -gline-tables-only" \
  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -gline-tables-only" \
  -DKILN_SANITIZE=address,undefined -DKILN_BUILD_EXAMPLES=OFF \
  -DKILN_ONNX_NEWEST_NODE_TESTS="$root/build/onnx-node-tests" \
  -DKILN_TEST_PYTHON="$root/.venv/bin/python"
cd build-sanitized
# A sanitizer report ends the process with a non-zero status; leaks count.
# allow_user_poisoning=0: LLVM's BumpPtrAllocator poisons a new slab when the
# slab is started from kiln's instrumented code (an attribute storage of the
# kiln dialect), and Debian's uninstrumented libMLIR then allocates from the
# same slab without unpoisoning it: a false use-after-poison. Heap, stack and
# global checks of kiln's own code are unaffected.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=86:allow_user_poisoning=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
ctest --output-on-failure -j"$(nproc)" -L sanitized
