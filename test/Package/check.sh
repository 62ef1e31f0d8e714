#!/usr/bin/env bash
# Installs a built kiln into a temporary prefix and builds an outside CMake
# project against it (project/): find_package(Kiln), kiln_add_model at
# build time, the digits example linked through the generated header and
# checked against ONNX Runtime's predictions; a second build does nothing,
# and touching the model recompiles it.
#
# Usage: check.sh BUILD_DIR WORK_DIR
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "$1" && pwd)"
work="$2"
rm -rf "$work" && mkdir -p "$work/model"
prefix="$work/prefix"

cmake --install "$build" --prefix "$prefix" > "$work/install.log"
for f in bin/kilnc bin/kiln-opt bin/kiln-run include/kiln-c/kiln_types.h \
  lib/cmake/Kiln/KilnConfig.cmake lib/cmake/Kiln/KilnConfigVersion.cmake \
  lib/cmake/Kiln/KilnAddModel.cmake share/doc/kiln/abi.md; do
  [ -e "$prefix/$f" ] || { echo "FAIL: the install has no $f"; exit 1; }
done
# The installed kilnc runs from there (its rpath finds libMLIR.so).
"$prefix/bin/kilnc" --version | head -1

cp "$root/examples/digits/digits.onnx" "$work/model/"
cmake -S "$root/test/Package/project" -B "$work/user" -G Ninja \
  -DCMAKE_PREFIX_PATH="$prefix" -DDIGITS_MODEL="$work/model/digits.onnx" \
  -DDIGITS_MAIN="$root/examples/digits/main.cpp" > "$work/configure.log"
cmake --build "$work/user" | tee "$work/build1.log" | grep "kilnc:"
# The model is compiled by the installed kilnc, not one from the tree.
grep -q "Kiln_DIR:PATH=$prefix/lib/cmake/Kiln" "$work/user/CMakeCache.txt" \
  || { echo "FAIL: Kiln was not found in $prefix"; exit 1; }
"$work/user/info"
"$work/user/digits" "$root/examples/digits/test_set.txt" | tail -2

cmake --build "$work/user" > "$work/build2.log"
if grep -q "kilnc:" "$work/build2.log"; then
  echo "FAIL: an up-to-date build ran kilnc again"; exit 1
fi
echo "rebuild with nothing changed: kilnc not run"
touch "$work/model/digits.onnx"
cmake --build "$work/user" > "$work/build3.log"
grep -q "kilnc:" "$work/build3.log" \
  || { echo "FAIL: touching the model did not recompile it"; exit 1; }
echo "rebuild after touching the model: kilnc ran"
