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
    if (op.getAntialias() != 0)
      return notifyUnsupported(rewriter, op, "antialiasing is not lowered");
    if (!x || !result ||
        (result.hasStaticShape() && result.getNumElements() == 0) ||
        (x.hasStaticShape() && x.getNumElements() == 0) ||
        (mode != "nearest" && mode != "linear" && mode != "cubic"))
      return notifyUnsupported(rewriter, op,
                               "ranked, non-empty tensors and the modes "
                               "nearest, linear or cubic only");
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
      return notifyUnsupported(rewriter, op, "neither scales nor sizes");
    if (!llvm::is_contained({"half_pixel", "half_pixel_symmetric",
                             "pytorch_half_pixel", "align_corners",
                             "asymmetric", "tf_half_pixel_for_nn",
                             "tf_crop_and_resize"},
                            ctm))
      return notifyUnsupported(rewriter, op, "unknown coordinate mode");
    bool hasRoi = ctm == "tf_crop_and_resize";
    if (hasRoi && isNoValue(op.getRoi()))
      return notifyUnsupported(rewriter, op, "tf_crop_and_resize needs roi");
    Location loc = op.getLoc();
    F64 f{rewriter, loc};

    // Input lengths, as indices and as f64.
    Value data = adaptor.getX();
    SmallVector<Value> inIndex, inLen;
    for (int64_t d = 0; d < rank; ++d) {
      inIndex.push_back(getDimValue(rewriter, loc, data, d));
      inLen.push_back(f.fromIndex(inIndex.back()));
    }
    // Per-dim scale (1 for dims not resized), and roi start/end.
    SmallVector<Value> scale(rank, f.c(1)), roiStart(rank), roiEnd(rank);
    SmallVector<Value> sizeRatios, requested(rank);
    for (auto [j, d] : llvm::enumerate(axes)) {
      if (hasScales) {
        scale[d] = f.read(adaptor.getScales(), j);
      } else {
        requested[d] = f.read(adaptor.getSizes(), j);
        scale[d] = f.div(requested[d], inLen[d]);
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
    // Output lengths: from the result type where static; else sizes
    // (rounded by the aspect ratio policy) or floor(in * scale).
    SmallVector<Value> outIndex(rank);
    for (int64_t d = 0; d < rank; ++d) {
      if (!result.isDynamicDim(d))
        outIndex[d] = cIndex(rewriter, loc, result.getDimSize(d));
      else if (!llvm::is_contained(axes, d))
        outIndex[d] = inIndex[d];
      else if (!hasScales && policy == "stretch")
        outIndex[d] = f.toIndex(requested[d]);
      else if (!hasScales)
        outIndex[d] = f.toIndex(
            math::RoundOp::create(rewriter, loc, f.mul(scale[d], inLen[d])));
      else
        outIndex[d] = f.toIndex(f.floor(f.mul(scale[d], inLen[d])));
    }
    SmallVector<Value> outLens;
    for (Value o : outIndex)
      outLens.push_back(f.fromIndex(o));
    double cubicA = op.getCubicCoeffA().convertToDouble();
    bool exclude = op.getExcludeOutside() != 0;
    double extrapolation = op.getExtrapolationValue().convertToDouble();
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
            if (!resized[d] || x.getDimSize(d) == 1) {
              taps[d].push_back(
                  {x.getDimSize(d) == 1
                       ? (Value)arith::ConstantIndexOp::create(b, l, 0)
                       : idx[d],
                   g.c(1)});
              continue;
            }
            Value o = g.fromIndex(idx[d]), s = scale[d];
            Value lenIn = inLen[d], lenOut = outLens[d];
            Value inMinusOne = g.sub(lenIn, g.c(1));
            Value manyOut = g.cmp(arith::CmpFPredicate::OGT, lenOut, g.c(1));
            Value xo;
            if (ctm == "half_pixel") {
              xo = g.sub(g.div(g.add(o, g.c(0.5)), s), g.c(0.5));
            } else if (ctm == "half_pixel_symmetric") {
              Value adjust = g.div(lenOut, g.mul(s, lenIn));
              Value offset = g.mul(g.div(lenIn, g.c(2)), g.sub(g.c(1), adjust));
              xo = g.add(offset, g.sub(g.div(g.add(o, g.c(0.5)), s), g.c(0.5)));
            } else if (ctm == "pytorch_half_pixel") {
              xo = g.select(manyOut,
                            g.sub(g.div(g.add(o, g.c(0.5)), s), g.c(0.5)),
                            g.c(0));
            } else if (ctm == "align_corners") {
              // The resized length is scale * in, unrounded, as in ONNX's
              // reference.
              xo = g.select(
                  manyOut,
                  g.div(g.mul(o, inMinusOne), g.sub(g.mul(s, lenIn), g.c(1))),
                  g.c(0));
            } else if (ctm == "asymmetric") {
              xo = g.div(o, s);
            } else if (ctm == "tf_half_pixel_for_nn") {
              xo = g.div(g.add(o, g.c(0.5)), s);
            } else { // tf_crop_and_resize
              Value span = g.sub(roiEnd[d], roiStart[d]);
              xo =
                  g.select(manyOut,
                           g.add(g.mul(roiStart[d], inMinusOne),
                                 g.div(g.mul(g.mul(o, span), inMinusOne),
                                       g.sub(lenOut, g.c(1)))),
                           g.mul(g.mul(g.c(0.5), g.add(roiStart[d], roiEnd[d])),
                                 inMinusOne));
              Value below = g.cmp(arith::CmpFPredicate::OLT, xo, g.c(0));
              Value above = g.cmp(arith::CmpFPredicate::OGT, xo, inMinusOne);
              outside = arith::OrIOp::create(
                  b, l, outside, arith::OrIOp::create(b, l, below, above));
            }
            auto clampIndex = [&](Value i) -> Value {
              Value zero = arith::ConstantIndexOp::create(b, l, 0);
              Value last = arith::SubIOp::create(
                  b, l, inIndex[d], arith::ConstantIndexOp::create(b, l, 1));
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
                    arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, pos,
                                          inIndex[d]));
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
        },
        getDynamicSizes(rewriter, loc, result,
                        [&](int64_t d) { return outIndex[d]; }));
    rewriter.replaceOp(op, out);
    return success();
  }
};

} // namespace

void populateResizePatterns(RewritePatternSet &patterns) {
  patterns.add<ResizeToGeneric>(patterns.getContext());
}

} // namespace kiln::onnx_to_linalg
