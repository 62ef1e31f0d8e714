//===- Normalization.cpp - BatchNormalization and Softmax to linalg -------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "PopulatePatterns.h"
#include "Utils.h"

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace kiln::onnx;

namespace kiln::onnx_to_linalg {
namespace {

/// BatchNormalization, one generic:
/// (x - mean) * scale / sqrt(var + epsilon) + B, per channel (dim 1). In
/// training mode mean and var are the batch's (population variance over
/// every dim but 1), and the running statistics are
/// input * momentum + batch * (1 - momentum).
struct BatchNormToLinalg : OpConversionPattern<ONNXBatchNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXBatchNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value xIn = refineToResultShape(rewriter, op.getLoc(), adaptor.getX(),
                                    op.getY().getType());
    RankedTensorType x = getLowerableType(xIn.getType());
    bool training = op.getTrainingMode() != 0;
    if (!x || x != op.getY().getType() ||
        (!training && (!isa<NoneType>(op.getRunningMean().getType()) ||
                       !isa<NoneType>(op.getRunningVar().getType()))))
      return notifyUnsupported(rewriter, op, "unexpected statistics");
    Location loc = op.getLoc();
    int64_t rank = x.getRank();
    Type elt = x.getElementType();
    Value mean = adaptor.getInputMean(), var = adaptor.getInputVar();
    SmallVector<Value> running = {{}, {}};
    if (training) {
      auto statType = cast<RankedTensorType>(mean.getType());
      SmallVector<bool> reduced(rank, true);
      reduced[1] = false;
      auto ft = cast<FloatType>(elt);
      Value count = countReducedElements(rewriter, loc, xIn, reduced, ft);
      auto add = [](OpBuilder &b, Location l, Value v, Value acc) -> Value {
        return arith::AddFOp::create(b, l, v, acc);
      };
      TypedAttr zero = rewriter.getFloatAttr(elt, 0.0);
      Value sum =
          reduceDims(rewriter, loc, xIn, reduced, false, statType, zero, add);
      Value batchMean = mapElementwise(
          rewriter, loc, sum, [&](OpBuilder &b, Location l, Value v) -> Value {
            return arith::DivFOp::create(b, l, v, count);
          });
      AffineMap idMap = rewriter.getMultiDimIdentityMap(rank);
      AffineMap chan = AffineMap::get(rank, 0, {rewriter.getAffineDimExpr(1)},
                                      rewriter.getContext());
      SmallVector<utils::IteratorType> par(rank, utils::IteratorType::parallel);
      Value centered =
          linalg::GenericOp::create(
              rewriter, loc, x, ValueRange{xIn, batchMean}, ValueRange{xIn},
              ArrayRef<AffineMap>{idMap, chan, idMap}, par,
              [](OpBuilder &b, Location l, ValueRange a) {
                Value d = arith::SubFOp::create(b, l, a[0], a[1]);
                yieldValue(b, l, arith::MulFOp::create(b, l, d, d));
              })
              .getResult(0);
      Value batchVar =
          mapElementwise(rewriter, loc,
                         reduceDims(rewriter, loc, centered, reduced, false,
                                    statType, zero, add),
                         [&](OpBuilder &b, Location l, Value v) -> Value {
                           return arith::DivFOp::create(b, l, v, count);
                         });
      double momentum = op.getMomentum().convertToDouble();
      auto blend = [&](Value input, Value batch) {
        AffineMap one = rewriter.getMultiDimIdentityMap(1);
        return linalg::GenericOp::create(
                   rewriter, loc, statType, ValueRange{input, batch}, batch,
                   ArrayRef<AffineMap>{one, one, one},
                   ArrayRef<utils::IteratorType>{utils::IteratorType::parallel},
                   [&](OpBuilder &b, Location l, ValueRange a) {
                     auto c = [&](double v) -> Value {
                       return arith::ConstantOp::create(b, l,
                                                        b.getFloatAttr(elt, v));
                     };
                     yieldValue(
                         b, l,
                         arith::AddFOp::create(
                             b, l,
                             arith::MulFOp::create(b, l, a[0], c(momentum)),
                             arith::MulFOp::create(b, l, a[1],
                                                   c(1 - momentum))));
                   })
            .getResult(0);
      };
      if (!isa<NoneType>(op.getRunningMean().getType()))
        running[0] = blend(mean, batchMean);
      if (!isa<NoneType>(op.getRunningVar().getType()))
        running[1] = blend(var, batchVar);
      mean = batchMean;
      var = batchVar;
    }
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
            ValueRange{xIn, adaptor.getScale(), adaptor.getB(), mean, var},
            ValueRange{xIn}, maps, iterators,
            [&](OpBuilder &b, Location l, ValueRange a) {
              Value centered = arith::SubFOp::create(b, l, a[0], a[3]);
              Value stddev = math::SqrtOp::create(
                  b, l, arith::AddFOp::create(b, l, a[4], eps));
              Value scaled = arith::DivFOp::create(
                  b, l, arith::MulFOp::create(b, l, centered, a[1]), stddev);
              yieldValue(b, l, arith::AddFOp::create(b, l, scaled, a[2]));
            })
            .getResult(0);
    // Absent running statistics have no users: they are dropped.
    auto ifPresent = [](Value v) -> SmallVector<Value> {
      if (!v)
        return {};
      return {v};
    };
    rewriter.replaceOpWithMultiple(
        op, {{y}, ifPresent(running[0]), ifPresent(running[1])});
    return success();
  }
};

