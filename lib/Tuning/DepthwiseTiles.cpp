//===- DepthwiseTiles.cpp - tiles of depthwise convolutions ---------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "DepthwiseTiles.h"

using namespace mlir;

namespace kiln {

namespace {
/// The most output rows one block keeps in registers, over the stride: a
/// strided window keeps stride times the input vectors live per row (with
/// stride 2, 7 rows ran 1.7x slower than 4 on Zen 4).
constexpr int64_t kMaxRows = 8;

/// Rows of accumulators that fit beside the window's broadcast weights
/// (at most half of the registers; the rest are read from memory by the
/// FMA) and two input vectors; preferring a count that divides `rows`.
int64_t chooseRows(int64_t rows, int64_t taps, int64_t stride,
                   unsigned registers) {
  int64_t regs = registers ? registers : 16;
  int64_t cap = std::clamp<int64_t>(
      regs - 2 - std::min(taps, regs / 2), 1,
      std::min(std::max<int64_t>(1, kMaxRows / stride), rows));
  for (int64_t r = cap; r > 1; --r)
    if (rows % r == 0)
      return r;
  return cap;
}
} // namespace

std::optional<DepthwiseTiles> chooseDepthwiseTiles(linalg::LinalgOp op,
                                                   const TargetInfo &target) {
  auto conv = dyn_cast<linalg::DepthwiseConv2DNchwChwOp>(op.getOperation());
  if (!conv || !conv.hasPureTensorSemantics())
    return std::nullopt;
  auto output = cast<RankedTensorType>(conv.getOutputs()[0].getType());
  auto filter = cast<RankedTensorType>(conv.getInputs()[1].getType());
  if (!output.getElementType().isF32() || !output.hasStaticShape() ||
      !filter.hasStaticShape() ||
      !llvm::all_of(conv.getStrides().getValues<int64_t>(),
                    [](int64_t s) { return s > 0; }))
    return std::nullopt;
  int64_t oh = output.getDimSize(2), ow = output.getDimSize(3);
  int64_t kh = filter.getDimSize(1), kw = filter.getDimSize(2);
  int64_t columns = std::min<int64_t>(ow, target.getLanes(32));
  int64_t stride = 1;
  for (int64_t s : conv.getStrides().getValues<int64_t>())
    stride = std::max(stride, s);
  int64_t rows = chooseRows(oh, kh * kw, stride, target.vectorRegisters);
  DepthwiseTiles tiles;
  tiles.plane = {1, 0, 0, 1, 0, 0};
  tiles.block = {0, rows, columns, 0, 0, 0};
  tiles.vector = {1, rows, columns, 1, kh, kw};
  tiles.reason = "depthwise conv " + std::to_string(output.getDimSize(1)) +
                 " channels of " + std::to_string(oh) + "x" +
                 std::to_string(ow) + ", " + std::to_string(kh) + "x" +
                 std::to_string(kw) + " window: one channel at a time, " +
                 std::to_string(rows) + " output rows of " +
                 std::to_string(columns) +
                 " columns in registers, each tap a broadcast FMA";
  return tiles;
}

} // namespace kiln
