//===- Reduction.cpp - ReduceSum, ReduceMean, ReduceMax to linalg ---------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "PopulatePatterns.h"
#include "Utils.h"

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <utility>

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
  int64_t out = 0;
  for (int64_t i = 0; i < rank; ++i) {
    iterators.push_back(reduced[i] ? utils::IteratorType::reduction
                                   : utils::IteratorType::parallel);
    if (!reduced[i])
      outExprs.push_back(b.getAffineDimExpr(i));
    if (reduced[i] && !keepDims)
      continue;
    // A kept reduced dim is 1, even where the result type does not say so.
    if (resultType.isDynamicDim(out++))
      sizes.push_back(reduced[i] ? cIndex(b, loc, 1)
                                 : getDimValue(b, loc, input, i));
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

/// What a Reduce* op computes: map each element, combine, finish.
enum class Combine { Add, Mul, Max, Min };
struct ReduceKind {
  Combine combine;
  enum { None, Square, Abs } pre = None;
  enum { Keep, Mean, Sqrt, Log } post = Keep;
  bool floatOnly = false;
};

/// `kept` (a reduction with its reduced dims kept as 1s) without those
/// dims, as `result`: each reduced dim joins the next kept one (trailing
/// ones join the last), then a cast refines dims the declared result knows
/// statically.
Value dropReducedDims(OpBuilder &b, Location loc, Value kept,
                      ArrayRef<bool> reduced, RankedTensorType result) {
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices pending;
  for (int64_t d = 0, e = reduced.size(); d < e; ++d) {
    pending.push_back(d);
    if (!reduced[d])
      groups.push_back(std::exchange(pending, {}));
  }
  if (!groups.empty())
    groups.back().append(pending.begin(), pending.end());
  Value collapsed = collapseGroups(b, loc, kept, groups);
  if (collapsed.getType() == result)
    return collapsed;
  return tensor::CastOp::create(b, loc, result, collapsed);
}

template <typename Op> ReduceKind getReduceKind() {
  if constexpr (std::is_same_v<Op, ONNXReduceSumOp>)
    return {Combine::Add};
  if constexpr (std::is_same_v<Op, ONNXReduceMeanOp>)
    return {Combine::Add, ReduceKind::None, ReduceKind::Mean};
  if constexpr (std::is_same_v<Op, ONNXReduceMaxOp>)
    return {Combine::Max};
  if constexpr (std::is_same_v<Op, ONNXReduceMinOp>)
    return {Combine::Min};
  if constexpr (std::is_same_v<Op, ONNXReduceProdOp>)
    return {Combine::Mul};
  if constexpr (std::is_same_v<Op, ONNXReduceSumSquareOp>)
    return {Combine::Add, ReduceKind::Square};
  if constexpr (std::is_same_v<Op, ONNXReduceL1Op>)
    return {Combine::Add, ReduceKind::Abs};
  if constexpr (std::is_same_v<Op, ONNXReduceL2Op>)
    return {Combine::Add, ReduceKind::Square, ReduceKind::Sqrt, true};
  if constexpr (std::is_same_v<Op, ONNXReduceLogSumOp>)
    return {Combine::Add, ReduceKind::None, ReduceKind::Log, true};
  // ReduceLogSumExp is built from Max and Sum (see below).
  return {Combine::Add, ReduceKind::None, ReduceKind::Log, true};
}

/// The identity of a combination for `elt`.
TypedAttr getIdentity(Builder &b, Combine combine, Type elt,
                      bool isUnsigned = false) {
  if (auto f = dyn_cast<FloatType>(elt)) {
    const llvm::fltSemantics &sem = f.getFloatSemantics();
    switch (combine) {
    case Combine::Add:
      return b.getFloatAttr(f, 0.0);
    case Combine::Mul:
      return b.getFloatAttr(f, 1.0);
    case Combine::Max:
      return b.getFloatAttr(f, APFloat::getInf(sem, /*Negative=*/true));
    case Combine::Min:
      return b.getFloatAttr(f, APFloat::getInf(sem, /*Negative=*/false));
    }
  }
  unsigned width = elt.getIntOrFloatBitWidth();
  switch (combine) {
  case Combine::Add:
    return b.getIntegerAttr(elt, 0);
  case Combine::Mul:
    return b.getIntegerAttr(elt, 1);
  case Combine::Max:
    return b.getIntegerAttr(elt, width == 1 || isUnsigned
                                     ? APInt::getMinValue(width)
                                     : APInt::getSignedMinValue(width));
  case Combine::Min:
    return b.getIntegerAttr(elt, width == 1 || isUnsigned
                                     ? APInt::getMaxValue(width)
                                     : APInt::getSignedMaxValue(width));
  }
  llvm_unreachable("unknown combination");
}

Value combineValues(OpBuilder &b, Location l, Combine combine, Value v,
                    Value acc, bool isUnsigned = false) {
  switch (combine) {
  case Combine::Add:
    return createAdd(b, l, v, acc);
  case Combine::Mul:
    return createMul(b, l, v, acc);
  case Combine::Max:
    return createMax(b, l, v, acc, isUnsigned);
  case Combine::Min:
    return createMin(b, l, v, acc, isUnsigned);
  }
  llvm_unreachable("unknown combination");
}

template <typename Op> struct ReduceToLinalg : OpConversionPattern<Op> {
  using OpConversionPattern<Op>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Op op, typename Op::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType x = getLowerableType(adaptor.getData().getType());
    RankedTensorType result = getLowerableType(op.getType());
    ReduceKind kind = getReduceKind<Op>();
    bool isLogSumExp = std::is_same_v<Op, ONNXReduceLogSumExpOp>;
    if (!x || !result ||
        ((kind.floatOnly || kind.post == ReduceKind::Mean) &&
         !isa<FloatType>(x.getElementType())))
      return notifyUnsupported(rewriter, op, "types are not lowerable");
    Value data = adaptor.getData();
    std::optional<SmallVector<int64_t>> axes =
        isNoValue(op.getAxes()) ? SmallVector<int64_t>()
                                : getConstantInts(op.getAxes());
    auto axesType = dyn_cast<RankedTensorType>(op.getAxes().getType());
    if (!axes && axesType && axesType.hasStaticShape() &&
        axesType.getNumElements() == 0)
      axes.emplace();
    // Axes known only at run time: with keepdims and static shapes, the
    // result shape says which dims are reduced (a reduced dim of size 1
    // changes nothing either way).
    if (!axes && op.getKeepdims() && x.hasStaticShape() &&
        result.hasStaticShape() && result.getRank() == x.getRank() &&
        !op.getNoopWithEmptyAxes()) {
      axes.emplace();
      for (int64_t d = 0; d < x.getRank(); ++d)
        if (result.getDimSize(d) == 1 && x.getDimSize(d) != 1)
          axes->push_back(d);
      // Only dims of size 1 reduced: the maps still apply to each value.
      if (axes->empty())
        for (int64_t d = 0; d < x.getRank(); ++d)
          if (x.getDimSize(d) == 1)
            axes->push_back(d);
      if (axes->empty())
        return notifyUnsupported(rewriter, op, "cannot tell the axes");
    }
    // Axes known only at run time without keepdims: every set of dims whose
    // removal gives the result shape is a candidate; each is reduced and
    // the run-time axes pick one.
    SmallVector<SmallVector<int64_t>> candidates;
    if (!axes && !op.getKeepdims() && axesType && axesType.hasStaticShape() &&
        axesType.getRank() == 1 && x.hasStaticShape() &&
        result.hasStaticShape() &&
        axesType.getNumElements() == x.getRank() - result.getRank() &&
        axesType.getNumElements() == 1) {
      for (int64_t d = 0; d < x.getRank(); ++d) {
        SmallVector<int64_t> rest(x.getShape());
        rest.erase(rest.begin() + d);
        if (ArrayRef<int64_t>(rest) == result.getShape())
          candidates.push_back({d});
      }
      if (!candidates.empty())
        axes = candidates.front();
    }
    if (!axes)
      return notifyUnsupported(rewriter, op, "axes must be constant");
    Location loc = op.getLoc();
    Type elt = x.getElementType();
    // No axes with noop_with_empty_axes: the data, with `pre` applied.
    if (axes->empty() && op.getNoopWithEmptyAxes()) {
      if (result != x)
        return notifyUnsupported(rewriter, op, "noop changes the type");
      if (!isa<FloatType>(elt) && kind.pre != ReduceKind::None)
        return notifyUnsupported(rewriter, op, "integer noop with a map");
      Value r = data;
      if (kind.pre != ReduceKind::None || isLogSumExp ||
          kind.post != ReduceKind::Keep)
        r = mapElementwise(rewriter, loc, data,
                           [&](OpBuilder &b, Location l, Value v) -> Value {
                             if (kind.pre == ReduceKind::Square)
                               return arith::MulFOp::create(b, l, v, v);
                             if (kind.pre == ReduceKind::Abs)
                               return math::AbsFOp::create(b, l, v);
                             if (kind.post == ReduceKind::Log && !isLogSumExp)
                               return math::LogOp::create(b, l, v);
                             return v;
                           });
      rewriter.replaceOp(op, r);
      return success();
    }
    auto reduceOver = [&](ArrayRef<int64_t> axesList) -> Value {
      Value data = adaptor.getData();
      SmallVector<bool> reduced(x.getRank(), axesList.empty());
      for (int64_t a : axesList)
        reduced[a < 0 ? a + x.getRank() : a] = true;
      bool keepDims = op.getKeepdims() != 0;

      // LogSumExp: log(sum(exp(x - max))) + max, stable for large x.
      Value max;
      if (isLogSumExp) {
        RankedTensorType keptType = keptDimsType(x, reduced);
        max = reduceDims(rewriter, loc, data, reduced, true, keptType,
                         getIdentity(rewriter, Combine::Max, elt),
                         [](OpBuilder &b, Location l, Value v, Value acc) {
                           return combineValues(b, l, Combine::Max, v, acc);
                         });
        // Rows of -inf stay -inf rather than NaN.
        max = mapElementwise(
            rewriter, loc, max,
            [&](OpBuilder &b, Location l, Value m) -> Value {
              Value finite = math::IsFiniteOp::create(b, l, m);
              Value zero =
                  arith::ConstantOp::create(b, l, b.getFloatAttr(elt, 0.0));
              return arith::SelectOp::create(b, l, finite, m, zero);
            });
        int64_t rank = x.getRank();
        AffineMap id = rewriter.getMultiDimIdentityMap(rank);
        SmallVector<utils::IteratorType> parallel(
            rank, utils::IteratorType::parallel);
        Value init = tensor::EmptyOp::create(
            rewriter, loc, x, getDynamicSizes(rewriter, loc, x, [&](int64_t d) {
              return getDimValue(rewriter, loc, data, d);
            }));
        data = linalg::GenericOp::create(
                   rewriter, loc, x, ValueRange{data, max}, init,
                   ArrayRef<AffineMap>{id, keptDimsMap(rewriter, reduced), id},
                   parallel,
                   [](OpBuilder &b, Location l, ValueRange a) {
                     yieldValue(
                         b, l,
                         math::ExpOp::create(
                             b, l, arith::SubFOp::create(b, l, a[0], a[1])));
                   })
                   .getResult(0);
      }
      bool isUnsigned = isUnsignedTensor(op.getData().getType());
      Value r = reduceDims(
          rewriter, loc, data, reduced, keepDims, result,
          getIdentity(rewriter, kind.combine, elt, isUnsigned),
          [&](OpBuilder &b, Location l, Value v, Value acc) {
            if (kind.pre == ReduceKind::Square)
              v = isa<FloatType>(elt)
                      ? (Value)arith::MulFOp::create(b, l, v, v)
                      : (Value)arith::MulIOp::create(b, l, v, v);
            else if (kind.pre == ReduceKind::Abs)
              v = isa<FloatType>(elt) ? (Value)math::AbsFOp::create(b, l, v)
                                      : (Value)math::AbsIOp::create(b, l, v);
            return combineValues(b, l, kind.combine, v, acc, isUnsigned);
          });
      if (kind.post == ReduceKind::Mean) {
        Value count = countReducedElements(rewriter, loc, adaptor.getData(),
                                           reduced, cast<FloatType>(elt));
        r = mapElementwise(rewriter, loc, r,
                           [&](OpBuilder &b, Location l, Value v) -> Value {
                             return arith::DivFOp::create(b, l, v, count);
                           });
      } else if (kind.post == ReduceKind::Sqrt) {
        r = mapElementwise(rewriter, loc, r,
                           [&](OpBuilder &b, Location l, Value v) -> Value {
                             return math::SqrtOp::create(b, l, v);
                           });
      } else if (kind.post == ReduceKind::Log) {
        r = mapElementwise(rewriter, loc, r,
                           [&](OpBuilder &b, Location l, Value v) -> Value {
                             return math::LogOp::create(b, l, v);
                           });
      }
      if (isLogSumExp) {
        int64_t rank = result.getRank();
        AffineMap id = rewriter.getMultiDimIdentityMap(rank);
        // max has the kept dims; without keepdims read it through a reshape.
        Value m = max;
        if (!keepDims)
          m = dropReducedDims(rewriter, loc, max, reduced, result);
        SmallVector<utils::IteratorType> parallel(
            rank, utils::IteratorType::parallel);
        r = linalg::GenericOp::create(
                rewriter, loc, result, ValueRange{r, m}, r,
                ArrayRef<AffineMap>{id, id, id}, parallel,
                [](OpBuilder &b, Location l, ValueRange a) {
                  yieldValue(b, l, arith::AddFOp::create(b, l, a[0], a[1]));
                })
                .getResult(0);
      }
      return r;
    };
    if (candidates.size() <= 1) {
      rewriter.replaceOp(op, reduceOver(*axes));
      return success();
    }
    // select(axis == d1, r1, select(axis == d2, r2, ...)) per element.
    Value axis = tensor::ExtractOp::create(
        rewriter, loc, adaptor.getAxes(),
        ValueRange{arith::ConstantIndexOp::create(rewriter, loc, 0)});
    Value rank64 = arith::ConstantOp::create(
        rewriter, loc, rewriter.getI64IntegerAttr(x.getRank()));
    Value negative = arith::CmpIOp::create(
        rewriter, loc, arith::CmpIPredicate::slt, axis,
        arith::ConstantOp::create(rewriter, loc,
                                  rewriter.getI64IntegerAttr(0)));
    axis = arith::SelectOp::create(
        rewriter, loc, negative,
        arith::AddIOp::create(rewriter, loc, axis, rank64), axis);
    Value r = reduceOver(candidates.back());
    for (const auto &candidate :
         llvm::reverse(ArrayRef(candidates).drop_back())) {
      Value other = reduceOver(candidate);
      Value match = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::eq, axis,
          arith::ConstantOp::create(rewriter, loc,
                                    rewriter.getI64IntegerAttr(candidate[0])));
      int64_t rank = result.getRank();
      AffineMap id = rewriter.getMultiDimIdentityMap(rank);
      SmallVector<utils::IteratorType> par(rank, utils::IteratorType::parallel);
      r = linalg::GenericOp::create(
              rewriter, loc, result, ValueRange{other, r}, r,
              ArrayRef<AffineMap>{id, id, id}, par,
              [&](OpBuilder &b, Location l, ValueRange a) {
                yieldValue(b, l,
                           arith::SelectOp::create(b, l, match, a[0], a[1]));
              })
              .getResult(0);
    }
    rewriter.replaceOp(op, r);
    return success();
  }
};

