//===- Weights.cpp - values known at compile time -------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Tuning/Weights.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

namespace kiln {

bool isWeights(mlir::Value value) {
  if (auto transpose = value.getDefiningOp<mlir::linalg::TransposeOp>())
    value = transpose.getInput();
  if (auto collapse = value.getDefiningOp<mlir::tensor::CollapseShapeOp>())
    value = collapse.getSrc();
  else if (auto expand = value.getDefiningOp<mlir::tensor::ExpandShapeOp>())
    value = expand.getSrc();
  return mlir::matchPattern(value, mlir::m_Constant());
}

} // namespace kiln
