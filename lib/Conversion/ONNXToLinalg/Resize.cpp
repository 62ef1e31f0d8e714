//===- Resize.cpp - Resize to linalg --------------------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Resize (nearest, linear, cubic; every coordinate transformation mode;
// exclude_outside; tf_crop_and_resize with extrapolation) as a generic over
// the static result. Scales, sizes and roi may be run-time inputs: each
// resized dim's scale is computed once, then every output element maps its
// index back to a source coordinate and sums its neighbours (1, 2 or 4 per
// dim, edge-clamped) with separable weights, in f64 as ONNX's reference
// does. Antialiasing is not supported.
//
//===----------------------------------------------------------------------===//

#include "PopulatePatterns.h"

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace kiln::onnx;

namespace kiln::onnx_to_linalg {
namespace {

/// f64 arithmetic in a builder.
struct F64 {
  OpBuilder &b;
  Location l;
  Value c(double v) {
    return arith::ConstantOp::create(b, l, b.getF64FloatAttr(v));
  }
  Value add(Value x, Value y) { return arith::AddFOp::create(b, l, x, y); }
  Value sub(Value x, Value y) { return arith::SubFOp::create(b, l, x, y); }
  Value mul(Value x, Value y) { return arith::MulFOp::create(b, l, x, y); }
  Value div(Value x, Value y) { return arith::DivFOp::create(b, l, x, y); }
  Value floor(Value x) { return math::FloorOp::create(b, l, x); }
  Value cmp(arith::CmpFPredicate p, Value x, Value y) {
    return arith::CmpFOp::create(b, l, p, x, y);
  }
  Value select(Value cond, Value x, Value y) {
    return arith::SelectOp::create(b, l, cond, x, y);
  }
  Value fromIndex(Value i) {
    Value i64 = arith::IndexCastOp::create(b, l, b.getI64Type(), i);
    return arith::SIToFPOp::create(b, l, b.getF64Type(), i64);
  }
  Value toIndex(Value x) {
    Value i64 = arith::FPToSIOp::create(b, l, b.getI64Type(), x);
    return arith::IndexCastOp::create(b, l, b.getIndexType(), i64);
  }
  Value read(Value tensor, int64_t i) {
    Value v = tensor::ExtractOp::create(
        b, l, tensor, ValueRange{arith::ConstantIndexOp::create(b, l, i)});
    if (isa<IntegerType>(v.getType()))
      return arith::SIToFPOp::create(b, l, b.getF64Type(), v);
    return v.getType().isF64()
               ? v
               : (Value)arith::ExtFOp::create(b, l, b.getF64Type(), v);
  }
};

/// The cubic convolution weights of the 4 neighbours floor(x)-1 .. +2.
SmallVector<Value> cubicWeights(F64 &f, Value r, double a) {
  auto outer = [&](Value t) { // |t| in [1, 2)
    return f.sub(
        f.mul(f.add(f.mul(f.sub(f.mul(f.c(a), t), f.c(5 * a)), t), f.c(8 * a)),
              t),
        f.c(4 * a));
  };
  auto inner = [&](Value t) { // |t| in [0, 1)
    return f.add(f.mul(f.mul(f.sub(f.mul(f.c(a + 2), t), f.c(a + 3)), t), t),
                 f.c(1));
  };
  Value oneMinus = f.sub(f.c(1), r);
  return {outer(f.add(r, f.c(1))), inner(r), inner(oneMinus),
          outer(f.add(oneMinus, f.c(1)))};
}

struct ResizeToGeneric : OpConversionPattern<ONNXResizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXResizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType x = getLowerableType(adaptor.getX().getType());
    RankedTensorType result = getLowerableType(op.getType());
    StringRef mode = op.getMode(), ctm = op.getCoordinateTransformationMode();
    StringRef nearest = op.getNearestMode();
    StringRef policy = op.getKeepAspectRatioPolicy();
    if (!x || !result || !x.hasStaticShape() || !result.hasStaticShape() ||
        result.getNumElements() == 0 || x.getNumElements() == 0 ||
        op.getAntialias() != 0 ||
        (mode != "nearest" && mode != "linear" && mode != "cubic"))
      return rewriter.notifyMatchFailure(op, "static, no antialias");
    int64_t rank = x.getRank();
    SmallVector<int64_t> axes;
    if (op.getAxes())
      for (int64_t a : getI64s(*op.getAxes()))
        axes.push_back(wrapAxis(a, rank));
    else
      for (int64_t d = 0; d < rank; ++d)
        axes.push_back(d);
    bool hasScales =
        !isNoValue(op.getScales()) &&
        cast<RankedTensorType>(op.getScales().getType()).getNumElements() != 0;
    bool hasSizes = !isNoValue(op.getSizes());
    if (!hasScales && !hasSizes)
      return rewriter.notifyMatchFailure(op, "neither scales nor sizes");
    if (!llvm::is_contained({"half_pixel", "half_pixel_symmetric",
                             "pytorch_half_pixel", "align_corners",
                             "asymmetric", "tf_half_pixel_for_nn",
                             "tf_crop_and_resize"},
                            ctm))
      return rewriter.notifyMatchFailure(op, "unknown coordinate mode");
    bool hasRoi = ctm == "tf_crop_and_resize";
    if (hasRoi && isNoValue(op.getRoi()))
      return rewriter.notifyMatchFailure(op, "tf_crop_and_resize needs roi");
    Location loc = op.getLoc();
    F64 f{rewriter, loc};

