//===- Scan.cpp - onnx ops that look along an axis per element ------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Ops whose every element depends on a run of others, written as a
// linalg.generic over the result with an scf.for in the body (CumSum,
// CumProd, TopK), or as scf.for loops updating a tensor (ScatterElements,
// ScatterND). Static shapes only; simple rather than fast: these ops are
// rare on hot paths, and later tiling can replace them.
//
//===----------------------------------------------------------------------===//

#include "PopulatePatterns.h"
#include "Utils.h"

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace kiln::onnx;

namespace kiln::onnx_to_linalg {
namespace {

Value toIndex(OpBuilder &b, Location l, Value v) {
  return arith::IndexCastOp::create(b, l, b.getIndexType(), v);
}

/// A run-time axis (a 1-element tensor) normalized into [0, rank).
Value readAxis(OpBuilder &b, Location l, Value axisTensor, int64_t rank) {
  auto type = cast<RankedTensorType>(axisTensor.getType());
  SmallVector<Value> zeros(type.getRank(), cIndex(b, l, 0));
  return wrapIndex(b, l, tensor::ExtractOp::create(b, l, axisTensor, zeros),
                   rank);
}

/// `idx` with the entry at run-time position `axis` replaced by `j`.
SmallVector<Value> replaceAt(OpBuilder &b, Location l, ArrayRef<Value> idx,
                             Value axis, Value j) {
  SmallVector<Value> out;
  for (auto [d, v] : llvm::enumerate(idx)) {
    Value here = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, axis,
                                       cIndex(b, l, d));
    out.push_back(arith::SelectOp::create(b, l, here, j, v));
  }
  return out;
}

/// The entry of `values` (one per dim) at run-time position `axis`.
Value pick(OpBuilder &b, Location l, ArrayRef<Value> values, Value axis) {
  Value v = values[0];
  for (int64_t d = 1; d < (int64_t)values.size(); ++d) {
    Value here = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, axis,
                                       cIndex(b, l, d));
    v = arith::SelectOp::create(b, l, here, values[d], v);
  }
  return v;
}

/// CumSum and CumProd along a run-time axis, inclusive or exclusive,
/// forward or reversed.
template <typename Op> struct CumulativeToGeneric : OpConversionPattern<Op> {
  using OpConversionPattern<Op>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Op op, typename Op::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType result = getLowerableType(op.getType());
    Value x = adaptor.getX();
    if (!result || (result.hasStaticShape() && result.getNumElements() == 0))
      return notifyUnsupported(rewriter, op, "ranked, non-empty only");
    constexpr bool isProd = std::is_same_v<Op, ONNXCumProdOp>;
    bool exclusive = op.getExclusive() != 0, reverse = op.getReverse() != 0;
    int64_t rank = result.getRank();
    Type elt = result.getElementType();
    Location loc = op.getLoc();
    Value axis = readAxis(rewriter, loc, adaptor.getAxis(), rank);
    SmallVector<Value> dims;
    for (int64_t d = 0; d < rank; ++d)
      dims.push_back(getDimValue(rewriter, loc, x, d));
    Value scanned = buildFromIndices(
        rewriter, loc, result,
        [&](OpBuilder &b, Location l, ArrayRef<Value> idx) -> Value {
          Value pos = pick(b, l, idx, axis), n = pick(b, l, dims, axis);
          Value one = cIndex(b, l, 1);
          Value lb, ub;
          if (!reverse) {
            lb = cIndex(b, l, 0);
            ub = exclusive ? pos : (Value)arith::AddIOp::create(b, l, pos, one);
          } else {
            lb = exclusive ? (Value)arith::AddIOp::create(b, l, pos, one) : pos;
            ub = n;
          }
          TypedAttr initAttr =
              isa<FloatType>(elt)
                  ? (TypedAttr)b.getFloatAttr(elt, isProd ? 1.0 : 0.0)
                  : (TypedAttr)b.getIntegerAttr(elt, isProd ? 1 : 0);
          Value init = arith::ConstantOp::create(b, l, initAttr);
          auto loop = scf::ForOp::create(
              b, l, lb, ub, one, ValueRange{init},
              [&](OpBuilder &bb, Location ll, Value j, ValueRange acc) {
                Value v = tensor::ExtractOp::create(
                    bb, ll, x, replaceAt(bb, ll, idx, axis, j));
                Value next = isProd ? createMul(bb, ll, acc[0], v)
                                    : createAdd(bb, ll, acc[0], v);
                scf::YieldOp::create(bb, ll, next);
              });
          return loop.getResult(0);
        },
        getDynamicSizes(rewriter, loc, result,
                        [&](int64_t d) { return dims[d]; }));
    rewriter.replaceOp(op, scanned);
    return success();
  }
};

