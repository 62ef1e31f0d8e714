//===- Pooling.cpp - MaxPool and GlobalAveragePool to linalg --------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "PopulatePatterns.h"
#include "Utils.h"

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

using namespace mlir;
using namespace kiln::onnx;

namespace kiln::onnx_to_linalg {
namespace {

bool hasStaticSpatialDims(RankedTensorType type) {
  return llvm::none_of(type.getShape().drop_front(2), ShapedType::isDynamic);
}

/// The dynamic sizes of a pool result: its batch and channel dims, read
/// from the input.
SmallVector<Value> getBatchChannelSizes(OpBuilder &b, Location loc, Value x,
                                        RankedTensorType result) {
  SmallVector<Value> sizes;
  for (int64_t d = 0; d < 2; ++d)
    if (result.isDynamicDim(d))
      sizes.push_back(tensor::DimOp::create(b, loc, x, d));
  return sizes;
}

/// The dynamic sizes of a pool result: batch and channel from the input,
/// spatial dims from the window.
SmallVector<Value> getPoolSizes(OpBuilder &b, Location loc, Value x,
                                RankedTensorType result,
                                const std::optional<DynamicWindow> &window) {
  if (!window)
    return getBatchChannelSizes(b, loc, x, result);
  return getDynamicSizes(b, loc, result, [&](int64_t d) {
    return d < 2 ? getDimValue(b, loc, x, d) : window->out[d - 2];
  });
}

/// The explicit window of a pool over static spatial dims, with the end
/// padding extended so the last window that ceil_mode asks for fits.
template <typename Op>
std::optional<Window> getPoolWindow(Op op, RankedTensorType x,
                                    RankedTensorType result,
                                    ArrayRef<int64_t> kernel) {
  std::optional<Window> window =
      getWindow(op.getAutoPad(), op.getStridesAttr(), op.getDilationsAttr(),
                op.getPadsAttr(), x.getShape().drop_front(2), kernel);
  if (!window)
    return std::nullopt;
  size_t n = kernel.size();
  window->declaredPads = window->pads;
  for (size_t i = 0; i < n; ++i) {
    int64_t need = (result.getDimSize(i + 2) - 1) * window->strides[i] +
                   (kernel[i] - 1) * window->dilations[i] + 1;
    int64_t have = x.getDimSize(i + 2) + window->pads[i] + window->pads[i + n];
    window->pads[i + n] += std::max<int64_t>(need - have, 0);
  }
  return window;
}

/// A reduction of every window of `input` (N, C, spatial..., already
/// padded) into `init`: out[n, c, o] = combine over w of
/// in[n, c, o * stride + w * dilation].
Value reduceWindows(
    OpBuilder &b, Location loc, Value input, Value init,
    ArrayRef<int64_t> kernel, const Window &window,
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  int64_t k = kernel.size();
  int64_t loops = 2 + 2 * k;
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineExpr> in = {b.getAffineDimExpr(0), b.getAffineDimExpr(1)};
  SmallVector<AffineExpr> out = in, win;
  for (int64_t i = 0; i < k; ++i) {
    AffineExpr o = b.getAffineDimExpr(2 + i), w = b.getAffineDimExpr(2 + k + i);
    in.push_back(o * window.strides[i] + w * window.dilations[i]);
    out.push_back(o);
    win.push_back(w);
  }
  auto elt = cast<RankedTensorType>(input.getType()).getElementType();
  Value shape = tensor::EmptyOp::create(b, loc, kernel, elt);
  SmallVector<utils::IteratorType> iterators(2 + k,
                                             utils::IteratorType::parallel);
  iterators.append(k, utils::IteratorType::reduction);
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{input, shape}, init,
             ArrayRef<AffineMap>{AffineMap::get(loops, 0, in, ctx),
                                 AffineMap::get(loops, 0, win, ctx),
                                 AffineMap::get(loops, 0, out, ctx)},
             iterators,
             [&](OpBuilder &bb, Location l, ValueRange a) {
               yieldValue(bb, l, combine(bb, l, a[0], a[2]));
             })
      .getResult(0);
}

/// MaxPool (any rank, without Indices): lowest-value padding.
struct MaxPoolToLinalg : OpConversionPattern<ONNXMaxPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXMaxPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType x = getLowerableType(adaptor.getX().getType());
    RankedTensorType result = getLowerableType(op.getY().getType());
    bool wantIndices = !isa<NoneType>(op.getIndices().getType());
    if (!x || !result || x.getRank() < 3 ||
        (wantIndices && !x.hasStaticShape()))
      return notifyUnsupported(rewriter, op, "indices need static shapes");
    SmallVector<int64_t> kernel = getI64s(op.getKernelShape());
    Location loc = op.getLoc();
    bool dynamic = !hasStaticSpatialDims(x) || !hasStaticSpatialDims(result);
    std::optional<Window> window;
    std::optional<DynamicWindow> dynamicWindow;
    if (dynamic) {
      dynamicWindow = getDynamicWindow(
          rewriter, loc, adaptor.getX(), result, kernel, op.getAutoPad(),
          op.getStridesAttr(), op.getDilationsAttr(), op.getPadsAttr(),
          op.getCeilMode() != 0);
      if (dynamicWindow)
        window =
            Window{dynamicWindow->strides, dynamicWindow->dilations, {}, {}};
    } else {
      window = getPoolWindow(op, x, result, kernel);
    }
    if (!window)
      return notifyUnsupported(rewriter, op, "unresolved padding");
    Type elt = x.getElementType();
    TypedAttr lowest;
    if (auto f = dyn_cast<FloatType>(elt))
      lowest = rewriter.getFloatAttr(
          f, APFloat::getInf(f.getFloatSemantics(), /*Negative=*/true));
    bool isUnsigned = isUnsignedTensor(op.getX().getType());
    if (!isa<FloatType>(elt))
      lowest = rewriter.getIntegerAttr(
          elt, isUnsigned
                   ? APInt::getMinValue(elt.getIntOrFloatBitWidth())
                   : APInt::getSignedMinValue(elt.getIntOrFloatBitWidth()));
    Value input =
        dynamic
            ? padSpatial(rewriter, loc, adaptor.getX(), dynamicWindow->low,
                         dynamicWindow->high, lowest)
            : padSpatial(rewriter, loc, adaptor.getX(), window->pads, lowest);
    Value acc = createFilled(
        rewriter, loc, result, lowest,
        getPoolSizes(rewriter, loc, adaptor.getX(), result, dynamicWindow));
    if (wantIndices) {
      Value indices = maxPoolWithIndices(rewriter, loc, op, input, acc, x,
                                         kernel, *window, isUnsigned);
      rewriter.replaceOp(op, {indices.getDefiningOp()->getResult(0), indices});
      return success();
    }
    Value pool =
        reduceWindows(rewriter, loc, input, acc, kernel, *window,
                      [&](OpBuilder &b, Location l, Value v, Value a) -> Value {
                        return createMax(b, l, v, a, isUnsigned);
                      });
    // The absent Indices result has no users: it is dropped.
    rewriter.replaceOpWithMultiple(op, {{pool}, {}});
    return success();
  }

  /// The window reduction with a second accumulator: the flat index of the
  /// first maximum in the unpadded input (row-major, or column-major over
  /// the spatial dims with storage_order = 1). Returns the indices; the
  /// values are result 0 of the same op.
  static Value maxPoolWithIndices(OpBuilder &b, Location loc, ONNXMaxPoolOp op,
                                  Value input, Value acc, RankedTensorType x,
                                  ArrayRef<int64_t> kernel,
                                  const Window &window, bool isUnsigned) {
    int64_t k = kernel.size(), loops = 2 + 2 * k;
    MLIRContext *ctx = b.getContext();
    SmallVector<AffineExpr> in = {b.getAffineDimExpr(0), b.getAffineDimExpr(1)};
    SmallVector<AffineExpr> out = in, win;
    for (int64_t i = 0; i < k; ++i) {
      AffineExpr o = b.getAffineDimExpr(2 + i),
                 w = b.getAffineDimExpr(2 + k + i);
      in.push_back(o * window.strides[i] + w * window.dilations[i]);
      out.push_back(o);
      win.push_back(w);
    }
    Type elt = x.getElementType();
    Value shape = tensor::EmptyOp::create(b, loc, kernel, elt);
    auto resultType = cast<RankedTensorType>(acc.getType());
    auto indexType = resultType.clone(b.getI64Type());
    Value zero = createFilled(b, loc, indexType, b.getI64IntegerAttr(0));
    SmallVector<utils::IteratorType> iterators(2 + k,
                                               utils::IteratorType::parallel);
    iterators.append(k, utils::IteratorType::reduction);
    AffineMap outMap = AffineMap::get(loops, 0, out, ctx);
    bool columnMajor = op.getStorageOrder() != 0;
    auto generic = linalg::GenericOp::create(
        b, loc, TypeRange{resultType, indexType}, ValueRange{input, shape},
        ValueRange{acc, zero},
        ArrayRef<AffineMap>{AffineMap::get(loops, 0, in, ctx),
                            AffineMap::get(loops, 0, win, ctx), outMap, outMap},
        iterators, [&](OpBuilder &bb, Location l, ValueRange a) {
          auto c = [&](int64_t v) -> Value {
            return arith::ConstantIndexOp::create(bb, l, v);
          };
          // The unpadded coordinates of this window element.
          SmallVector<Value> coord;
          for (int64_t i = 0; i < k; ++i) {
            Value o = linalg::IndexOp::create(bb, l, 2 + i);
            Value w = linalg::IndexOp::create(bb, l, 2 + k + i);
            Value p = arith::AddIOp::create(
                bb, l, arith::MulIOp::create(bb, l, o, c(window.strides[i])),
                arith::MulIOp::create(bb, l, w, c(window.dilations[i])));
            coord.push_back(arith::SubIOp::create(bb, l, p, c(window.pads[i])));
          }
          Value flat = arith::AddIOp::create(
              bb, l,
              arith::MulIOp::create(bb, l, linalg::IndexOp::create(bb, l, 0),
                                    c(x.getDimSize(1))),
              linalg::IndexOp::create(bb, l, 1));
          Value spatial = c(0);
          for (int64_t i = 0; i < k; ++i) {
            int64_t dim = columnMajor ? k - 1 - i : i;
            spatial = arith::AddIOp::create(
                bb, l,
                arith::MulIOp::create(bb, l, spatial, c(x.getDimSize(2 + dim))),
                coord[dim]);
          }
          int64_t plane = 1;
          for (int64_t i = 0; i < k; ++i)
            plane *= x.getDimSize(2 + i);
          flat = arith::AddIOp::create(
              bb, l, arith::MulIOp::create(bb, l, flat, c(plane)), spatial);
          Value better = createCompare(bb, l, arith::CmpIPredicate::sgt, a[0],
                                       a[2], isUnsigned);
          Value flat64 =
              arith::IndexCastOp::create(bb, l, bb.getI64Type(), flat);
          linalg::YieldOp::create(
              bb, l,
              ValueRange{arith::SelectOp::create(bb, l, better, a[0], a[2]),
                         arith::SelectOp::create(bb, l, better, flat64, a[3])});
        });
    return generic.getResult(1);
  }
};