    // Per-dim scale (1 for dims not resized), and roi start/end.
    SmallVector<Value> scale(rank, f.c(1)), roiStart(rank), roiEnd(rank);
    SmallVector<Value> sizeRatios;
    for (auto [j, d] : llvm::enumerate(axes)) {
      if (hasScales) {
        scale[d] = f.read(adaptor.getScales(), j);
      } else {
        scale[d] =
            f.div(f.read(adaptor.getSizes(), j), f.c((double)x.getDimSize(d)));
        sizeRatios.push_back(scale[d]);
      }
      if (hasRoi) {
        roiStart[d] = f.read(adaptor.getRoi(), j);
        roiEnd[d] = f.read(adaptor.getRoi(), j + axes.size());
      }
    }
    if (!hasScales && policy != "stretch") {
      Value s = sizeRatios[0];
      for (Value r : ArrayRef<Value>(sizeRatios).drop_front())
        s = policy == "not_larger"
                ? (Value)arith::MinimumFOp::create(rewriter, loc, s, r)
                : (Value)arith::MaximumFOp::create(rewriter, loc, s, r);
      for (int64_t d : axes)
        scale[d] = s;
    }
    double cubicA = op.getCubicCoeffA().convertToDouble();
    bool exclude = op.getExcludeOutside() != 0;
    double extrapolation = op.getExtrapolationValue().convertToDouble();
    Value data = adaptor.getX();
    Type elt = result.getElementType();
    SmallVector<bool> resized(rank, false);
    for (int64_t d : axes)
      resized[d] = true;

