#!/usr/bin/env bash
# The main job: installs what is missing, builds kiln, compiles the trained
# digits classifier shipped in examples/digits to an object file and its C
# header, links it into the example's C++ program, and runs it on held-out
# images, checking each prediction against ONNX Runtime's reference.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

scripts/install-deps.sh
scripts/build.sh
out=build/examples/digits
mkdir -p "$out"
build/bin/kilnc examples/digits/digits.onnx -o "$out/digits.o"
echo "compiled: $out/digits.o and $out/digits.h"
c++ -std=c++17 -O2 -Wall -Wextra -pthread -I"$out" examples/digits/main.cpp \
  "$out/digits.o" -lm -o "$out/digits"
"$out/digits" examples/digits/test_set.txt