/// Reduce* with axes known only at run time and keepdims: which dims are
/// reduced is a run-time flag per dim, so each output element is a loop
/// nest over the input, each dim looping over its whole length when
/// reduced and sitting at the output's index otherwise. Slower than the
/// static lowering; taken when shapes are dynamic.
template <typename Op> struct ReduceWithRunTimeAxes : OpConversionPattern<Op> {
  using OpConversionPattern<Op>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Op op, typename Op::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType x = getLowerableType(adaptor.getData().getType());
    RankedTensorType result = getLowerableType(op.getType());
    ReduceKind kind = getReduceKind<Op>();
    constexpr bool isLogSumExp = std::is_same_v<Op, ONNXReduceLogSumExpOp>;
    auto axesType = dyn_cast<RankedTensorType>(op.getAxes().getType());
    bool keep = op.getKeepdims() != 0;
    if (!x || !result || !axesType || axesType.getRank() != 1 ||
        getConstantInts(op.getAxes()) ||
        ((kind.floatOnly || kind.post == ReduceKind::Mean) &&
         !isa<FloatType>(x.getElementType())))
      return notifyUnsupported(rewriter, op, "run-time axes");
    // With keepdims the static lowering reads the axes off static shapes;
    // without, the reduced dims (all size 1 once kept) are dropped by a
    // reshape to the declared result shape, which must then be static.
    if (keep ? result.getRank() != x.getRank() ||
                   (x.hasStaticShape() && result.hasStaticShape())
             : !result.hasStaticShape() || op.getNoopWithEmptyAxes())
      return notifyUnsupported(rewriter, op, "run-time axes, result shape");
    RankedTensorType kept =
        keep ? result
             : RankedTensorType::get(
                   SmallVector<int64_t>(x.getRank(), ShapedType::kDynamic),
                   result.getElementType());
    Location loc = op.getLoc();
    Value data = adaptor.getData(), axes = adaptor.getAxes();
    int64_t rank = x.getRank();
    Type elt = x.getElementType();
    bool isUnsigned = isUnsignedTensor(op.getData().getType());
    auto c = [&](OpBuilder &b, int64_t v) { return cIndex(b, loc, v); };
    SmallVector<Value> in;
    for (int64_t d = 0; d < rank; ++d)
      in.push_back(getDimValue(rewriter, loc, data, d));
    // reduced[d]: some axis names d; no axes at all reduce every dim
    // (or none, with noop_with_empty_axes).
    Value count = tensor::DimOp::create(rewriter, loc, axes, 0);
    Value none = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq,
                                       count, c(rewriter, 0));
    Value falseV =
        arith::ConstantOp::create(rewriter, loc, rewriter.getBoolAttr(false));
    Value allDefault = arith::ConstantOp::create(
        rewriter, loc, rewriter.getBoolAttr(!op.getNoopWithEmptyAxes()));
    SmallVector<Value> init(rank, falseV);
    auto loop = scf::ForOp::create(
        rewriter, loc, c(rewriter, 0), count, c(rewriter, 1), init,
        [&](OpBuilder &b, Location l, Value j, ValueRange flags) {
          Value a = wrapIndex(
              b, l, tensor::ExtractOp::create(b, l, axes, ValueRange{j}), rank);
          SmallVector<Value> next;
          for (int64_t d = 0; d < rank; ++d)
            next.push_back(arith::OrIOp::create(
                b, l, flags[d],
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, a,
                                      c(b, d))));
          scf::YieldOp::create(b, l, next);
        });
    SmallVector<Value> reduced, out;
    for (int64_t d = 0; d < rank; ++d) {
      reduced.push_back(arith::SelectOp::create(rewriter, loc, none, allDefault,
                                                loop.getResult(d)));
      out.push_back(arith::SelectOp::create(rewriter, loc, reduced[d],
                                            c(rewriter, 1), in[d]));
    }
    // How many elements each output combines (for Mean).
    Value total = c(rewriter, 1);
    for (int64_t d = 0; d < rank; ++d)
      total = arith::MulIOp::create(rewriter, loc, total,
                                    arith::SelectOp::create(rewriter, loc,
                                                            reduced[d], in[d],
                                                            c(rewriter, 1)));
    Value value = buildFromIndices(
        rewriter, loc, kept,
        [&](OpBuilder &b, Location l, ArrayRef<Value> idx) -> Value {
          // Folds f(element) into acc over the reduced window of idx.
          auto fold =
              [&](Value start,
                  function_ref<Value(OpBuilder &, Location, Value, Value)> step)
              -> Value {
            std::function<Value(OpBuilder &, int64_t, SmallVector<Value> &,
                                Value)>
                nest = [&](OpBuilder &nb, int64_t d, SmallVector<Value> &at,
                           Value acc) -> Value {
              if (d == rank)
                return step(nb, l, tensor::ExtractOp::create(nb, l, data, at),
                            acc);
              Value bound =
                  arith::SelectOp::create(nb, l, reduced[d], in[d], c(nb, 1));
              auto inner = scf::ForOp::create(
                  nb, l, c(nb, 0), bound, c(nb, 1), ValueRange{acc},
                  [&](OpBuilder &lb, Location, Value i, ValueRange a) {
                    at.push_back(
                        arith::SelectOp::create(lb, l, reduced[d], i, idx[d]));
                    Value next = nest(lb, d + 1, at, a[0]);
                    at.pop_back();
                    scf::YieldOp::create(lb, l, next);
                  });
              return inner.getResult(0);
            };
            SmallVector<Value> at;
            return nest(b, 0, at, start);
          };
          auto constant = [&](TypedAttr attr) -> Value {
            return arith::ConstantOp::create(b, l, attr);
          };
          if constexpr (isLogSumExp) {
            // log(sum(exp(x - max))) + max; -inf rows stay -inf.
            Value max = fold(constant(getIdentity(b, Combine::Max, elt)),
                             [&](OpBuilder &fb, Location fl, Value v, Value a) {
                               return combineValues(fb, fl, Combine::Max, v, a);
                             });
            Value finite = math::IsFiniteOp::create(b, l, max);
            Value shift = arith::SelectOp::create(
                b, l, finite, max, constant(b.getFloatAttr(elt, 0.0)));
            Value sum =
                fold(constant(b.getFloatAttr(elt, 0.0)),
                     [&](OpBuilder &fb, Location fl, Value v, Value a) {
                       Value e = math::ExpOp::create(
                           fb, fl, arith::SubFOp::create(fb, fl, v, shift));
                       return (Value)arith::AddFOp::create(fb, fl, e, a);
                     });
            return arith::AddFOp::create(b, l, math::LogOp::create(b, l, sum),
                                         shift);
          }
          Value r = fold(
              constant(getIdentity(b, kind.combine, elt, isUnsigned)),
              [&](OpBuilder &fb, Location fl, Value v, Value a) {
                if (kind.pre == ReduceKind::Square)
                  v = createMul(fb, fl, v, v);
                else if (kind.pre == ReduceKind::Abs)
                  v = isa<FloatType>(elt)
                          ? (Value)math::AbsFOp::create(fb, fl, v)
                          : (Value)math::AbsIOp::create(fb, fl, v);
                return combineValues(fb, fl, kind.combine, v, a, isUnsigned);
              });
          if (kind.post == ReduceKind::Mean) {
            Value n = arith::UIToFPOp::create(
                b, l, elt,
                arith::IndexCastUIOp::create(b, l, b.getI64Type(), total));
            r = arith::DivFOp::create(b, l, r, n);
          } else if (kind.post == ReduceKind::Sqrt) {
            r = math::SqrtOp::create(b, l, r);
          } else if (kind.post == ReduceKind::Log) {
            r = math::LogOp::create(b, l, r);
          }
          return r;
        },
        getDynamicSizes(rewriter, loc, kept,
                        [&](int64_t d) { return out[d]; }));
    if (!keep) {
      // Dropping size-1 dims keeps the row-major order of the elements.
      auto shapeType =
          RankedTensorType::get({result.getRank()}, rewriter.getI64Type());
      Value shape = arith::ConstantOp::create(
          rewriter, loc,
          DenseIntElementsAttr::get(shapeType, result.getShape()));
      value = tensor::ReshapeOp::create(rewriter, loc, result, value, shape);
    }
    rewriter.replaceOp(op, value);
    return success();
  }
};

