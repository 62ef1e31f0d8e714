//===- Im2ColStrategy.cpp - when a convolution goes through im2col --------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "Im2ColStrategy.h"
#include "ContractionTiles.h"

#include "kiln/Tuning/Convolution.h"

namespace kiln {

namespace {
/// The largest im2col matrix worth its copy (bytes).
constexpr int64_t kMaxIm2ColBytes = 64 << 20;
/// The largest panel a cache tile computes: kiln-outline-parallel-loops'
/// default scratch per task.
constexpr int64_t kMaxPanelBytes = 64 << 10;
} // namespace

std::optional<Im2ColChoice> chooseIm2Col(mlir::linalg::LinalgOp op,
                                         const TargetInfo &target) {
  std::optional<Conv2DNchw> conv = matchConv2DNchw(op);
  if (!conv)
    return std::nullopt;
  auto filter = conv->getFilterType();
  auto output = conv->getOutputType();
  auto input = conv->getInputType();
  if (!input.hasStaticShape() || !filter.hasStaticShape() ||
      !output.hasStaticShape())
    return std::nullopt;
  // f32, or 8-bit integers summed in i32 (ConvInteger's kernel form).
  bool f32 = output.getElementType().isF32() && filter.getElementType().isF32();
  bool int8 = output.getElementType().isInteger(32) &&
              filter.getElementType().isInteger(8) &&
              input.getElementType().isInteger(8);
  if (!f32 && !int8)
    return std::nullopt;
  int64_t elementBytes = f32 ? 4 : 1;
  int64_t rows =
      filter.getDimSize(1) * filter.getDimSize(2) * filter.getDimSize(3);
  int64_t columns = output.getDimSize(2) * output.getDimSize(3);
  int64_t bytes = output.getDimSize(0) * rows * columns * elementBytes;
  if (columns < target.getLanes(32) || bytes > kMaxIm2ColBytes)
    return std::nullopt;
  Im2ColChoice choice;
  choice.reason = "convolution through im2col: a " + std::to_string(rows) +
                  "x" + std::to_string(columns) +
                  " matrix of input windows per image, then the "
                  "contraction of " +
                  std::to_string(filter.getDimSize(0)) + " filters with it";
  // Panels as wide as the register tile when they divide the pixels and
  // the tile's column of B outgrows half of L1 (read from rows of the
  // plain matrix, it would stream from L2 in as many strides as it has
  // rows): the kernel then reads B in order, as it reads packed weights.
  // A shorter column stays in L1 either way, and the plain copy is faster.
  int64_t panel = chooseRegisterColumns(filter.getDimSize(0), columns, target);
  // (Integer contractions pack their own panels, by 4 of K.)
  if (!f32 || rows * panel * 4 <= target.l1Bytes / 2)
    panel = 0;
  // The contraction's cache tiles compute the panels (the copy is fused
  // into them), which needs every filter in one M block (else each block
  // would copy again, so the copy stays whole and serial) and a cache
  // tile's panel, K steps by P, within a task's scratch.
  int64_t kc = rows <= kMaxWholeK ? rows : kMaxK;
  if (filter.getDimSize(0) > kMaxCacheRows || kc * panel * 4 > kMaxPanelBytes)
    panel = 0;
  auto isOne = [](int64_t v) { return v == 1; };
  bool pointwise = rows == filter.getDimSize(1) &&
                   llvm::all_of(conv->strides, isOne) &&
                   llvm::all_of(conv->dilations, isOne);
  if (!pointwise && panel && columns % panel == 0 && columns > panel) {
    choice.panel = panel;
    choice.reason += ", laid out in " + std::to_string(panel) +
                     "-pixel panels (each contiguous in the order the "
                     "register tile reads it)";
  }
  return choice;
}

} // namespace kiln