/// TopK (K from the static result shape): the r-th output along the axis
/// is the element with exactly r elements ahead of it (greater, or equal
/// with a smaller index; smaller for largest = 0).
struct TopKToGeneric : OpConversionPattern<ONNXTopKOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXTopKOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType x = getLowerableType(adaptor.getX().getType());
    RankedTensorType values = getLowerableType(op.getValues().getType());
    RankedTensorType indices = getLowerableType(op.getIndices().getType());
    if (!x || !values || !indices ||
        (values.hasStaticShape() && values.getNumElements() == 0))
      return notifyUnsupported(rewriter, op, "ranked, non-empty only");
    int64_t rank = x.getRank();
    int64_t axis = wrapAxis((int64_t)op.getAxis(), rank);
    Location loc = op.getLoc();
    // Values and indices have one shape: both are built with the values'
    // declared one, and the indices cast to theirs where it is less static.
    RankedTensorType declaredIndices = indices;
    if (values.getShape() != indices.getShape()) {
      if (!values.hasStaticShape() ||
          failed(verifyCompatibleShape(values.getShape(), indices.getShape())))
        return notifyUnsupported(rewriter, op,
                                 "values and indices declare other shapes");
      indices =
          RankedTensorType::get(values.getShape(), indices.getElementType());
    }
    Value n = getDimValue(rewriter, loc, adaptor.getX(), axis);
    SmallVector<Value> sizes;
    if (!values.hasStaticShape()) {
      // K is the one element of the k input.
      auto kType = cast<RankedTensorType>(adaptor.getK().getType());
      SmallVector<Value> zeros(kType.getRank(), cIndex(rewriter, loc, 0));
      Value k = toIndex(
          rewriter, loc,
          tensor::ExtractOp::create(rewriter, loc, adaptor.getK(), zeros));
      sizes = getDynamicSizes(rewriter, loc, values, [&](int64_t d) {
        return d == axis ? k : getDimValue(rewriter, loc, adaptor.getX(), d);
      });
    }
    bool largest = op.getLargest() != 0;
    bool isUnsigned = isUnsignedTensor(op.getX().getType());
    Value input = adaptor.getX();
    auto ahead = [&](OpBuilder &b, Location l, Value xj, Value xi, Value j,
                     Value i) -> Value {
      Value strict = createCompare(
          b, l, largest ? arith::CmpIPredicate::sgt : arith::CmpIPredicate::slt,
          xj, xi, isUnsigned);
      Value equal =
          createCompare(b, l, arith::CmpIPredicate::eq, xj, xi, isUnsigned);
      Value earlier =
          arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, j, i);
      return arith::OrIOp::create(b, l, strict,
                                  arith::AndIOp::create(b, l, equal, earlier));
    };
    Value index = buildFromIndices(
        rewriter, loc, indices,
        [&](OpBuilder &b, Location l, ArrayRef<Value> idx) -> Value {
          Value r = idx[axis];
          Value zero = cIndex(b, l, 0), one = cIndex(b, l, 1), end = n;
          auto outer = scf::ForOp::create(
              b, l, zero, end, one, ValueRange{zero},
              [&](OpBuilder &b1, Location l1, Value i, ValueRange found) {
                SmallVector<Value> at(idx);
                at[axis] = i;
                Value xi = tensor::ExtractOp::create(b1, l1, input, at);
                auto inner = scf::ForOp::create(
                    b1, l1, zero, end, one, ValueRange{zero},
                    [&](OpBuilder &b2, Location l2, Value j, ValueRange count) {
                      SmallVector<Value> at2(idx);
                      at2[axis] = j;
                      Value xj = tensor::ExtractOp::create(b2, l2, input, at2);
                      Value inc = arith::SelectOp::create(
                          b2, l2, ahead(b2, l2, xj, xi, j, i), one, zero);
                      scf::YieldOp::create(b2, l2,
                                           ValueRange{arith::AddIOp::create(
                                               b2, l2, count[0], inc)});
                    });
                Value hit = arith::CmpIOp::create(
                    b1, l1, arith::CmpIPredicate::eq, inner.getResult(0), r);
                scf::YieldOp::create(b1, l1,
                                     ValueRange{arith::SelectOp::create(
                                         b1, l1, hit, i, found[0])});
              });
          return arith::IndexCastOp::create(b, l, b.getI64Type(),
                                            outer.getResult(0));
        },
        sizes);
    Value value = buildFromIndices(
        rewriter, loc, values,
        [&](OpBuilder &b, Location l, ArrayRef<Value> idx) -> Value {
          SmallVector<Value> at(idx);
          at[axis] = toIndex(b, l, tensor::ExtractOp::create(b, l, index, idx));
          return tensor::ExtractOp::create(b, l, input, at);
        },
        sizes);
    if (indices != declaredIndices)
      index = tensor::CastOp::create(rewriter, loc, declaredIndices, index);
    rewriter.replaceOp(op, {value, index});
    return success();
  }
};