/// ArgMax/ArgMin along one axis: a reduction with two accumulators, the
/// best value and its index; ties keep the first index unless
/// select_last_index.
template <typename Op> struct ArgToLinalg : OpConversionPattern<Op> {
  using OpConversionPattern<Op>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Op op, typename Op::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType x = getLowerableType(adaptor.getData().getType());
    RankedTensorType result = getLowerableType(op.getType());
    if (!x || !result)
      return notifyUnsupported(rewriter, op, "ranked types only");
    int64_t rank = x.getRank();
    int64_t axis = wrapAxis((int64_t)op.getAxis(), rank);
    bool isMax = std::is_same_v<Op, ONNXArgMaxOp>;
    bool last = op.getSelectLastIndex() != 0;
    Location loc = op.getLoc();
    Type elt = x.getElementType();
    SmallVector<bool> reduced(rank, false);
    reduced[axis] = true;
    bool keepDims = op.getKeepdims() != 0;
    SmallVector<int64_t> shape;
    SmallVector<AffineExpr> outExprs;
    for (int64_t i = 0; i < rank; ++i) {
      if (i == axis && !keepDims)
        continue;
      shape.push_back(i == axis ? 1 : x.getDimSize(i));
      outExprs.push_back(i == axis ? rewriter.getAffineConstantExpr(0)
                                   : rewriter.getAffineDimExpr(i));
    }
    auto valueType = RankedTensorType::get(shape, elt);
    auto indexType = RankedTensorType::get(shape, rewriter.getI64Type());
    if (indexType != result)
      return notifyUnsupported(rewriter, op, "unexpected result type");
    bool isUnsigned = isUnsignedTensor(op.getData().getType());
    SmallVector<Value> sizes;
    for (int64_t i = 0; i < rank; ++i)
      if (i != axis && x.isDynamicDim(i))
        sizes.push_back(getDimValue(rewriter, loc, adaptor.getData(), i));
    Value best =
        createFilled(rewriter, loc, valueType,
                     getIdentity(rewriter, isMax ? Combine::Max : Combine::Min,
                                 elt, isUnsigned),
                     sizes);
    Value index = createFilled(rewriter, loc, indexType,
                               rewriter.getI64IntegerAttr(0), sizes);
    AffineMap out = AffineMap::get(rank, 0, outExprs, rewriter.getContext());
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators[axis] = utils::IteratorType::reduction;
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valueType, indexType}, adaptor.getData(),
        ValueRange{best, index},
        ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(rank), out, out},
        iterators, [&](OpBuilder &b, Location l, ValueRange a) {
          Value i = arith::IndexCastOp::create(
              b, l, b.getI64Type(), linalg::IndexOp::create(b, l, axis));
          Value v = a[0], cur = a[1];
          Value better = createCompare(b, l,
                                       isMax ? arith::CmpIPredicate::sgt
                                             : arith::CmpIPredicate::slt,
                                       v, cur, isUnsigned);
          Value equal =
              createCompare(b, l, arith::CmpIPredicate::eq, v, cur, isUnsigned);
          // The first element always wins, so the index is never stale.
          Value first = arith::CmpIOp::create(
              b, l, arith::CmpIPredicate::eq, i,
              arith::ConstantOp::create(b, l, b.getI64IntegerAttr(0)));
          Value take = arith::OrIOp::create(b, l, better, first);
          if (last)
            take = arith::OrIOp::create(b, l, take, equal);
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::SelectOp::create(b, l, take, v, cur),
                         arith::SelectOp::create(b, l, take, i, a[2])});
        });
    rewriter.replaceOp(op, generic.getResult(1));
    return success();
  }
};

} // namespace

