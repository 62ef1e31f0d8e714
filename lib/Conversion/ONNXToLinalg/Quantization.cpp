//===- Quantization.cpp - QuantizeLinear and DequantizeLinear to linalg ---===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// ONNX's linear (de)quantization, per tensor, per axis or blocked, into
// integers of 2 to 32 bits or float8/float4, with ONNX's integer semantics:
// x / scale rounds half to even, adds the zero point and saturates.
//
//===----------------------------------------------------------------------===//

#include "PopulatePatterns.h"
#include "Utils.h"

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace kiln::onnx;

namespace kiln::onnx_to_linalg {
namespace {

/// The indexing map of a scale or zero point against `x`: a scalar (or a
/// single element) per tensor, a 1-D tensor along `axis`, or a tensor of
/// x's rank whose dim `axis` counts blocks of `blockSize`.
FailureOr<AffineMap> getParamMap(OpBuilder &b, RankedTensorType x,
                                 RankedTensorType param, int64_t axis,
                                 int64_t blockSize) {
  int64_t rank = x.getRank();
  MLIRContext *ctx = b.getContext();
  if (param.getRank() == 0)
    return AffineMap::get(rank, 0, {}, ctx);
  if (param.getRank() == 1 && blockSize == 0) {
    if (param.getDimSize(0) == 1 && (rank == 0 || x.getDimSize(axis) != 1))
      return AffineMap::get(rank, 0, {b.getAffineConstantExpr(0)}, ctx);
    // Per axis: the axis must exist (the caller spreads a parameter of
    // unknown length to the axis' length first).
    if (rank == 0 || axis < 0 || axis >= rank)
      return failure();
    return AffineMap::get(rank, 0, {b.getAffineDimExpr(axis)}, ctx);
  }
  if (param.getRank() != rank || blockSize <= 0 || axis < 0 || axis >= rank)
    return failure();
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < rank; ++d)
    exprs.push_back(d == axis ? b.getAffineDimExpr(d).floorDiv(blockSize)
                              : b.getAffineDimExpr(d));
  return AffineMap::get(rank, 0, exprs, ctx);
}

/// The operands shared by both ops: x, scale and the optional zero point
/// with their indexing maps, and the result's empty tensor.
struct QuantOperands {
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  bool hasZeroPoint = false;
  Value init;
};

template <typename Op>
FailureOr<QuantOperands> getQuantOperands(Op op, Value x, Value scale,
                                          Value zeroPoint,
                                          ConversionPatternRewriter &b) {
  auto xType = dyn_cast<RankedTensorType>(x.getType());
  auto scaleType = dyn_cast<RankedTensorType>(scale.getType());
  RankedTensorType result = getLowerableType(op.getType());
  if (!xType || !scaleType || !result)
    return notifyUnsupported(b, op, "unranked input, scale or result");
  int64_t rank = xType.getRank();
  int64_t axis = rank ? wrapAxis((int64_t)op.getAxis(), rank) : 0;
  int64_t block = (int64_t)op.getBlockSize();
  FailureOr<AffineMap> scaleMap = getParamMap(b, xType, scaleType, axis, block);
  if (failed(scaleMap))
    return notifyUnsupported(b, op,
                             "the scale's shape fits neither per-tensor, "
                             "per-axis nor blocked quantization");
  // A 1-D parameter of unknown length is per tensor (length 1) or per axis
  // (the axis' length), known only at run time: it is first spread to the
  // axis' length, reading element 0 when it has one.
  Location loc = op.getLoc();
  auto spread = [&](Value param, RankedTensorType type) -> Value {
    if (type.getRank() != 1 || !type.isDynamicDim(0) || block != 0)
      return param;
    Value len = getDimValue(b, loc, param, 0);
    Value axisLen = getDimValue(b, loc, x, axis);
    Value one = cIndex(b, loc, 1);
    Value single =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, len, one);
    requireShape(
        b, loc,
        arith::OrIOp::create(b, loc, single,
                             arith::CmpIOp::create(b, loc,
                                                   arith::CmpIPredicate::eq,
                                                   len, axisLen)),
        "the scale or zero point has neither 1 element nor the axis' length");
    return buildFromIndices(
        b, loc, type,
        [&](OpBuilder &nb, Location l, ArrayRef<Value> idx) -> Value {
          Value i =
              arith::SelectOp::create(nb, l, single, cIndex(nb, l, 0), idx[0]);
          return tensor::ExtractOp::create(nb, l, param, ValueRange{i});
        },
        ValueRange{axisLen});
  };
  scale = spread(scale, scaleType);
  QuantOperands q;
  q.inputs = {x, scale};
  q.maps = {b.getMultiDimIdentityMap(rank), *scaleMap};
  if (!isa<NoneType>(zeroPoint.getType())) {
    auto zpType = dyn_cast<RankedTensorType>(zeroPoint.getType());
    if (!zpType)
      return notifyUnsupported(b, op, "unranked zero point");
    FailureOr<AffineMap> zpMap = getParamMap(b, xType, zpType, axis, block);
    if (failed(zpMap))
      return notifyUnsupported(b, op,
                               "the zero point's shape fits neither "
                               "per-tensor, per-axis nor blocked quantization");
    q.inputs.push_back(spread(zeroPoint, zpType));
    q.maps.push_back(*zpMap);
    q.hasZeroPoint = true;
  }
  q.maps.push_back(b.getMultiDimIdentityMap(rank));
  q.init = tensor::EmptyOp::create(
      b, op.getLoc(), result.getShape(), result.getElementType(),
      getDynamicSizes(b, op.getLoc(), result, [&](int64_t d) {
        return getDimValue(b, op.getLoc(), x, d);
      }));
  return q;
}