/// Nested scf.for loops over `shape` threading a tensor through; `body`
/// returns the updated tensor for one index.
Value forEachIndex(
    OpBuilder &b, Location loc, ArrayRef<Value> shape, Value init,
    function_ref<Value(OpBuilder &, Location, ArrayRef<Value>, Value)> body,
    SmallVector<Value> &idx) {
  if (idx.size() == shape.size())
    return body(b, loc, idx, init);
  auto loop = scf::ForOp::create(
      b, loc, cIndex(b, loc, 0), shape[idx.size()], cIndex(b, loc, 1),
      ValueRange{init},
      [&](OpBuilder &bb, Location l, Value i, ValueRange acc) {
        idx.push_back(i);
        Value next = forEachIndex(bb, l, shape, acc[0], body, idx);
        idx.pop_back();
        scf::YieldOp::create(bb, l, next);
      });
  return loop.getResult(0);
}

Value combineScatter(OpBuilder &b, Location l, StringRef reduction, Value old,
                     Value update, bool isUnsigned) {
  if (reduction == "add")
    return createAdd(b, l, old, update);
  if (reduction == "mul")
    return createMul(b, l, old, update);
  if (reduction == "max")
    return createMax(b, l, old, update, isUnsigned);
  if (reduction == "min")
    return createMin(b, l, old, update, isUnsigned);
  return update;
}

template <typename Op> struct ScatterToLoops : OpConversionPattern<Op> {
  using OpConversionPattern<Op>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Op op, typename Op::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType data = getLowerableType(adaptor.getData().getType());
    RankedTensorType indices = getLowerableType(adaptor.getIndices().getType());
    RankedTensorType updates = getLowerableType(adaptor.getUpdates().getType());
    StringRef reduction = op.getReduction();
    if (!data || !indices || !updates ||
        (reduction != "none" && reduction != "add" && reduction != "mul" &&
         reduction != "max" && reduction != "min"))
      return notifyUnsupported(rewriter, op, "ranked shapes only");
    constexpr bool isND = std::is_same_v<Op, ONNXScatterNDOp>;
    bool isUnsigned = isUnsignedTensor(op.getData().getType());
    Value ind = adaptor.getIndices(), upd = adaptor.getUpdates();
    int64_t rank = data.getRank();
    int64_t axis = 0;
    if constexpr (!isND)
      axis = (int64_t)op.getAxis() < 0 ? (int64_t)op.getAxis() + rank
                                       : (int64_t)op.getAxis();
    if (axis < 0 || axis >= std::max<int64_t>(rank, 1) ||
        (!isND && (updates.getRank() != rank || indices.getRank() != rank)))
      return notifyUnsupported(rewriter, op,
                               "the axis or the updates' rank does not fit "
                               "the data");
    SmallVector<Value> idx, bounds, dataDims;
    for (int64_t d = 0; d < updates.getRank(); ++d)
      bounds.push_back(getDimValue(rewriter, op.getLoc(), upd, d));
    for (int64_t d = 0; d < rank; ++d)
      dataDims.push_back(
          getDimValue(rewriter, op.getLoc(), adaptor.getData(), d));
    Value result = forEachIndex(
        rewriter, op.getLoc(), bounds, adaptor.getData(),
        [&](OpBuilder &b, Location l, ArrayRef<Value> u, Value acc) -> Value {
          SmallVector<Value> target;
          if constexpr (isND) {
            // u = (i..., j...): indices[i..., :] names the first m dims.
            // updates has rank q + r - m.
            int64_t q = indices.getRank() - 1;
            int64_t m = q + rank - updates.getRank();
            SmallVector<Value> at(u.take_front(q));
            for (int64_t k = 0; k < m; ++k) {
              at.push_back(cIndex(b, l, k));
              target.push_back(wrapIndex(
                  b, l, tensor::ExtractOp::create(b, l, ind, at), dataDims[k]));
              at.pop_back();
            }
            llvm::append_range(target, u.drop_front(q));
          } else {
            target.assign(u.begin(), u.end());
            target[axis] = wrapIndex(
                b, l, tensor::ExtractOp::create(b, l, ind, u), dataDims[axis]);
          }
          Value update = tensor::ExtractOp::create(b, l, upd, u);
          Value old = tensor::ExtractOp::create(b, l, acc, target);
          Value v = combineScatter(b, l, reduction, old, update, isUnsigned);
          return tensor::InsertOp::create(b, l, v, acc, target);
        },
        idx);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateScanPatterns(RewritePatternSet &patterns) {
  patterns.add<CumulativeToGeneric<ONNXCumSumOp>,
               CumulativeToGeneric<ONNXCumProdOp>, TopKToGeneric,
               ScatterToLoops<ONNXScatterElementsOp>,
               ScatterToLoops<ONNXScatterNDOp>>(patterns.getContext());
}

} // namespace kiln::onnx_to_linalg
