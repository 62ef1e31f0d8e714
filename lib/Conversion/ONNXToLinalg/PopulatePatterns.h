//===- PopulatePatterns.h - onnx to linalg, by category ---------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_CONVERSION_ONNXTOLINALG_POPULATEPATTERNS_H
#define KILN_LIB_CONVERSION_ONNXTOLINALG_POPULATEPATTERNS_H

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace kiln::onnx_to_linalg {

void populateElementwisePatterns(mlir::RewritePatternSet &patterns);
void populateLinearPatterns(mlir::RewritePatternSet &patterns);
void populateDataMovementPatterns(mlir::RewritePatternSet &patterns);

/// The ranked tensor type of `value`, or null when kiln cannot lower it yet
/// (unranked, or unsigned elements that arith does not take).
mlir::RankedTensorType getLowerableType(mlir::Type type);

} // namespace kiln::onnx_to_linalg

#endif // KILN_LIB_CONVERSION_ONNXTOLINALG_POPULATEPATTERNS_H
