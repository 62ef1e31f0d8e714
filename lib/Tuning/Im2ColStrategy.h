//===- Im2ColStrategy.h - convolutions through im2col -----------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_TUNING_IM2COLSTRATEGY_H
#define KILN_LIB_TUNING_IM2COLSTRATEGY_H

#include "kiln/Target/Info/TargetInfo.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <optional>
#include <string>

namespace kiln {

struct Im2ColChoice {
  /// The im2col matrix in panels of this many pixels (the contraction's
  /// register tile width), each panel's window elements outermost; 0 for
  /// a plain [C*KH*KW, OH*OW] matrix.
  int64_t panel = 0;
  std::string reason;
};

/// Whether `op` should be lowered as an im2col copy and a contraction (the
/// contraction kernel then runs it), and why, or std::nullopt: only static
/// f32 NCHW convolutions whose output rows are at least a vector wide and
/// whose im2col matrix stays within a budget.
std::optional<Im2ColChoice> chooseIm2Col(mlir::linalg::LinalgOp op,
                                         const TargetInfo &target);

} // namespace kiln

#endif // KILN_LIB_TUNING_IM2COLSTRATEGY_H
