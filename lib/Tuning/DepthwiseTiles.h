//===- DepthwiseTiles.h - tiles of depthwise convolutions -------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The heuristic's rule for static f32 depthwise convolutions in NCHW: one
// channel plane at a time (level 0), a block of output rows by a vector of
// output columns in registers (level 1), every tap of the window a
// broadcast FMA into those rows.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_TUNING_DEPTHWISETILES_H
#define KILN_LIB_TUNING_DEPTHWISETILES_H

#include "kiln/Target/Info/TargetInfo.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <optional>
#include <string>

namespace kiln {

struct DepthwiseTiles {
  /// Level 0 (a channel plane) and level 1 (a register block) tile sizes,
  /// one per loop (n, oh, ow, c, kh, kw); the vector shape of a block.
  llvm::SmallVector<int64_t> plane, block, vector;
  std::string reason;
};

/// Tiles for `op` if it is a static f32 linalg.depthwise_conv_2d_nchw_chw;
/// std::nullopt otherwise. A block need not divide the plane: the codegen
/// phase peels the partial blocks.
std::optional<DepthwiseTiles> chooseDepthwiseTiles(mlir::linalg::LinalgOp op,
                                                   const TargetInfo &target);

} // namespace kiln

#endif // KILN_LIB_TUNING_DEPTHWISETILES_H
