//===- EinsumEquation.h - Einsum equations as loop dims ---------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// An Einsum equation ("bij,bjk->bik", "...ii->...i", "ij" with an implicit
// output) read as a loop nest: every subscript letter and every dim the
// ellipsis stands for is one loop; each operand dim and each result dim
// names the loop it indexes. Shape inference and the lowering share it.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_ONNX_IR_EINSUMEQUATION_H
#define KILN_DIALECT_ONNX_IR_EINSUMEQUATION_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace kiln::onnx {

struct EinsumEquation {
  /// Loops: the ellipsis dims first (right-aligned across operands), then
  /// the letters in order of first appearance.
  int64_t numLoops = 0;
  int64_t numEllipsis = 0;
  /// The loop each dim of each operand indexes.
  llvm::SmallVector<llvm::SmallVector<int64_t>> inputs;
  /// The loop each result dim indexes; the others are summed over.
  llvm::SmallVector<int64_t> output;
};

/// Reads `equation` for operands of the given ranks; on failure `error`
/// says why.
mlir::FailureOr<EinsumEquation> parseEinsum(llvm::StringRef equation,
                                            llvm::ArrayRef<int64_t> ranks,
                                            std::string &error);

} // namespace kiln::onnx

#endif // KILN_DIALECT_ONNX_IR_EINSUMEQUATION_H