/// Softmax along one axis, stable: exp(x - max) / sum(exp(x - max)).
template <typename Op> struct SoftmaxToLinalg : OpConversionPattern<Op> {
  using OpConversionPattern<Op>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Op op, typename Op::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value xIn = refineToResultShape(rewriter, op.getLoc(), adaptor.getX(),
                                    op.getType());
    constexpr bool isLog = std::is_same_v<Op, ONNXLogSoftmaxOp>;
    RankedTensorType x = getLowerableType(xIn.getType());
    if (!x || x != op.getType())
      return notifyUnsupported(rewriter, op, "ranked, unchanged types only");
    Location loc = op.getLoc();
    int64_t rank = x.getRank();
    int64_t axis = wrapAxis((int64_t)op.getAxis(), rank);
    auto elt = cast<FloatType>(x.getElementType());

    // Reductions keep the axis as a unit dim, read back with index 0.
    SmallVector<bool> axisOnly(rank, false);
    axisOnly[axis] = true;
    RankedTensorType reducedType = keptDimsType(x, axisOnly);
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    AffineMap reduced = keptDimsMap(rewriter, axisOnly);
    SmallVector<utils::IteratorType> parallel(rank,
                                              utils::IteratorType::parallel);
    auto reduce = [&](Value input, TypedAttr init, auto combine) {
      return reduceDims(rewriter, loc, input, axisOnly, /*keepDims=*/true,
                        reducedType, init, combine);
    };
    Value max = reduce(
        xIn,
        rewriter.getFloatAttr(
            elt, APFloat::getInf(elt.getFloatSemantics(), /*Negative=*/true)),
        [](OpBuilder &b, Location l, Value v, Value acc) -> Value {
          return arith::MaximumFOp::create(b, l, v, acc);
        });
    SmallVector<Value> sizes;
    for (int64_t i = 0; i < rank; ++i)
      if (x.isDynamicDim(i))
        sizes.push_back(tensor::DimOp::create(rewriter, loc, xIn, i));
    Value init = tensor::EmptyOp::create(rewriter, loc, x, sizes);
    Value exps =
        linalg::GenericOp::create(
            rewriter, loc, x, ValueRange{xIn, max}, init,
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
    // Softmax: exp(x - max) / sum. LogSoftmax: x - max - log(sum).
    Value y = linalg::GenericOp::create(
                  rewriter, loc, x, ValueRange{isLog ? xIn : exps, sum, max},
                  init, ArrayRef<AffineMap>{id, reduced, reduced, id}, parallel,
                  [](OpBuilder &b, Location l, ValueRange a) {
                    Value v;
                    if (isLog)
                      v = arith::SubFOp::create(
                          b, l, arith::SubFOp::create(b, l, a[0], a[2]),
                          math::LogOp::create(b, l, a[1]));
                    else
                      v = arith::DivFOp::create(b, l, a[0], a[1]);
                    yieldValue(b, l, v);
                  })
                  .getResult(0);
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// The indexing map of an operand right-aligned with the dims of `x` (a
/// normalization's Scale and B): a size-1 dim against a larger one reads
/// index 0.
static AffineMap trailingBroadcastMap(OpBuilder &b, RankedTensorType x,
                                      RankedTensorType t) {
  int64_t rank = x.getRank();
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < t.getRank(); ++i) {
    int64_t dim = rank - t.getRank() + i;
    exprs.push_back(t.getDimSize(i) == 1 && x.getDimSize(dim) != 1
                        ? b.getAffineConstantExpr(0)
                        : b.getAffineDimExpr(dim));
  }
  return AffineMap::get(rank, 0, exprs, b.getContext());
}

/// The statistics of a normalization over the `reduced` dims of `x`: the
/// mean (kept dims), x - mean, and 1 / sqrt(variance + epsilon) (kept dims).
struct Moments {
  Value mean, centered, invStd;
};

static Moments computeMoments(ConversionPatternRewriter &rewriter, Location loc,
                              Value input, ArrayRef<bool> reduced,
                              double epsilon) {
  auto x = cast<RankedTensorType>(input.getType());
  auto elt = cast<FloatType>(x.getElementType());
  int64_t rank = x.getRank();
  RankedTensorType statType = keptDimsType(x, reduced);
  AffineMap id = rewriter.getMultiDimIdentityMap(rank);
  AffineMap stat = keptDimsMap(rewriter, reduced);
  SmallVector<utils::IteratorType> parallel(rank,
                                            utils::IteratorType::parallel);
  Value count = countReducedElements(rewriter, loc, input, reduced, elt);
  TypedAttr zero = rewriter.getFloatAttr(elt, 0.0);
  Moments m;
  m.mean = mapElementwise(
      rewriter, loc,
      reduceDims(rewriter, loc, input, reduced, true, statType, zero,
                 [](OpBuilder &b, Location l, Value v, Value acc) -> Value {
                   return arith::AddFOp::create(b, l, v, acc);
                 }),
      [&](OpBuilder &b, Location l, Value v) -> Value {
        return arith::DivFOp::create(b, l, v, count);
      });
  // Centered values, then the variance of them.
  m.centered =
      linalg::GenericOp::create(
          rewriter, loc, x, ValueRange{input, m.mean}, ValueRange{input},
          ArrayRef<AffineMap>{id, stat, id}, parallel,
          [](OpBuilder &b, Location l, ValueRange a) {
            yieldValue(b, l, arith::SubFOp::create(b, l, a[0], a[1]));
          })
          .getResult(0);
  Value sq =
      reduceDims(rewriter, loc, m.centered, reduced, true, statType, zero,
                 [](OpBuilder &b, Location l, Value v, Value acc) -> Value {
                   return arith::AddFOp::create(
                       b, l, arith::MulFOp::create(b, l, v, v), acc);
                 });
  Value eps = arith::ConstantOp::create(rewriter, loc,
                                        rewriter.getFloatAttr(elt, epsilon));
  m.invStd = mapElementwise(rewriter, loc, sq,
                            [&](OpBuilder &b, Location l, Value v) -> Value {
                              Value var = arith::DivFOp::create(b, l, v, count);
                              return math::RsqrtOp::create(
                                  b, l, arith::AddFOp::create(b, l, var, eps));
                            });
  return m;
}

/// LayerNormalization (Y only): mean and variance over the dims from
/// `axis` on, then (x - mean) / sqrt(var + epsilon) * Scale + B, with Scale
/// and B broadcast over the normalized dims.
struct LayerNormToLinalg : OpConversionPattern<ONNXLayerNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXLayerNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value xIn = refineToResultShape(rewriter, op.getLoc(), adaptor.getX(),
                                    op.getY().getType());
    RankedTensorType x = getLowerableType(xIn.getType());
    RankedTensorType scale = getLowerableType(adaptor.getScale().getType());
    if (!x || !scale || x != op.getY().getType() ||
        !isa<FloatType>(x.getElementType()))
      return notifyUnsupported(rewriter, op, "float, ranked types");
    Value bias = adaptor.getB();
    bool hasBias = !isa<NoneType>(bias.getType());
    if (hasBias && !getLowerableType(bias.getType()))
      return notifyUnsupported(rewriter, op, "B is not lowerable");
    Location loc = op.getLoc();
    int64_t rank = x.getRank();
    int64_t axis = wrapAxis((int64_t)op.getAxis(), rank);
    SmallVector<bool> reduced(rank, false);
    for (int64_t i = axis; i < rank; ++i)
      reduced[i] = true;
    RankedTensorType statType = keptDimsType(x, reduced);
    // Mean and InvStdDev, when present, are the statistics themselves.
    for (Value stat : {op.getMean(), op.getInvStdDev()})
      if (!isa<NoneType>(stat.getType()) && stat.getType() != statType)
        return notifyUnsupported(rewriter, op, "statistics in another type");
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    AffineMap stat = keptDimsMap(rewriter, reduced);
    SmallVector<utils::IteratorType> parallel(rank,
                                              utils::IteratorType::parallel);
    Moments m = computeMoments(rewriter, loc, xIn, reduced,
                               op.getEpsilon().convertToDouble());
    Value mean = m.mean, centered = m.centered, invStd = m.invStd;
    auto trailing = [&](RankedTensorType t) {
      return trailingBroadcastMap(rewriter, x, t);
    };
    SmallVector<Value> inputs = {centered, invStd, adaptor.getScale()};
    SmallVector<AffineMap> maps = {id, stat, trailing(scale)};
    if (hasBias) {
      inputs.push_back(bias);
      maps.push_back(trailing(cast<RankedTensorType>(bias.getType())));
    }
    maps.push_back(id);
    Value y =
        linalg::GenericOp::create(
            rewriter, loc, x, inputs, ValueRange{centered}, maps, parallel,
            [&](OpBuilder &b, Location l, ValueRange a) {
              Value v = arith::MulFOp::create(
                  b, l, arith::MulFOp::create(b, l, a[0], a[1]), a[2]);
              if (hasBias)
                v = arith::AddFOp::create(b, l, v, a[3]);
              yieldValue(b, l, v);
            })
            .getResult(0);
    auto ifUsed = [](Value result, Value v) -> SmallVector<Value> {
      if (isa<NoneType>(result.getType()))
        return {};
      return {v};
    };
    rewriter.replaceOpWithMultiple(
        op,
        {{y}, ifUsed(op.getMean(), mean), ifUsed(op.getInvStdDev(), invStd)});
    return success();
  }
};

