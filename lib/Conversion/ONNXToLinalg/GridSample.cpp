//===- GridSample.cpp - GridSample to linalg ------------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// GridSample over any number of spatial dims: each output element reads the
// grid's normalized point, maps it to input coordinates (align_corners or
// not), applies the padding mode to the coordinate (border clamps,
// reflection mirrors), and interpolates with nearest (round half to even),
// linear (2^r taps) or cubic (4^r taps, Keys with a = -0.75) weights;
// taps outside the input read zeros, the border, or their reflection.
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

enum class Interpolation { Nearest, Linear, Cubic };
enum class Padding { Zeros, Border, Reflection };

/// f32 scalar arithmetic for the sampler.
struct F32 {
  OpBuilder &b;
  Location loc;
  Value c(double v) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
  }
  Value add(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return arith::DivFOp::create(b, loc, x, y); }
  Value lt(Value x, Value y) {
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, y);
  }
  Value select(Value cond, Value x, Value y) {
    return arith::SelectOp::create(b, loc, cond, x, y);
  }
  Value clamp(Value x, Value lo, Value hi) {
    return arith::MinimumFOp::create(
        b, loc, arith::MaximumFOp::create(b, loc, x, lo), hi);
  }
  Value floor(Value x) { return math::FloorOp::create(b, loc, x); }
  Value fromIndex(Value i) {
    return arith::SIToFPOp::create(
        b, loc, b.getF32Type(),
        arith::IndexCastOp::create(b, loc, b.getI64Type(), i));
  }
  /// Mirrors x into [lo, hi] by the nearer border, repeatedly.
  Value reflect(Value x, Value lo, Value hi) {
    Value range = sub(hi, lo);
    Value below = lt(x, lo), above = lt(hi, x);
    Value dx = select(below, sub(lo, x), sub(x, hi));
    Value n = floor(div(dx, range));
    Value r = sub(dx, mul(n, range));
    Value parity = arith::AndIOp::create(
        b, loc, arith::FPToSIOp::create(b, loc, b.getI64Type(), n),
        arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(1)));
    Value even = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::eq, parity,
        arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(0)));
    Value fromLo = add(lo, r), fromHi = sub(hi, r);
    Value reflected = select(below, select(even, fromLo, fromHi),
                             select(even, fromHi, fromLo));
    Value outside = arith::OrIOp::create(b, loc, below, above);
    // An empty range (one element with align_corners) is its one point.
    Value empty =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, range, c(0.0));
    return select(outside, select(empty, lo, reflected), x);
  }
};

/// Keys cubic convolution weights (a = -0.75) of taps -1, 0, 1, 2 for a
/// fractional offset t in [0, 1).
SmallVector<Value> cubicWeights(F32 &f, Value t) {
  const double a = -0.75;
  auto far = [&](Value s) { // |s| in [1, 2)
    return f.sub(
        f.mul(f.add(f.mul(f.sub(f.mul(f.c(a), s), f.c(5 * a)), s), f.c(8 * a)),
              s),
        f.c(4 * a));
  };
  auto near = [&](Value s) { // |s| in [0, 1)
    return f.add(f.mul(f.mul(f.sub(f.mul(f.c(a + 2), s), f.c(a + 3)), s), s),
                 f.c(1));
  };
  Value one = f.c(1.0), two = f.c(2.0);
  return {far(f.add(t, one)), near(t), near(f.sub(one, t)), far(f.sub(two, t))};
}