/// AveragePool: a zero-padded window sum divided by the number of window
/// elements inside the input (or inside the declared padding, with
/// count_include_pad), a constant worked out here.
struct AveragePoolToLinalg : OpConversionPattern<ONNXAveragePoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult lowerDynamic(ONNXAveragePoolOp op, OpAdaptor adaptor,
                             ConversionPatternRewriter &rewriter,
                             ArrayRef<int64_t> kernel) const;
  LogicalResult
  matchAndRewrite(ONNXAveragePoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType x = getLowerableType(adaptor.getX().getType());
    RankedTensorType result = getLowerableType(op.getY().getType());
    if (!x || !result || x.getRank() < 3 || !isa<FloatType>(x.getElementType()))
      return notifyUnsupported(rewriter, op, "float only");
    SmallVector<int64_t> kernel = getI64s(op.getKernelShape());
    Location loc = op.getLoc();
    auto elt = cast<FloatType>(x.getElementType());
    TypedAttr zero = rewriter.getFloatAttr(elt, 0.0);
    if (!hasStaticSpatialDims(x) || !hasStaticSpatialDims(result))
      return lowerDynamic(op, adaptor, rewriter, kernel);
    std::optional<Window> window = getPoolWindow(op, x, result, kernel);
    if (!window)
      return notifyUnsupported(rewriter, op, "unresolved padding");
    Value input = padSpatial(rewriter, loc, adaptor.getX(), window->pads, zero);
    Value acc = createFilled(
        rewriter, loc, result, zero,
        getBatchChannelSizes(rewriter, loc, adaptor.getX(), result));
    Value sum =
        reduceWindows(rewriter, loc, input, acc, kernel, *window,
                      [](OpBuilder &b, Location l, Value v, Value a) -> Value {
                        return arith::AddFOp::create(b, l, v, a);
                      });
    // Divisors per output position: a product of per-dim counts.
    int64_t k = kernel.size();
    bool includePad = op.getCountIncludePad() != 0;
    SmallVector<SmallVector<double>> counts(k);
    for (int64_t i = 0; i < k; ++i) {
      int64_t in = x.getDimSize(i + 2);
      int64_t lo = includePad ? -window->declaredPads[i] : 0;
      int64_t hi = includePad ? in + window->declaredPads[i + k] : in;
      for (int64_t o = 0; o < result.getDimSize(i + 2); ++o) {
        int64_t c = 0;
        for (int64_t w = 0; w < kernel[i]; ++w) {
          int64_t p = o * window->strides[i] + w * window->dilations[i] -
                      window->pads[i];
          c += p >= lo && p < hi;
        }
        counts[i].push_back(std::max<int64_t>(c, 1));
      }
    }
    SmallVector<int64_t> spatial(result.getShape().drop_front(2));
    auto divisorType = RankedTensorType::get(spatial, elt);
    SmallVector<Attribute> divisors;
    SmallVector<int64_t> idx(k, 0);
    for (int64_t e = 0; e < divisorType.getNumElements(); ++e) {
      double d = 1;
      for (int64_t i = 0; i < k; ++i)
        d *= counts[i][idx[i]];
      divisors.push_back(rewriter.getFloatAttr(elt, d));
      for (int64_t i = k - 1; i >= 0; --i) {
        if (++idx[i] < spatial[i])
          break;
        idx[i] = 0;
      }
    }
    Value divisor = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(divisorType, divisors));
    int64_t rank = result.getRank();
    SmallVector<AffineExpr> spatialExprs;
    for (int64_t i = 2; i < rank; ++i)
      spatialExprs.push_back(rewriter.getAffineDimExpr(i));
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    SmallVector<utils::IteratorType> parallel(rank,
                                              utils::IteratorType::parallel);
    Value mean =
        linalg::GenericOp::create(
            rewriter, loc, result, ValueRange{sum, divisor}, sum,
            ArrayRef<AffineMap>{
                id, AffineMap::get(rank, 0, spatialExprs, getContext()), id},
            parallel,
            [](OpBuilder &b, Location l, ValueRange a) {
              yieldValue(b, l, arith::DivFOp::create(b, l, a[0], a[1]));
            })
            .getResult(0);
    rewriter.replaceOp(op, mean);
    return success();
  }
};

