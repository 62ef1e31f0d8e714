//===- Weights.cpp - values known at compile time -------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Tuning/Weights.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Matchers.h"

namespace kiln {

bool isWeights(mlir::Value value) {
  if (auto transpose = value.getDefiningOp<mlir::linalg::TransposeOp>())
    value = transpose.getInput();
  return mlir::matchPattern(value, mlir::m_Constant());
}

} // namespace kiln
