//===- Weights.h - values known at compile time -----------------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TUNING_WEIGHTS_H
#define KILN_TUNING_WEIGHTS_H

#include "mlir/IR/Value.h"

namespace kiln {

/// Whether `value` is a layer's weights, known at compile time: a
/// constant, or a permutation or reshape of one (Gemm's transB, a
/// convolution's filters as a matrix). The policy packs
/// such operands, and `kiln-pack-by-config` lays them out in panels.
bool isWeights(mlir::Value value);

} // namespace kiln

#endif // KILN_TUNING_WEIGHTS_H