/// AveragePool over dynamic spatial dims: the divisor of each output is
/// counted at run time, per dim the window elements inside the input (or
/// the declared padding, with count_include_pad).
LogicalResult
AveragePoolToLinalg::lowerDynamic(ONNXAveragePoolOp op, OpAdaptor adaptor,
                                  ConversionPatternRewriter &rewriter,
                                  ArrayRef<int64_t> kernel) const {
  Location loc = op.getLoc();
  Value x = adaptor.getX();
  RankedTensorType result = getLowerableType(op.getY().getType());
  auto elt = cast<FloatType>(result.getElementType());
  TypedAttr zero = rewriter.getFloatAttr(elt, 0.0);
  std::optional<DynamicWindow> dw = getDynamicWindow(
      rewriter, loc, x, result, kernel, op.getAutoPad(), op.getStridesAttr(),
      op.getDilationsAttr(), op.getPadsAttr(), op.getCeilMode() != 0);
  if (!dw)
    return notifyUnsupported(rewriter, op, "unresolved padding");
  Window window{dw->strides, dw->dilations, {}, {}};
  Value input = padSpatial(rewriter, loc, x, dw->low, dw->high, zero);
  Value acc = createFilled(rewriter, loc, result, zero,
                           getPoolSizes(rewriter, loc, x, result, dw));
  Value sum =
      reduceWindows(rewriter, loc, input, acc, kernel, window,
                    [](OpBuilder &b, Location l, Value v, Value a) -> Value {
                      return arith::AddFOp::create(b, l, v, a);
                    });
  bool includePad = op.getCountIncludePad() != 0;
  int64_t k = kernel.size(), rank = result.getRank();
  SmallVector<utils::IteratorType> parallel(rank,
                                            utils::IteratorType::parallel);
  AffineMap id = rewriter.getMultiDimIdentityMap(rank);
  Value mean =
      linalg::GenericOp::create(
          rewriter, loc, result, ValueRange{}, sum, ArrayRef<AffineMap>{id},
          parallel,
          [&](OpBuilder &b, Location l, ValueRange a) {
            auto c = [&](int64_t v) { return cIndex(b, l, v); };
            Value count = c(1);
            for (int64_t i = 0; i < k; ++i) {
              // Window element w sits at p = o * s - low + w * d; it counts
              // when lo <= p < hi.
              Value o = linalg::IndexOp::create(b, l, 2 + i);
              Value base = arith::SubIOp::create(
                  b, l, arith::MulIOp::create(b, l, o, c(dw->strides[i])),
                  dw->low[i]);
              Value lo = includePad ? (Value)arith::SubIOp::create(b, l, c(0),
                                                                   dw->low[i])
                                    : c(0);
              Value hi = includePad ? (Value)arith::AddIOp::create(
                                          b, l, dw->in[i], dw->declaredHigh[i])
                                    : dw->in[i];
              Value d = c(dw->dilations[i]);
              Value first = arith::MaxSIOp::create(
                  b, l,
                  arith::CeilDivSIOp::create(
                      b, l, arith::SubIOp::create(b, l, lo, base), d),
                  c(0));
              Value last = arith::MinSIOp::create(
                  b, l,
                  arith::FloorDivSIOp::create(
                      b, l,
                      arith::SubIOp::create(
                          b, l, arith::SubIOp::create(b, l, hi, c(1)), base),
                      d),
                  c(kernel[i] - 1));
              Value n = arith::MaxSIOp::create(
                  b, l,
                  arith::AddIOp::create(
                      b, l, arith::SubIOp::create(b, l, last, first), c(1)),
                  c(0));
              count = arith::MulIOp::create(b, l, count, n);
            }
            count = arith::MaxSIOp::create(b, l, count, c(1));
            Value divisor = arith::SIToFPOp::create(
                b, l, elt,
                arith::IndexCastOp::create(b, l, b.getI64Type(), count));
            yieldValue(b, l, arith::DivFOp::create(b, l, a[0], divisor));
          })
          .getResult(0);
  rewriter.replaceOp(op, mean);
  return success();
}

