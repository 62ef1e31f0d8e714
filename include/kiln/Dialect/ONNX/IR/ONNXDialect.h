//===- ONNXDialect.h - the onnx dialect -------------------------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_ONNX_IR_ONNXDIALECT_H
#define KILN_DIALECT_ONNX_IR_ONNXDIALECT_H

#include "mlir/IR/Dialect.h"

#include "kiln/Dialect/ONNX/IR/ONNXOpsDialect.h.inc"

#endif // KILN_DIALECT_ONNX_IR_ONNXDIALECT_H
