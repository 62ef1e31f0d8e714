#!/usr/bin/env bash
# Encodes the canary's protobuf text sources (*.txt) into the binary files
# kilnc and kiln-run read: model.txt -> model.onnx (onnx.ModelProto), every
# other X.txt -> X.pb (onnx.TensorProto). Run after editing a .txt file:
#   test/Conformance/canary/regenerate.sh [ONNX_INCLUDE_DIR]
# (ONNX_INCLUDE_DIR holds onnx.proto; /usr/include/onnx from libonnx-dev.)
set -euo pipefail
include="${1:-/usr/include/onnx}"
cd "$(dirname "$0")"
for text in */model.txt; do
  protoc -I"$include" --encode=onnx.ModelProto "$include/onnx.proto" \
    < "$text" > "${text%.txt}.onnx"
done
for text in */*_data_set_*/*.txt; do
  protoc -I"$include" --encode=onnx.TensorProto "$include/onnx.proto" \
    < "$text" > "${text%.txt}.pb"
done
