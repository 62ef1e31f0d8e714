//===- Passes.h - onnx dialect passes ---------------------------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_ONNX_TRANSFORMS_PASSES_H
#define KILN_DIALECT_ONNX_TRANSFORMS_PASSES_H

#include "kiln/Dialect/ONNX/IR/ONNXDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace kiln::onnx {

#define GEN_PASS_DECL
#include "kiln/Dialect/ONNX/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "kiln/Dialect/ONNX/Transforms/Passes.h.inc"

} // namespace kiln::onnx

#endif // KILN_DIALECT_ONNX_TRANSFORMS_PASSES_H
