//===- ShapeElements.cpp - shape tensors as index values ------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// With dynamic dims, models compute shapes at run time: Shape, Slice,
// Concat, Gather and arithmetic on small int64 tensors, fed to Reshape,
// ConstantOfShape or Expand. Read element by element as index values
// (tensor.dim and arith), such a shape stays something the dims function
// can recompute from the inputs; lowered as tensors it would not.
//
// Shape and Size themselves become tensors of those values.
//
//===----------------------------------------------------------------------===//

#include "PopulatePatterns.h"

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

using namespace mlir;
using namespace kiln::onnx;

namespace kiln::onnx_to_linalg {

namespace {

using Elements = SmallVector<Value>;

/// The dims [start, end) of a ranked tensor (ONNX Shape's attributes).
std::optional<Elements> getShapeOf(OpBuilder &b, Location loc, Value tensor,
                                   int64_t start, std::optional<int64_t> end) {
  auto type = dyn_cast<RankedTensorType>(tensor.getType());
  if (!type)
    return std::nullopt;
  int64_t rank = type.getRank();
  auto clampAxis = [&](int64_t a) {
    return std::clamp<int64_t>(a < 0 ? a + rank : a, 0, rank);
  };
  Elements dims;
  for (int64_t d = clampAxis(start), e = clampAxis(end.value_or(rank)); d < e;
       ++d)
    dims.push_back(getDimValue(b, loc, tensor, d));
  return dims;
}

std::optional<Elements> get(ConversionPatternRewriter &b, Location loc,
                            Value value, int depth);

/// Elementwise integer arithmetic, a one-element side broadcast.
template <typename ArithOp>
std::optional<Elements> combine(ConversionPatternRewriter &b, Location loc,
                                Value lhs, Value rhs, int depth) {
  std::optional<Elements> x = get(b, loc, lhs, depth + 1);
  std::optional<Elements> y = get(b, loc, rhs, depth + 1);
  if (!x || !y || (x->size() != y->size() && x->size() != 1 && y->size() != 1))
    return std::nullopt;
  Elements out;
  for (size_t i = 0, n = std::max(x->size(), y->size()); i < n; ++i)
    out.push_back(ArithOp::create(b, loc, (*x)[x->size() == 1 ? 0 : i],
                                  (*y)[y->size() == 1 ? 0 : i]));
  return out;
}

std::optional<Elements> get(ConversionPatternRewriter &b, Location loc,
                            Value value, int depth) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (depth > 32 || !type || type.getRank() > 1 ||
      !type.getElementType().isInteger() ||
      (type.getRank() == 1 && type.isDynamicDim(0)))
    return std::nullopt;
  if (std::optional<SmallVector<int64_t>> ints = getConstantInts(value)) {
    Elements out;
    for (int64_t v : *ints)
      out.push_back(cIndex(b, loc, v));
    return out;
  }
  Operation *op = value.getDefiningOp();
  if (!op)
    return std::nullopt;
  if (auto shape = dyn_cast<ONNXShapeOp>(op))
    return getShapeOf(b, loc, b.getRemappedValue(shape.getData()),
                      (int64_t)shape.getStart(), shape.getEnd());
  if (auto size = dyn_cast<ONNXSizeOp>(op)) {
    std::optional<Elements> dims =
        getShapeOf(b, loc, b.getRemappedValue(size.getData()), 0, {});
    if (!dims)
      return std::nullopt;
    Value product = cIndex(b, loc, 1);
    for (Value d : *dims)
      product = arith::MulIOp::create(b, loc, product, d);
    return Elements{product};
  }
  if (isa<ONNXIdentityOp, ONNXCastOp, ONNXUnsqueezeOp, ONNXSqueezeOp>(op))
    return get(b, loc, op->getOperand(0), depth + 1);
  if (auto concat = dyn_cast<ONNXConcatOp>(op)) {
    Elements out;
    for (Value input : concat.getInputs()) {
      std::optional<Elements> part = get(b, loc, input, depth + 1);
      if (!part)
        return std::nullopt;
      llvm::append_range(out, *part);
    }
    return out;
  }
  if (auto gather = dyn_cast<ONNXGatherOp>(op)) {
    std::optional<Elements> data = get(b, loc, gather.getData(), depth + 1);
    std::optional<SmallVector<int64_t>> indices =
        getConstantInts(gather.getIndices());
    if (!data || !indices)
      return std::nullopt;
    Elements out;
    int64_t n = data->size();
    for (int64_t i : *indices) {
      if (i < -n || i >= n)
        return std::nullopt;
      out.push_back((*data)[i < 0 ? i + n : i]);
    }
    return out;
  }
  if (auto slice = dyn_cast<ONNXSliceOp>(op)) {
    std::optional<Elements> data = get(b, loc, slice.getData(), depth + 1);
    auto starts = getConstantInts(slice.getStarts());
    auto ends = getConstantInts(slice.getEnds());
    auto steps = isNoValue(slice.getSteps())
                     ? std::optional<SmallVector<int64_t>>({1})
                     : getConstantInts(slice.getSteps());
    if (!data || !starts || !ends || !steps || starts->size() != 1 ||
        ends->size() != 1 || steps->size() != 1 || (*steps)[0] <= 0)
      return std::nullopt;
    int64_t n = data->size();
    auto clampIndex = [&](int64_t v) {
      return std::clamp<int64_t>(v < 0 ? v + n : v, 0, n);
    };
    Elements out;
    for (int64_t i = clampIndex((*starts)[0]), e = clampIndex((*ends)[0]);
         i < e; i += (*steps)[0])
      out.push_back((*data)[i]);
    return out;
  }
  if (auto add = dyn_cast<ONNXAddOp>(op))
    return combine<arith::AddIOp>(b, loc, add.getA(), add.getB(), depth);
  if (auto sub = dyn_cast<ONNXSubOp>(op))
    return combine<arith::SubIOp>(b, loc, sub.getA(), sub.getB(), depth);
  if (auto mul = dyn_cast<ONNXMulOp>(op))
    return combine<arith::MulIOp>(b, loc, mul.getA(), mul.getB(), depth);
  if (auto div = dyn_cast<ONNXDivOp>(op))
    return combine<arith::DivSIOp>(b, loc, div.getA(), div.getB(), depth);
  return std::nullopt;
}

/// A tensor of `type` (0-D or 1-D integers) holding `elements`.
Value fromElements(OpBuilder &b, Location loc, RankedTensorType type,
                   ArrayRef<Value> elements) {
  SmallVector<Value> values;
  for (Value e : elements)
    values.push_back(
        arith::IndexCastOp::create(b, loc, type.getElementType(), e));
  return tensor::FromElementsOp::create(b, loc, type, values);
}

/// Shape and Size of tensors with dynamic dims (static ones fold earlier).
template <typename Op> struct ShapeToElements : OpConversionPattern<Op> {
  using OpConversionPattern<Op>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Op op, typename Op::Adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType result = getLowerableType(op.getType());
    if (!result || !result.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "result is not static");
    std::optional<Elements> elements =
        getShapeElements(rewriter, op.getLoc(), op.getResult());
    if (!elements || (int64_t)elements->size() != result.getNumElements())
      return rewriter.notifyMatchFailure(op, "input is unranked");
    rewriter.replaceOp(op,
                       fromElements(rewriter, op.getLoc(), result, *elements));
    return success();
  }
};

} // namespace

std::optional<SmallVector<Value>> getShapeElements(ConversionPatternRewriter &b,
                                                   Location loc, Value value) {
  return get(b, loc, value, 0);
}

void populateShapePatterns(RewritePatternSet &patterns) {
  patterns.add<ShapeToElements<ONNXShapeOp>, ShapeToElements<ONNXSizeOp>>(
      patterns.getContext());
}

} // namespace kiln::onnx_to_linalg