/// GlobalMaxPool: the maximum over the spatial dims, kept as 1s.
struct GlobalMaxPoolToLinalg : OpConversionPattern<ONNXGlobalMaxPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXGlobalMaxPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType x = getLowerableType(adaptor.getX().getType());
    RankedTensorType result = getLowerableType(op.getType());
    if (!x || !result || !isa<FloatType>(x.getElementType()))
      return notifyUnsupported(rewriter, op, "float only");
    auto elt = cast<FloatType>(x.getElementType());
    SmallVector<bool> reduced(x.getRank(), true);
    reduced[0] = reduced[1] = false;
    Value max = reduceDims(
        rewriter, op.getLoc(), adaptor.getX(), reduced, /*keepDims=*/true,
        result,
        rewriter.getFloatAttr(
            elt, APFloat::getInf(elt.getFloatSemantics(), /*Negative=*/true)),
        [](OpBuilder &b, Location l, Value v, Value a) -> Value {
          return arith::MaximumFOp::create(b, l, v, a);
        });
    rewriter.replaceOp(op, max);
    return success();
  }
};

/// GlobalAveragePool: sum over the spatial dims, then divide by their size.
struct GlobalAveragePoolToLinalg
    : OpConversionPattern<ONNXGlobalAveragePoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXGlobalAveragePoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType x = getLowerableType(adaptor.getX().getType());
    RankedTensorType result = getLowerableType(op.getType());
    if (!x || !result || !isa<FloatType>(x.getElementType()) || x.getRank() < 3)
      return notifyUnsupported(rewriter, op, "float, rank 3 or more");
    Location loc = op.getLoc();
    int64_t rank = x.getRank();
    Type elt = x.getElementType();
    SmallVector<Value> sizes =
        getDynamicSizes(rewriter, loc, result, [&](int64_t d) {
          return d < 2 ? getDimValue(rewriter, loc, adaptor.getX(), d)
                       : cIndex(rewriter, loc, 1);
        });
    Value acc = createFilled(rewriter, loc, result,
                             cast<TypedAttr>(rewriter.getZeroAttr(elt)), sizes);
    SmallVector<AffineExpr> outExprs = {rewriter.getAffineDimExpr(0),
                                        rewriter.getAffineDimExpr(1)};
    outExprs.append(rank - 2, rewriter.getAffineConstantExpr(0));
    SmallVector<AffineMap> maps = {
        rewriter.getMultiDimIdentityMap(rank),
        AffineMap::get(rank, 0, outExprs, rewriter.getContext())};
    SmallVector<utils::IteratorType> iterators(2,
                                               utils::IteratorType::parallel);
    iterators.append(rank - 2, utils::IteratorType::reduction);
    Value sum =
        linalg::GenericOp::create(
            rewriter, loc, result, adaptor.getX(), acc, maps, iterators,
            [](OpBuilder &b, Location l, ValueRange args) {
              yieldValue(b, l, arith::AddFOp::create(b, l, args[0], args[1]));
            })
            .getResult(0);
    Value count = cIndex(rewriter, loc, 1);
    for (int64_t d = 2; d < rank; ++d)
      count = arith::MulIOp::create(
          rewriter, loc, count, getDimValue(rewriter, loc, adaptor.getX(), d));
    Value divisor = arith::UIToFPOp::create(
        rewriter, loc, elt,
        arith::IndexCastUIOp::create(rewriter, loc, rewriter.getI64Type(),
                                     count));
    SmallVector<AffineMap> idMaps(2, rewriter.getMultiDimIdentityMap(rank));
    SmallVector<utils::IteratorType> parallel(rank,
                                              utils::IteratorType::parallel);
    Value mean =
        linalg::GenericOp::create(
            rewriter, loc, result, sum, sum, idMaps, parallel,
            [&](OpBuilder &b, Location l, ValueRange args) {
              yieldValue(b, l, arith::DivFOp::create(b, l, args[0], divisor));
            })
            .getResult(0);
    rewriter.replaceOp(op, mean);
    return success();
  }
};

} // namespace

void populatePoolingPatterns(RewritePatternSet &patterns) {
  patterns.add<MaxPoolToLinalg, AveragePoolToLinalg, GlobalMaxPoolToLinalg,
               GlobalAveragePoolToLinalg>(patterns.getContext());
}

} // namespace kiln::onnx_to_linalg