struct GridSampleToGeneric : OpConversionPattern<ONNXGridSampleOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXGridSampleOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType result = getLowerableType(op.getType());
    Value input = adaptor.getX(), grid = adaptor.getGrid();
    auto xType = dyn_cast<RankedTensorType>(input.getType());
    auto gridType = dyn_cast<RankedTensorType>(grid.getType());
    if (!result || !xType || !gridType || xType.getRank() < 3 ||
        gridType.getRank() != xType.getRank())
      return notifyUnsupported(rewriter, op, "ranked (N, C, spatial...)");
    StringRef modeName = op.getMode(), padName = op.getPaddingMode();
    Interpolation mode;
    if (modeName == "nearest")
      mode = Interpolation::Nearest;
    else if (modeName == "linear" || modeName == "bilinear")
      mode = Interpolation::Linear;
    else if (modeName == "cubic" || modeName == "bicubic")
      mode = Interpolation::Cubic;
    else
      return notifyUnsupported(rewriter, op, "unknown mode");
    Padding padding;
    if (padName == "zeros")
      padding = Padding::Zeros;
    else if (padName == "border")
      padding = Padding::Border;
    else if (padName == "reflection")
      padding = Padding::Reflection;
    else
      return notifyUnsupported(rewriter, op, "unknown padding_mode");
    int64_t r = xType.getRank() - 2;
    int64_t taps = mode == Interpolation::Cubic ? 4 : 2;
    if (mode != Interpolation::Nearest && std::pow(taps, r) > 4096)
      return notifyUnsupported(rewriter, op, "too many spatial dims");
    bool align = op.getAlignCorners() != 0;
    Location loc = op.getLoc();
    if (gridType.isDynamicDim(r + 1))
      requireShape(
          rewriter, loc,
          arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq,
                                getDimValue(rewriter, loc, grid, r + 1),
                                cIndex(rewriter, loc, r)),
          "the grid's last dim must be the number of spatial dims");
    else if (gridType.getDimSize(r + 1) != r)
      return notifyUnsupported(rewriter, op, "grid's last dim");
    Type elt = result.getElementType();
    SmallVector<Value> dims;
    for (int64_t i = 0; i < r; ++i)
      dims.push_back(getDimValue(rewriter, loc, input, 2 + i));
    Value y = buildFromIndices(
        rewriter, loc, result,
        [&](OpBuilder &b, Location l, ArrayRef<Value> idx) -> Value {
          F32 f{b, l};
          SmallVector<Value> lens, los, his, coords;
          for (int64_t i = 0; i < r; ++i) {
            // grid[n, out spatial..., k] holds the coordinate of input
            // spatial dim r - 1 - k (x first).
            SmallVector<Value> at = {idx[0]};
            at.append(idx.begin() + 2, idx.end());
            at.push_back(cIndex(b, l, r - 1 - i));
            Value g = toF32(b, l, tensor::ExtractOp::create(b, l, grid, at));
            Value len = f.fromIndex(dims[i]);
            Value one = f.c(1.0);
            Value x =
                align ? f.mul(f.div(f.add(g, one), f.c(2.0)), f.sub(len, one))
                      : f.div(f.sub(f.mul(f.add(g, one), len), one), f.c(2.0));
            if (mode == Interpolation::Nearest)
              x = math::RoundEvenOp::create(b, l, x);
            Value lo = align ? f.c(0.0) : f.c(-0.5);
            Value hi = align ? f.sub(len, one) : f.sub(len, f.c(0.5));
            if (padding == Padding::Border)
              x = f.select(arith::OrIOp::create(b, l, f.lt(x, lo), f.lt(hi, x)),
                           f.clamp(x, f.c(0.0), f.sub(len, one)), x);
            else if (padding == Padding::Reflection)
              x = f.reflect(x, lo, hi);
            lens.push_back(len);
            los.push_back(lo);
            his.push_back(hi);
            coords.push_back(x);
          }
          // The input at integer coordinates (f32), with the padding mode
          // for those outside.
          auto fetch = [&](ArrayRef<Value> at) -> Value {
            SmallVector<Value> index = {idx[0], idx[1]};
            Value inside = arith::ConstantOp::create(b, l, b.getBoolAttr(true));
            for (int64_t i = 0; i < r; ++i) {
              Value v = at[i];
              Value last = f.sub(lens[i], f.c(1.0));
              if (padding == Padding::Zeros)
                inside = arith::AndIOp::create(
                    b, l, inside,
                    arith::AndIOp::create(
                        b, l,
                        arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE,
                                              v, f.c(0.0)),
                        arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLE,
                                              v, last)));
              else if (padding == Padding::Reflection)
                v = math::TruncOp::create(b, l, f.reflect(v, los[i], his[i]));
              v = f.clamp(v, f.c(0.0), last);
              index.push_back(arith::IndexCastOp::create(
                  b, l, b.getIndexType(),
                  arith::FPToSIOp::create(b, l, b.getI64Type(), v)));
            }
            Value value =
                toF32(b, l, tensor::ExtractOp::create(b, l, input, index));
            return padding == Padding::Zeros ? f.select(inside, value, f.c(0.0))
                                             : value;
          };
          Value sum;
          if (mode == Interpolation::Nearest) {
            SmallVector<Value> at;
            for (Value x : coords)
              at.push_back(math::TruncOp::create(b, l, x));
            sum = fetch(at);
          } else {
            // Tap k of dim i sits at floor(x) - (taps/2 - 1) + k.
            SmallVector<Value> base;
            SmallVector<SmallVector<Value>> weights;
            for (Value x : coords) {
              Value x0 = f.floor(x), t = f.sub(x, x0);
              base.push_back(f.sub(x0, f.c(taps / 2 - 1)));
              if (mode == Interpolation::Linear)
                weights.push_back({f.sub(f.c(1.0), t), t});
              else
                weights.push_back(cubicWeights(f, t));
            }
            sum = f.c(0.0);
            int64_t count = 1;
            for (int64_t i = 0; i < r; ++i)
              count *= taps;
            for (int64_t tap = 0; tap < count; ++tap) {
              SmallVector<Value> at;
              Value w = f.c(1.0);
              int64_t rest = tap;
              for (int64_t i = r - 1; i >= 0; --i) {
                int64_t k = rest % taps;
                rest /= taps;
                w = f.mul(w, weights[i][k]);
                at.insert(at.begin(), f.add(base[i], f.c((double)k)));
              }
              sum = f.add(sum, f.mul(w, fetch(at)));
            }
          }
          return castFloat(b, l, sum, cast<FloatType>(elt));
        },
        getDynamicSizes(rewriter, loc, result, [&](int64_t d) -> Value {
          return d < 2 ? getDimValue(rewriter, loc, input, d)
                       : getDimValue(rewriter, loc, grid, d - 1);
        }));
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// AffineGrid: out[n, s..., k] = theta[n, k, :r] . base(s) + theta[n, k, r],
/// where base(s) holds the normalized coordinates of s, x (the last spatial
/// dim) first.
struct AffineGridToGeneric : OpConversionPattern<ONNXAffineGridOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXAffineGridOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType result = getLowerableType(op.getType());
    Value theta = adaptor.getTheta();
    if (!result || result.getRank() < 3 ||
        !isa<RankedTensorType>(theta.getType()))
      return notifyUnsupported(rewriter, op, "ranked theta and grid");
    int64_t r = result.getRank() - 2;
    auto thetaType = cast<RankedTensorType>(theta.getType());
    if (thetaType.getRank() != 3 || thetaType.getDimSize(1) != r ||
        thetaType.getDimSize(2) != r + 1)
      return notifyUnsupported(rewriter, op, "theta of (N, r, r + 1)");
    Location loc = op.getLoc();
    bool align = op.getAlignCorners() != 0;
    SmallVector<Value> size = readIndexElements(rewriter, loc, op.getSize(),
                                                adaptor.getSize(), r + 2);
    // The grid's dims: N, then the spatial sizes (checked when declared).
    SmallVector<Value> dims = {size[0]};
    dims.append(size.begin() + 2, size.end());
    for (int64_t d = 0; d <= r; ++d)
      if (!result.isDynamicDim(d))
        requireShape(
            rewriter, loc,
            arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq,
                                  dims[d],
                                  cIndex(rewriter, loc, result.getDimSize(d))),
            "size does not give dim " + Twine(d) + " of the declared grid");
    Type elt = result.getElementType();
    Value y = buildFromIndices(
        rewriter, loc, result,
        [&](OpBuilder &b, Location l, ArrayRef<Value> idx) -> Value {
          F32 f{b, l};
          Value k = idx[r + 1];
          Value sum =
              toF32(b, l,
                    tensor::ExtractOp::create(
                        b, l, theta, ValueRange{idx[0], k, cIndex(b, l, r)}));
          for (int64_t j = 0; j < r; ++j) {
            // Coordinate j runs along spatial dim r - 1 - j.
            int64_t d = r - 1 - j;
            Value i = f.fromIndex(idx[1 + d]);
            Value len = f.fromIndex(dims[1 + d]);
            Value one = f.c(1.0), two = f.c(2.0);
            Value coord =
                align ? f.sub(f.div(f.mul(two, i), f.sub(len, one)), one)
                      : f.sub(f.div(f.add(f.mul(two, i), one), len), one);
            Value t =
                toF32(b, l,
                      tensor::ExtractOp::create(
                          b, l, theta, ValueRange{idx[0], k, cIndex(b, l, j)}));
            sum = f.add(sum, f.mul(t, coord));
          }
          return castFloat(b, l, sum, cast<FloatType>(elt));
        },
        getDynamicSizes(rewriter, loc, result, [&](int64_t d) -> Value {
          return d <= r ? dims[d] : cIndex(rewriter, loc, r);
        }));
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void populateGridSamplePatterns(RewritePatternSet &patterns) {
  patterns.add<GridSampleToGeneric, AffineGridToGeneric>(patterns.getContext());
}

} // namespace kiln::onnx_to_linalg
