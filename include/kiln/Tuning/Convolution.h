//===- Convolution.h - 2-D NCHW convolutions, named or generic --*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The policy and the im2col rewrite take the same convolutions: the named
// linalg.conv_2d_nchw_fchw (f32), and a linalg.generic with its loops and
// maps whose body is its own (the integer kernel's ConvInteger, which widens
// a u8 input and s8 filter to i32).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TUNING_CONVOLUTION_H
#define KILN_TUNING_CONVOLUTION_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <optional>

namespace kiln {

/// A convolution over loops (n, f, oh, ow, c, kh, kw): input [N, C, H, W],
/// filter [F, C, KH, KW], output [N, F, OH, OW].
struct Conv2DNchw {
  mlir::linalg::LinalgOp op;
  llvm::SmallVector<int64_t, 2> strides, dilations;

  /// The operands, read from `op` when asked (a rewrite of the convolution
  /// that computes one replaces it).
  mlir::Value getInput() const { return op->getOperand(0); }
  mlir::Value getFilter() const { return op->getOperand(1); }
  mlir::Value getInit() const { return op->getOperand(2); }

  mlir::RankedTensorType getInputType() const;
  mlir::RankedTensorType getFilterType() const;
  mlir::RankedTensorType getOutputType() const;
};

/// `op` as a Conv2DNchw, if it is one (on tensors).
std::optional<Conv2DNchw> matchConv2DNchw(mlir::linalg::LinalgOp op);

} // namespace kiln

#endif // KILN_TUNING_CONVOLUTION_H