    Value out = buildFromIndices(
        rewriter, loc, result,
        [&](OpBuilder &b, Location l, ArrayRef<Value> idx) -> Value {
          F64 g{b, l};
          Value outside = arith::ConstantOp::create(b, l, b.getBoolAttr(false));
          // (index, weight) pairs per dim.
          SmallVector<SmallVector<std::pair<Value, Value>>> taps(rank);
          for (int64_t d = 0; d < rank; ++d) {
            int64_t in = x.getDimSize(d), outLen = result.getDimSize(d);
            if (!resized[d] || in == 1) {
              taps[d].push_back(
                  {in == 1 ? (Value)arith::ConstantIndexOp::create(b, l, 0)
                           : idx[d],
                   g.c(1)});
              continue;
            }
            Value o = g.fromIndex(idx[d]), s = scale[d];
            Value lenIn = g.c((double)in), lenOut = g.c((double)outLen);
            Value xo;
            if (ctm == "half_pixel") {
              xo = g.sub(g.div(g.add(o, g.c(0.5)), s), g.c(0.5));
            } else if (ctm == "half_pixel_symmetric") {
              Value adjust = g.div(lenOut, g.mul(s, lenIn));
              Value offset = g.mul(g.c(in / 2.0), g.sub(g.c(1), adjust));
              xo = g.add(offset, g.sub(g.div(g.add(o, g.c(0.5)), s), g.c(0.5)));
            } else if (ctm == "pytorch_half_pixel") {
              xo = outLen > 1 ? g.sub(g.div(g.add(o, g.c(0.5)), s), g.c(0.5))
                              : g.c(0);
            } else if (ctm == "align_corners") {
              // The resized length is scale * in, unrounded, as in ONNX's
              // reference.
              xo = outLen == 1 ? g.c(0)
                               : g.div(g.mul(o, g.c(in - 1.0)),
                                       g.sub(g.mul(s, lenIn), g.c(1)));
            } else if (ctm == "asymmetric") {
              xo = g.div(o, s);
            } else if (ctm == "tf_half_pixel_for_nn") {
              xo = g.div(g.add(o, g.c(0.5)), s);
            } else { // tf_crop_and_resize
              Value span = g.sub(roiEnd[d], roiStart[d]);
              xo = outLen > 1
                       ? g.add(g.mul(roiStart[d], g.c(in - 1.0)),
                               g.div(g.mul(g.mul(o, span), g.c(in - 1.0)),
                                     g.c(outLen - 1.0)))
                       : g.mul(g.mul(g.c(0.5), g.add(roiStart[d], roiEnd[d])),
                               g.c(in - 1.0));
              Value below = g.cmp(arith::CmpFPredicate::OLT, xo, g.c(0));
              Value above = g.cmp(arith::CmpFPredicate::OGT, xo, g.c(in - 1.0));
              outside = arith::OrIOp::create(
                  b, l, outside, arith::OrIOp::create(b, l, below, above));
            }
            auto clampIndex = [&](Value i) -> Value {
              Value zero = arith::ConstantIndexOp::create(b, l, 0);
              Value last = arith::ConstantIndexOp::create(b, l, in - 1);
              return arith::MinSIOp::create(
                  b, l, arith::MaxSIOp::create(b, l, i, zero), last);
            };
            if (mode == "nearest") {
              Value fl = g.floor(xo), frac = g.sub(xo, fl);
              Value pick;
              if (nearest == "floor") {
                pick = fl;
              } else if (nearest == "ceil") {
                pick = math::CeilOp::create(b, l, xo);
              } else {
                Value half = g.c(0.5);
                Value up = nearest == "round_prefer_ceil"
                               ? g.cmp(arith::CmpFPredicate::OGE, frac, half)
                               : g.cmp(arith::CmpFPredicate::OGT, frac, half);
                pick = g.select(up, g.add(fl, g.c(1)), fl);
              }
              taps[d].push_back({clampIndex(g.toIndex(pick)), g.c(1)});
              continue;
            }
            Value fl = g.floor(xo), r = g.sub(xo, fl);
            Value base = g.toIndex(fl);
            SmallVector<Value> weights;
            int64_t first;
            if (mode == "linear") {
              weights = {g.sub(g.c(1), r), r};
              first = 0;
            } else {
              weights = cubicWeights(g, r, cubicA);
              first = -1;
            }
            SmallVector<Value> positions;
            for (int64_t k = 0; k < (int64_t)weights.size(); ++k)
              positions.push_back(arith::AddIOp::create(
                  b, l, base, arith::ConstantIndexOp::create(b, l, first + k)));
            if (exclude) {
              // Neighbours outside the input weigh 0; the rest renormalize.
              Value total = g.c(0);
              for (auto [k, pos] : llvm::enumerate(positions)) {
                Value inside = arith::AndIOp::create(
                    b, l,
                    arith::CmpIOp::create(
                        b, l, arith::CmpIPredicate::sge, pos,
                        arith::ConstantIndexOp::create(b, l, 0)),
                    arith::CmpIOp::create(
                        b, l, arith::CmpIPredicate::slt, pos,
                        arith::ConstantIndexOp::create(b, l, in)));
                weights[k] = g.select(inside, weights[k], g.c(0));
                total = g.add(total, weights[k]);
              }
              for (Value &w : weights)
                w = g.div(w, total);
            }
            for (auto [pos, w] : llvm::zip(positions, weights))
              taps[d].push_back({clampIndex(pos), w});
          }
          // Sum over every combination of taps.
          Value sum = g.c(0);
          SmallVector<size_t> pick(rank, 0);
          while (true) {
            SmallVector<Value> at;
            Value w = g.c(1);
            for (int64_t d = 0; d < rank; ++d) {
              at.push_back(taps[d][pick[d]].first);
              w = g.mul(w, taps[d][pick[d]].second);
            }
            Value v = tensor::ExtractOp::create(b, l, data, at);
            Value v64 = isa<FloatType>(elt)
                            ? (elt.isF64() ? v
                                           : (Value)arith::ExtFOp::create(
                                                 b, l, b.getF64Type(), v))
                            : (isUnsignedTensor(op.getX().getType())
                                   ? (Value)arith::UIToFPOp::create(
                                         b, l, b.getF64Type(), v)
                                   : (Value)arith::SIToFPOp::create(
                                         b, l, b.getF64Type(), v));
            sum = g.add(sum, g.mul(w, v64));
            int64_t d = rank - 1;
            while (d >= 0 && ++pick[d] == taps[d].size())
              pick[d--] = 0;
            if (d < 0)
              break;
          }
          sum = g.select(outside, g.c(extrapolation), sum);
          if (elt.isF64())
            return sum;
          if (isa<FloatType>(elt))
            return arith::TruncFOp::create(b, l, elt, sum);
          Value rounded = math::RoundEvenOp::create(b, l, sum);
          return isUnsignedTensor(op.getType())
                     ? (Value)arith::FPToUIOp::create(b, l, elt, rounded)
                     : (Value)arith::FPToSIOp::create(b, l, elt, rounded);
        });
    rewriter.replaceOp(op, out);
    return success();
  }
};

} // namespace

void populateResizePatterns(RewritePatternSet &patterns) {
  patterns.add<ResizeToGeneric>(patterns.getContext());
}

} // namespace kiln::onnx_to_linalg
