//===- VectorizeDotProduct.h - the u8 x s8 dot-product microkernel -*- C++
//-*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_CODEGEN_COMMON_VECTORIZEDOTPRODUCT_H
#define KILN_LIB_CODEGEN_COMMON_VECTORIZEDOTPRODUCT_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln {

/// Vectorizes a register tile of a packed u8 x s8 contraction whose config
/// names the `dot_u8s8` microkernel: A's tile is rows x 4 of K, B's a
/// panel of nr lanes x 4 of K, C's rows x nr in i32, one of A and B u8 and
/// the other s8. Each row's 4 bytes of A are broadcast to every i32 lane,
/// and each vector of the row's accumulators takes one x86 VNNI `vpdpbusd`
/// with a vector of the panel.
/// Returns the result that replaces `op`'s, or failure for any other op.
mlir::FailureOr<mlir::Value> vectorizeDotProduct(mlir::RewriterBase &rewriter,
                                                 mlir::linalg::LinalgOp op);

} // namespace kiln

#endif // KILN_LIB_CODEGEN_COMMON_VECTORIZEDOTPRODUCT_H
