#!/usr/bin/env bash
# Configures and builds kiln in ./build (Ninja, clang-22, ccache), or in
# $KILN_BUILD_DIR. Extra arguments go to cmake's configure step.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

# Cache hits across clones: paths are rewritten relative to the checkout.
export CCACHE_BASEDIR="$root"
export CCACHE_NOHASHDIR=1

build="${KILN_BUILD_DIR:-build}"
cmake -G Ninja -S . -B "$build" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
  -DMLIR_DIR="$(llvm-config-22 --cmakedir)/../mlir" \
  -DLLVM_DIR="$(llvm-config-22 --cmakedir)" \
  -DLLVM_EXTERNAL_LIT="$(command -v lit-22)" \
  "$@"
ninja -C "$build"