/// RMSNormalization: x / sqrt(mean(x^2 over the dims from `axis` on) +
/// epsilon) * scale, with scale right-aligned with the normalized dims. The
/// statistics are computed in f32 when stash_type is 1.
struct RMSNormToLinalg : OpConversionPattern<ONNXRMSNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXRMSNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value xIn = refineToResultShape(rewriter, op.getLoc(), adaptor.getX(),
                                    op.getY().getType());
    RankedTensorType x = getLowerableType(xIn.getType());
    RankedTensorType scale = getLowerableType(adaptor.getScale().getType());
    if (!x || !scale || x != op.getY().getType() ||
        !isa<FloatType>(x.getElementType()) ||
        scale.getElementType() != x.getElementType() ||
        scale.getRank() > x.getRank())
      return notifyUnsupported(rewriter, op, "float, ranked types");
    Location loc = op.getLoc();
    int64_t rank = x.getRank();
    int64_t axis = wrapAxis((int64_t)op.getAxis(), rank);
    auto elt = cast<FloatType>(x.getElementType());
    FloatType statElt = op.getStashType() == 1 ? rewriter.getF32Type() : elt;
    SmallVector<bool> reduced(rank, false);
    for (int64_t i = axis; i < rank; ++i)
      reduced[i] = true;
    RankedTensorType statType = keptDimsType(x, reduced).clone(Type(statElt));
    auto toStat = [&](OpBuilder &b, Location l, Value v) {
      return castFloat(b, l, v, statElt);
    };
    Value count = countReducedElements(rewriter, loc, xIn, reduced, statElt);
    Value sq =
        reduceDims(rewriter, loc, xIn, reduced, true, statType,
                   rewriter.getFloatAttr(statElt, 0.0),
                   [&](OpBuilder &b, Location l, Value v, Value acc) -> Value {
                     Value w = toStat(b, l, v);
                     return arith::AddFOp::create(
                         b, l, arith::MulFOp::create(b, l, w, w), acc);
                   });
    Value eps = arith::ConstantOp::create(
        rewriter, loc,
        rewriter.getFloatAttr(statElt, op.getEpsilon().convertToDouble()));
    Value invRms = mapElementwise(
        rewriter, loc, sq, [&](OpBuilder &b, Location l, Value v) -> Value {
          Value ms = arith::DivFOp::create(b, l, v, count);
          return math::RsqrtOp::create(b, l,
                                       arith::AddFOp::create(b, l, ms, eps));
        });
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    SmallVector<utils::IteratorType> parallel(rank,
                                              utils::IteratorType::parallel);
    Value y =
        linalg::GenericOp::create(
            rewriter, loc, x, ValueRange{xIn, invRms, adaptor.getScale()},
            ValueRange{xIn},
            ArrayRef<AffineMap>{id, keptDimsMap(rewriter, reduced),
                                trailingBroadcastMap(rewriter, x, scale), id},
            parallel,
            [&](OpBuilder &b, Location l, ValueRange a) {
              Value v = arith::MulFOp::create(b, l, toStat(b, l, a[0]), a[1]);
              yieldValue(
                  b, l,
                  arith::MulFOp::create(b, l, castFloat(b, l, v, elt), a[2]));
            })
            .getResult(0);
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// InstanceNormalization: mean and variance per (N, C) over the spatial
/// dims, then scale[c] * (x - mean) / sqrt(var + epsilon) + B[c].
struct InstanceNormToLinalg : OpConversionPattern<ONNXInstanceNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXInstanceNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value xIn = refineToResultShape(rewriter, op.getLoc(), adaptor.getInput(),
                                    op.getType());
    Value input = xIn;
    RankedTensorType x = getLowerableType(input.getType());
    if (!x || x.getRank() < 3 || x != op.getType() ||
        !isa<FloatType>(x.getElementType()))
      return notifyUnsupported(rewriter, op, "float (N, C, D...) input");
    Location loc = op.getLoc();
    int64_t rank = x.getRank();
    SmallVector<bool> reduced(rank, true);
    reduced[0] = reduced[1] = false;
    Moments m = computeMoments(rewriter, loc, input, reduced,
                               op.getEpsilon().convertToDouble());
    Value centered = m.centered, invStd = m.invStd;
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    AffineMap stat = keptDimsMap(rewriter, reduced);
    AffineMap chan = AffineMap::get(rank, 0, {rewriter.getAffineDimExpr(1)},
                                    rewriter.getContext());
    SmallVector<utils::IteratorType> parallel(rank,
                                              utils::IteratorType::parallel);
    Value y =
        linalg::GenericOp::create(
            rewriter, loc, x,
            ValueRange{centered, invStd, adaptor.getScale(), adaptor.getB()},
            ValueRange{centered}, ArrayRef<AffineMap>{id, stat, chan, chan, id},
            parallel,
            [](OpBuilder &b, Location l, ValueRange a) {
              Value v = arith::MulFOp::create(
                  b, l, arith::MulFOp::create(b, l, a[0], a[1]), a[2]);
              yieldValue(b, l, arith::AddFOp::create(b, l, v, a[3]));
            })
            .getResult(0);
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// LRN across channels: x / (bias + alpha / size * sum of squares over the
/// channels [c - floor((size-1)/2), c + ceil((size-1)/2)])^beta.
struct LRNToLinalg : OpConversionPattern<ONNXLRNOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXLRNOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value xIn = refineToResultShape(rewriter, op.getLoc(), adaptor.getX(),
                                    op.getType());
    Value input = xIn;
    RankedTensorType x = getLowerableType(input.getType());
    int64_t size = op.getSize();
    if (!x || x.getRank() < 2 || x != op.getType() || size < 1 || size > 64 ||
        !isa<FloatType>(x.getElementType()))
      return notifyUnsupported(rewriter, op, "float (N, C, ...) input");
    Location loc = op.getLoc();
    Type elt = x.getElementType();
    int64_t before = (size - 1) / 2, after = size - 1 - before;
    Value channels = getDimValue(rewriter, loc, input, 1);
    double alpha = op.getAlpha().convertToDouble() / (double)size;
    Value y = buildFromIndices(
        rewriter, loc, x,
        [&](OpBuilder &b, Location l, ArrayRef<Value> idx) -> Value {
          auto c = [&](double v) -> Value {
            return arith::ConstantOp::create(b, l, b.getFloatAttr(elt, v));
          };
          Value sum = c(0.0);
          Value zero = cIndex(b, l, 0);
          for (int64_t o = -before; o <= after; ++o) {
            Value ch = arith::AddIOp::create(b, l, idx[1], cIndex(b, l, o));
            Value inside = arith::AndIOp::create(
                b, l,
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, ch,
                                      zero),
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, ch,
                                      channels));
            SmallVector<Value> at(idx.begin(), idx.end());
            at[1] = arith::SelectOp::create(b, l, inside, ch, idx[1]);
            Value v = tensor::ExtractOp::create(b, l, input, at);
            Value sq = arith::MulFOp::create(b, l, v, v);
            sum = arith::AddFOp::create(
                b, l, sum, arith::SelectOp::create(b, l, inside, sq, c(0.0)));
          }
          Value denom = math::PowFOp::create(
              b, l,
              arith::AddFOp::create(b, l, c(op.getBias().convertToDouble()),
                                    arith::MulFOp::create(b, l, c(alpha), sum)),
              c(op.getBeta().convertToDouble()));
          return arith::DivFOp::create(
              b, l, tensor::ExtractOp::create(b, l, input, idx), denom);
        },
        getDynamicSizes(rewriter, loc, x, [&](int64_t d) {
          return getDimValue(rewriter, loc, input, d);
        }));
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void populateNormalizationPatterns(RewritePatternSet &patterns) {
  patterns
      .add<BatchNormToLinalg, LayerNormToLinalg, RMSNormToLinalg,
           InstanceNormToLinalg, LRNToLinalg, SoftmaxToLinalg<ONNXSoftmaxOp>,
           SoftmaxToLinalg<ONNXLogSoftmaxOp>>(patterns.getContext());
}

} // namespace kiln::onnx_to_linalg
