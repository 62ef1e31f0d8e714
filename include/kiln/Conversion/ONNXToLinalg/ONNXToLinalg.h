//===- ONNXToLinalg.h - onnx to linalg patterns -----------------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CONVERSION_ONNXTOLINALG_ONNXTOLINALG_H
#define KILN_CONVERSION_ONNXTOLINALG_ONNXTOLINALG_H

#include "mlir/Transforms/DialectConversion.h"

namespace kiln {

/// Patterns lowering onnx ops to linalg/tensor/arith/math.
void populateONNXToLinalgPatterns(mlir::RewritePatternSet &patterns);

} // namespace kiln

#endif // KILN_CONVERSION_ONNXTOLINALG_ONNXTOLINALG_H
