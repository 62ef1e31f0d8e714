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
#include "Utils.h"

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
  if (auto mod = dyn_cast<ONNXModOp>(op)) {
    // Integer Mod takes the divisor's sign, as Python's %.
    if (mod.getFmod() != 0)
      return std::nullopt;
    std::optional<Elements> r =
        combine<arith::RemSIOp>(b, loc, mod.getA(), mod.getB(), depth);
    std::optional<Elements> y = get(b, loc, mod.getB(), depth + 1);
    if (!r || !y)
      return std::nullopt;
    Value zero = cIndex(b, loc, 0);
    for (size_t i = 0; i < r->size(); ++i) {
      Value &v = (*r)[i];
      Value d = (*y)[y->size() == 1 ? 0 : i];
      Value nonzero =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, v, zero);
      Value signsDiffer = arith::XOrIOp::create(
          b, loc,
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, v, zero),
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, d, zero));
      v = arith::SelectOp::create(
          b, loc, arith::AndIOp::create(b, loc, nonzero, signsDiffer),
          arith::AddIOp::create(b, loc, v, d), v);
    }
    return r;
  }
  // Booleans about shapes are 0 or 1.
  auto asIndex = [&](Value flag) -> Value {
    return arith::SelectOp::create(b, loc, flag, cIndex(b, loc, 1),
                                   cIndex(b, loc, 0));
  };
  auto isTrue = [&](Value v) -> Value {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, v,
                                 cIndex(b, loc, 0));
  };
  if (auto equal = dyn_cast<ONNXEqualOp>(op)) {
    std::optional<Elements> out =
        combine<arith::SubIOp>(b, loc, equal.getA(), equal.getB(), depth);
    if (out)
      for (Value &v : *out)
        v = asIndex(arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, v,
                                          cIndex(b, loc, 0)));
    return out;
  }
  if (auto notOp = dyn_cast<ONNXNotOp>(op)) {
    std::optional<Elements> out = get(b, loc, notOp.getX(), depth + 1);
    if (out)
      for (Value &v : *out)
        v = arith::SubIOp::create(b, loc, cIndex(b, loc, 1), v);
    return out;
  }
  if (auto andOp = dyn_cast<ONNXAndOp>(op))
    return combine<arith::MulIOp>(b, loc, andOp.getA(), andOp.getB(), depth);
  if (auto orOp = dyn_cast<ONNXOrOp>(op))
    return combine<arith::MaxUIOp>(b, loc, orOp.getA(), orOp.getB(), depth);
  if (auto where = dyn_cast<ONNXWhereOp>(op)) {
    std::optional<Elements> cond = get(b, loc, where.getCondition(), depth + 1);
    std::optional<Elements> x = get(b, loc, where.getX(), depth + 1);
    std::optional<Elements> y = get(b, loc, where.getY(), depth + 1);
    if (!cond || !x || !y)
      return std::nullopt;
    size_t n = std::max({cond->size(), x->size(), y->size()});
    for (const Elements *e : {&*cond, &*x, &*y})
      if (e->size() != n && e->size() != 1)
        return std::nullopt;
    Elements out;
    for (size_t i = 0; i < n; ++i)
      out.push_back(arith::SelectOp::create(
          b, loc, isTrue((*cond)[cond->size() == 1 ? 0 : i]),
          (*x)[x->size() == 1 ? 0 : i], (*y)[y->size() == 1 ? 0 : i]));
    return out;
  }
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
      return notifyUnsupported(rewriter, op, "result is not static");
    std::optional<Elements> elements =
        getShapeElements(rewriter, op.getLoc(), op.getResult());
    if (!elements || (int64_t)elements->size() != result.getNumElements())
      return notifyUnsupported(rewriter, op, "input is unranked");
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
