//===- VectorizeDepthwise.h - vector code for depthwise conv tiles -*- C++
//-*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_CODEGEN_COMMON_VECTORIZEDEPTHWISE_H
#define KILN_LIB_CODEGEN_COMMON_VECTORIZEDEPTHWISE_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln {

/// Vectorizes a static tile of linalg.depthwise_conv_2d_nchw_chw that
/// holds one image and one channel (linalg's vectorizer takes depthwise
/// convolutions in NWC only): one vector per output row, and each tap of
/// the window a broadcast FMA of its weight with the input row it reads
/// (a shuffle gathers the columns of a strided window). Returns the
/// result that replaces `op`'s, or failure for any other op.
mlir::FailureOr<mlir::Value>
vectorizeDepthwiseConv(mlir::RewriterBase &rewriter, mlir::linalg::LinalgOp op);

} // namespace kiln

#endif // KILN_LIB_CODEGEN_COMMON_VECTORIZEDEPTHWISE_H