void populateReductionPatterns(RewritePatternSet &patterns) {
  patterns.add<
      ReduceToLinalg<ONNXReduceSumOp>, ReduceToLinalg<ONNXReduceMeanOp>,
      ReduceToLinalg<ONNXReduceMaxOp>, ReduceToLinalg<ONNXReduceMinOp>,
      ReduceToLinalg<ONNXReduceProdOp>, ReduceToLinalg<ONNXReduceSumSquareOp>,
      ReduceToLinalg<ONNXReduceL1Op>, ReduceToLinalg<ONNXReduceL2Op>,
      ReduceToLinalg<ONNXReduceLogSumOp>, ReduceToLinalg<ONNXReduceLogSumExpOp>,
      ArgToLinalg<ONNXArgMaxOp>, ArgToLinalg<ONNXArgMinOp>>(
      patterns.getContext());
  patterns.add<ReduceWithRunTimeAxes<ONNXReduceSumOp>,
               ReduceWithRunTimeAxes<ONNXReduceMeanOp>,
               ReduceWithRunTimeAxes<ONNXReduceMaxOp>,
               ReduceWithRunTimeAxes<ONNXReduceMinOp>,
               ReduceWithRunTimeAxes<ONNXReduceProdOp>,
               ReduceWithRunTimeAxes<ONNXReduceSumSquareOp>,
               ReduceWithRunTimeAxes<ONNXReduceL1Op>,
               ReduceWithRunTimeAxes<ONNXReduceL2Op>,
               ReduceWithRunTimeAxes<ONNXReduceLogSumOp>,
               ReduceWithRunTimeAxes<ONNXReduceLogSumExpOp>>(
      patterns.getContext());
}

} // namespace kiln::onnx_to_linalg
