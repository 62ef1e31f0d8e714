//===- VectorizeDepthwise.cpp - vector code for depthwise conv tiles ------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "VectorizeDepthwise.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

namespace kiln {

namespace {
/// Emits the vector code of one depthwise tile: `in` (1, 1, H, W), `filter`
/// (1, KH, KW) and `out` (1, 1, rows, columns), all static.
class DepthwiseTileEmitter {
public:
  DepthwiseTileEmitter(RewriterBase &rewriter,
                       linalg::DepthwiseConv2DNchwChwOp conv)
      : b(rewriter), loc(conv.getLoc()), in(conv.getInputs()[0]),
        filter(conv.getInputs()[1]), out(conv.getOutputs()[0]),
        strides(conv.getStrides().getValues<int64_t>()),
        dilations(conv.getDilations().getValues<int64_t>()) {
    auto outType = cast<RankedTensorType>(out.getType());
    element = outType.getElementType();
    rows = outType.getDimSize(2);
    columns = outType.getDimSize(3);
    wide = llvm::PowerOf2Ceil(columns);
  }

  Value emit() {
    auto filterType = cast<RankedTensorType>(filter.getType());
    int64_t kh = filterType.getDimSize(1), kw = filterType.getDimSize(2);
    SmallVector<Value> acc;
    for (int64_t r = 0; r < rows; ++r)
      acc.push_back(read(out, r, 0, wide));
    for (int64_t i = 0; i < kh; ++i) {
      for (int64_t j = 0; j < kw; ++j) {
        Value weight = vector::BroadcastOp::create(
            b, loc, VectorType::get({wide}, element),
            tensor::ExtractOp::create(
                b, loc, filter, ValueRange{index(0), index(i), index(j)}));
        for (int64_t r = 0; r < rows; ++r)
          acc[r] = vector::FMAOp::create(
              b, loc, inputRow(r * strides[0] + i * dilations[0], j), weight,
              acc[r]);
      }
    }
    Value result = out;
    for (int64_t r = 0; r < rows; ++r)
      result = vector::TransferWriteOp::create(
                   b, loc, acc[r], result,
                   ValueRange{index(0), index(0), index(r), index(0)},
                   ArrayRef<bool>{wide == columns})
                   .getResult();
    return result;
  }

private:
  /// The `wide` inputs tap `j` of input row `row` multiplies: every
  /// stride-th element from column j * dilation. For stride 2, two reads
  /// and one two-source shuffle, which x86 and AArch64 do in one or two
  /// instructions: of `columns` elements that end where the window does
  /// (the second overlaps the first by one), or, for a row narrower than
  /// its vector, of `wide` elements each, masked at the end of the row;
  /// larger strides read the whole span and pick from it.
  Value inputRow(int64_t row, int64_t j) {
    int64_t stride = strides[1], start = j * dilations[1];
    int64_t span = (wide - 1) * stride + 1;
    if (stride == 1)
      return read(in, row, start, wide);
    SmallVector<int64_t> picked;
    if (stride == 2 && wide != columns) {
      Value low = read(in, row, start, wide);
      Value high = read(in, row, start + wide, wide);
      for (int64_t c = 0; c < wide; ++c)
        picked.push_back(c * stride);
      return vector::ShuffleOp::create(b, loc, low, high, picked);
    }
    if (stride == 2 && columns > 1) {
      Value low = read(in, row, start, columns);
      Value high = read(in, row, start + span - columns, columns);
      for (int64_t c = 0; c < columns; ++c) {
        int64_t at = c * stride;
        picked.push_back(at < columns ? at : at - (span - columns) + columns);
      }
      return vector::ShuffleOp::create(b, loc, low, high, picked);
    }
    Value v = read(in, row, start, span);
    for (int64_t c = 0; c < wide; ++c)
      picked.push_back(c * stride);
    return vector::ShuffleOp::create(b, loc, v, v, picked);
  }

  /// `length` elements of row `row` of a (1, 1, H, W) tensor from `column`;
  /// those past the row's end are zeros (a masked read).
  Value read(Value source, int64_t row, int64_t column, int64_t length) {
    Value pad = arith::ConstantOp::create(b, loc, b.getZeroAttr(element));
    int64_t width = cast<RankedTensorType>(source.getType()).getDimSize(3);
    return vector::TransferReadOp::create(
        b, loc, VectorType::get({length}, element), source,
        ValueRange{index(0), index(0), index(row), index(column)}, pad,
        ArrayRef<bool>{column + length <= width});
  }

  Value index(int64_t i) { return arith::ConstantIndexOp::create(b, loc, i); }

  RewriterBase &b;
  Location loc;
  Value in, filter, out;
  SmallVector<int64_t> strides, dilations;
  Type element;
  /// `columns` outputs per row, computed as vectors of `wide` (the next
  /// power of two: a vector<7xf32> is split into 4 + 2 + 1 lanes), the
  /// lanes past the row masked off.
  int64_t rows = 0, columns = 0, wide = 0;
};

bool isStaticUnitTile(linalg::DepthwiseConv2DNchwChwOp conv) {
  if (!conv.hasPureTensorSemantics())
    return false;
  auto in = cast<RankedTensorType>(conv.getInputs()[0].getType());
  auto filter = cast<RankedTensorType>(conv.getInputs()[1].getType());
  auto out = cast<RankedTensorType>(conv.getOutputs()[0].getType());
  return in.hasStaticShape() && filter.hasStaticShape() &&
         out.hasStaticShape() && out.getDimSize(0) == 1 &&
         out.getDimSize(1) == 1 && filter.getDimSize(0) == 1 &&
         isa<FloatType>(out.getElementType());
}
} // namespace

FailureOr<Value> vectorizeDepthwiseConv(RewriterBase &rewriter,
                                        linalg::LinalgOp op) {
  auto conv = dyn_cast<linalg::DepthwiseConv2DNchwChwOp>(op.getOperation());
  if (!conv || !isStaticUnitTile(conv))
    return failure();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(conv);
  return DepthwiseTileEmitter(rewriter, conv).emit();
}

} // namespace kiln
