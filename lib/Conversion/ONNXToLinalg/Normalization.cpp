//===- Normalization.cpp - BatchNormalization and Softmax to linalg -------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "PopulatePatterns.h"

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace kiln::onnx;

namespace kiln::onnx_to_linalg {
namespace {

/// Inference BatchNormalization, one generic:
/// (x - mean) * scale / sqrt(var + epsilon) + B, per channel (dim 1).
struct BatchNormToLinalg : OpConversionPattern<ONNXBatchNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXBatchNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType x = getLowerableType(adaptor.getX().getType());
    if (!x || op.getTrainingMode() != 0 ||
        !isa<NoneType>(op.getRunningMean().getType()) ||
        !isa<NoneType>(op.getRunningVar().getType()) ||
        x != op.getY().getType())
      return rewriter.notifyMatchFailure(op, "inference mode only");
    Location loc = op.getLoc();
    int64_t rank = x.getRank();
    Type elt = x.getElementType();
    MLIRContext *ctx = rewriter.getContext();
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    AffineMap channel =
        AffineMap::get(rank, 0, {rewriter.getAffineDimExpr(1)}, ctx);
    SmallVector<AffineMap> maps = {id, channel, channel, channel, channel, id};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    Value eps = arith::ConstantOp::create(
        rewriter, loc,
        rewriter.getFloatAttr(elt, op.getEpsilon().convertToDouble()));
    Value y =
        linalg::GenericOp::create(
            rewriter, loc, x,
            ValueRange{adaptor.getX(), adaptor.getScale(), adaptor.getB(),
                       adaptor.getInputMean(), adaptor.getInputVar()},
            ValueRange{adaptor.getX()}, maps, iterators,
            [&](OpBuilder &b, Location l, ValueRange a) {
              Value centered = arith::SubFOp::create(b, l, a[0], a[3]);
              Value stddev = math::SqrtOp::create(
                  b, l, arith::AddFOp::create(b, l, a[4], eps));
              Value scaled = arith::DivFOp::create(
                  b, l, arith::MulFOp::create(b, l, centered, a[1]), stddev);
              yieldValue(b, l, arith::AddFOp::create(b, l, scaled, a[2]));
            })
            .getResult(0);
    // The absent running statistics have no users: they are dropped.
    rewriter.replaceOpWithMultiple(op, {{y}, {}, {}});
    return success();
  }
};

/// Softmax along one axis, stable: exp(x - max) / sum(exp(x - max)).
struct SoftmaxToLinalg : OpConversionPattern<ONNXSoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXSoftmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType x = getLowerableType(adaptor.getX().getType());
    if (!x || x != op.getType())
      return rewriter.notifyMatchFailure(op, "ranked, unchanged types only");
    Location loc = op.getLoc();
    int64_t rank = x.getRank();
    int64_t axis = (int64_t)op.getAxis() < 0 ? (int64_t)op.getAxis() + rank
                                             : (int64_t)op.getAxis();
    auto elt = cast<FloatType>(x.getElementType());
    MLIRContext *ctx = rewriter.getContext();

    // Reductions keep the axis as a unit dim, read back with index 0.
    SmallVector<int64_t> reducedShape(x.getShape());
    reducedShape[axis] = 1;
    auto reducedType = RankedTensorType::get(reducedShape, elt);
    SmallVector<AffineExpr> reducedExprs;
    for (int64_t i = 0; i < rank; ++i)
      reducedExprs.push_back(i == axis ? rewriter.getAffineConstantExpr(0)
                                       : rewriter.getAffineDimExpr(i));
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    AffineMap reduced = AffineMap::get(rank, 0, reducedExprs, ctx);
    SmallVector<utils::IteratorType> reduceIters(rank,
                                                 utils::IteratorType::parallel);
    reduceIters[axis] = utils::IteratorType::reduction;
    SmallVector<utils::IteratorType> parallel(rank,
                                              utils::IteratorType::parallel);

    // Dynamic sizes of `type`, read from the input at the same dims.
    auto sizesOf = [&](RankedTensorType type) {
      SmallVector<Value> sizes;
      for (int64_t i = 0; i < rank; ++i)
        if (type.isDynamicDim(i))
          sizes.push_back(
              tensor::DimOp::create(rewriter, loc, adaptor.getX(), i));
      return sizes;
    };
    auto reduce = [&](Value input, TypedAttr init, auto combine) {
      Value acc =
          createFilled(rewriter, loc, reducedType, init, sizesOf(reducedType));
      return linalg::GenericOp::create(
                 rewriter, loc, reducedType, input, acc,
                 ArrayRef<AffineMap>{id, reduced}, reduceIters,
                 [&](OpBuilder &b, Location l, ValueRange a) {
                   yieldValue(b, l, combine(b, l, a[0], a[1]));
                 })
          .getResult(0);
    };
    Value max = reduce(
        adaptor.getX(),
        rewriter.getFloatAttr(
            elt, APFloat::getInf(elt.getFloatSemantics(), /*Negative=*/true)),
        [](OpBuilder &b, Location l, Value v, Value acc) -> Value {
          return arith::MaximumFOp::create(b, l, v, acc);
        });
    Value init = tensor::EmptyOp::create(rewriter, loc, x, sizesOf(x));
    Value exps =
        linalg::GenericOp::create(
            rewriter, loc, x, ValueRange{adaptor.getX(), max}, init,
            ArrayRef<AffineMap>{id, reduced, id}, parallel,
            [](OpBuilder &b, Location l, ValueRange a) {
              yieldValue(b, l,
                         math::ExpOp::create(
                             b, l, arith::SubFOp::create(b, l, a[0], a[1])));
            })
            .getResult(0);
    Value sum =
        reduce(exps, rewriter.getFloatAttr(elt, 0.0),
               [](OpBuilder &b, Location l, Value v, Value acc) -> Value {
                 return arith::AddFOp::create(b, l, v, acc);
               });
    Value y = linalg::GenericOp::create(
                  rewriter, loc, x, ValueRange{exps, sum}, init,
                  ArrayRef<AffineMap>{id, reduced, id}, parallel,
                  [](OpBuilder &b, Location l, ValueRange a) {
                    yieldValue(b, l, arith::DivFOp::create(b, l, a[0], a[1]));
                  })
                  .getResult(0);
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void populateNormalizationPatterns(RewritePatternSet &patterns) {
  patterns.add<BatchNormToLinalg, SoftmaxToLinalg>(patterns.getContext());
}

} // namespace kiln::onnx_to_linalg