/// QuantizeLinear: x / scale in f32, then for integers round half to even,
/// add the zero point and clamp to the type's range; for float8/float4 add
/// the zero point, clamp when saturating, and round by the conversion.
struct QuantizeToLinalg : OpConversionPattern<ONNXQuantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXQuantizeLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<QuantOperands> q =
        getQuantOperands(op, adaptor.getX(), adaptor.getYScale(),
                         adaptor.getYZeroPoint(), rewriter);
    if (failed(q))
      return notifyUnsupported(rewriter, op, "scale or zero point layout");
    Type outElt = cast<RankedTensorType>(q->init.getType()).getElementType();
    bool outUnsigned = isUnsignedTensor(op.getType());
    bool zpUnsigned = isUnsignedTensor(op.getYZeroPoint().getType());
    bool saturate = op.getSaturate() != 0;
    auto rank = cast<RankedTensorType>(q->init.getType()).getRank();
    Value y =
        linalg::GenericOp::create(
            rewriter, op.getLoc(), q->init.getType(), q->inputs, q->init,
            q->maps,
            SmallVector<utils::IteratorType>(rank,
                                             utils::IteratorType::parallel),
            [&](OpBuilder &b, Location l, ValueRange a) {
              auto c = [&](double v) -> Value {
                return arith::ConstantOp::create(b, l, b.getF32FloatAttr(v));
              };
              Value v = arith::DivFOp::create(b, l, toF32(b, l, a[0]),
                                              toF32(b, l, a[1]));
              Value zp =
                  q->hasZeroPoint ? toF32(b, l, a[2], zpUnsigned) : c(0.0);
              if (auto ft = dyn_cast<FloatType>(outElt)) {
                v = arith::AddFOp::create(b, l, v, zp);
                if (saturate && ft.getWidth() == 8) {
                  double largest =
                      llvm::APFloat::getLargest(ft.getFloatSemantics())
                          .convertToDouble();
                  v = arith::MinimumFOp::create(
                      b, l, arith::MaximumFOp::create(b, l, v, c(-largest)),
                      c(largest));
                }
                yieldValue(b, l, arith::TruncFOp::create(b, l, outElt, v));
                return;
              }
              unsigned width = outElt.getIntOrFloatBitWidth();
              double lo = outUnsigned ? 0.0 : -std::ldexp(1.0, width - 1);
              double hi = outUnsigned ? std::ldexp(1.0, width) - 1
                                      : std::ldexp(1.0, width - 1) - 1;
              v = arith::AddFOp::create(b, l,
                                        math::RoundEvenOp::create(b, l, v), zp);
              // Clamp (NaN becomes the low end, as fptosi would not define).
              v = arith::MinimumFOp::create(
                  b, l, arith::MaximumFOp::create(b, l, v, c(lo)), c(hi));
              Value isNaN =
                  arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, v, v);
              v = arith::SelectOp::create(b, l, isNaN, c(0.0), v);
              Type wide = b.getI64Type();
              Value i = arith::FPToSIOp::create(b, l, wide, v);
              yieldValue(b, l, arith::TruncIOp::create(b, l, outElt, i));
            })
            .getResult(0);
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// DequantizeLinear: (x - zero point) * scale in f32, in the result type.
struct DequantizeToLinalg : OpConversionPattern<ONNXDequantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXDequantizeLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<QuantOperands> q =
        getQuantOperands(op, adaptor.getX(), adaptor.getXScale(),
                         adaptor.getXZeroPoint(), rewriter);
    if (failed(q))
      return notifyUnsupported(rewriter, op, "scale or zero point layout");
    auto outType = cast<RankedTensorType>(q->init.getType());
    auto outElt = dyn_cast<FloatType>(outType.getElementType());
    if (!outElt)
      return notifyUnsupported(rewriter, op, "float result");
    bool xUnsigned = isUnsignedTensor(op.getX().getType());
    Value y = linalg::GenericOp::create(
                  rewriter, op.getLoc(), outType, q->inputs, q->init, q->maps,
                  SmallVector<utils::IteratorType>(
                      outType.getRank(), utils::IteratorType::parallel),
                  [&](OpBuilder &b, Location l, ValueRange a) {
                    Value v = toF32(b, l, a[0], xUnsigned);
                    if (q->hasZeroPoint)
                      v = arith::SubFOp::create(b, l, v,
                                                toF32(b, l, a[2], xUnsigned));
                    v = arith::MulFOp::create(b, l, v, toF32(b, l, a[1]));
                    yieldValue(b, l, castFloat(b, l, v, outElt));
                  })
                  .getResult(0);
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void populateQuantizationPatterns(RewritePatternSet &patterns) {
  patterns.add<QuantizeToLinalg, DequantizeToLinalg>(patterns.getContext());
}

} // namespace kiln::onnx_to_linalg
