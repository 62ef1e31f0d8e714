//===- Reduction.cpp - ReduceSum, ReduceMean, ReduceMax to linalg ---------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "PopulatePatterns.h"

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace kiln::onnx;

namespace kiln::onnx_to_linalg {

RankedTensorType keptDimsType(RankedTensorType type, ArrayRef<bool> reduced) {
  SmallVector<int64_t> shape(type.getShape());
  for (auto [d, r] : llvm::zip(shape, reduced))
    if (r)
      d = 1;
  return RankedTensorType::get(shape, type.getElementType());
}

AffineMap keptDimsMap(Builder &b, ArrayRef<bool> reduced) {
  SmallVector<AffineExpr> exprs;
  for (auto [i, r] : llvm::enumerate(reduced))
    exprs.push_back(r ? b.getAffineConstantExpr(0) : b.getAffineDimExpr(i));
  return AffineMap::get(reduced.size(), 0, exprs, b.getContext());
}

Value countReducedElements(OpBuilder &b, Location loc, Value input,
                           ArrayRef<bool> reduced, FloatType elt) {
  Value count = arith::ConstantOp::create(b, loc, b.getFloatAttr(elt, 1.0));
  for (auto [i, r] : llvm::enumerate(reduced)) {
    if (!r)
      continue;
    Value d = tensor::DimOp::create(b, loc, input, i);
    Value di = arith::IndexCastOp::create(b, loc, b.getI64Type(), d);
    count = arith::MulFOp::create(b, loc, count,
                                  arith::SIToFPOp::create(b, loc, elt, di));
  }
  return count;
}

Value reduceDims(
    OpBuilder &b, Location loc, Value input, ArrayRef<bool> reduced,
    bool keepDims, RankedTensorType resultType, TypedAttr init,
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  SmallVector<AffineExpr> outExprs;
  SmallVector<Value> sizes;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t i = 0; i < rank; ++i) {
    iterators.push_back(reduced[i] ? utils::IteratorType::reduction
                                   : utils::IteratorType::parallel);
    if (!reduced[i])
      outExprs.push_back(b.getAffineDimExpr(i));
    if (!reduced[i] && type.isDynamicDim(i))
      sizes.push_back(tensor::DimOp::create(b, loc, input, i));
  }
  Value acc = createFilled(b, loc, resultType, init, sizes);
  SmallVector<AffineMap> maps = {
      b.getMultiDimIdentityMap(rank),
      keepDims ? keptDimsMap(b, reduced)
               : AffineMap::get(rank, 0, outExprs, b.getContext())};
  return linalg::GenericOp::create(
             b, loc, resultType, input, acc, maps, iterators,
             [&](OpBuilder &bb, Location l, ValueRange a) {
               yieldValue(bb, l, combine(bb, l, a[0], a[1]));
             })
      .getResult(0);
}

namespace {

/// The reduced dims of a Reduce* op with constant axes, or nullopt.
std::optional<SmallVector<bool>> getReducedDims(Value axes, bool noopEmpty,
                                                int64_t rank) {
  SmallVector<bool> reduced(rank, false);
  std::optional<SmallVector<int64_t>> values;
  if (isNoValue(axes))
    values = SmallVector<int64_t>();
  else
    values = getConstantInts(axes);
  if (!values || (values->empty() && noopEmpty))
    return std::nullopt;
  if (values->empty())
    reduced.assign(rank, true);
  for (int64_t a : *values)
    reduced[a < 0 ? a + rank : a] = true;
  return reduced;
}

template <typename Op> struct ReduceToLinalg : OpConversionPattern<Op> {
  using OpConversionPattern<Op>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Op op, typename Op::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType x = getLowerableType(adaptor.getData().getType());
    RankedTensorType result = getLowerableType(op.getType());
    if (!x || !result || !isa<FloatType>(x.getElementType()))
      return rewriter.notifyMatchFailure(op, "float, ranked types only");
    std::optional<SmallVector<bool>> reduced = getReducedDims(
        op.getAxes(), op.getNoopWithEmptyAxes() != 0, x.getRank());
    if (!reduced)
      return rewriter.notifyMatchFailure(op, "axes must be constant");
    Location loc = op.getLoc();
    auto elt = cast<FloatType>(x.getElementType());
    bool isMax = std::is_same_v<Op, ONNXReduceMaxOp>;
    TypedAttr init =
        isMax ? rewriter.getFloatAttr(
                    elt, APFloat::getInf(elt.getFloatSemantics(), true))
              : rewriter.getFloatAttr(elt, 0.0);
    Value r = reduceDims(
        rewriter, loc, adaptor.getData(), *reduced, op.getKeepdims() != 0,
        result, init, [&](OpBuilder &b, Location l, Value v, Value acc) {
          return isMax ? Value(arith::MaximumFOp::create(b, l, v, acc))
                       : Value(arith::AddFOp::create(b, l, v, acc));
        });
    if (std::is_same_v<Op, ONNXReduceMeanOp>) {
      // Divide by the number of reduced elements.
      Value count =
          countReducedElements(rewriter, loc, adaptor.getData(), *reduced, elt);
      r = mapElementwise(rewriter, loc, r,
                         [&](OpBuilder &b, Location l, Value v) -> Value {
                           return arith::DivFOp::create(b, l, v, count);
                         });
    }
    rewriter.replaceOp(op, r);
    return success();
  }
};

} // namespace

void populateReductionPatterns(RewritePatternSet &patterns) {
  patterns
      .add<ReduceToLinalg<ONNXReduceSumOp>, ReduceToLinalg<ONNXReduceMeanOp>,
           ReduceToLinalg<ONNXReduceMaxOp>>(patterns.getContext());
}

} // namespace kiln::onnx_to_linalg
