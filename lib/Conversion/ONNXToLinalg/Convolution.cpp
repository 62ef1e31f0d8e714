//===- Convolution.cpp - Conv to linalg -----------------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "PopulatePatterns.h"
#include "Utils.h"

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace kiln::onnx;

namespace kiln::onnx_to_linalg {
namespace {

/// The groups of a dim: (G*C) -> (G, C), as an expand_shape of dim 1 (or
/// dim 0 of a weight).
Value splitGroups(OpBuilder &b, Location loc, Value v, int64_t dim,
                  int64_t groups) {
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape(type.getShape());
  if (!ShapedType::isDynamic(shape[dim]))
    shape[dim] /= groups;
  shape.insert(shape.begin() + dim, groups);
  SmallVector<ReassociationIndices> reassociation;
  for (int64_t i = 0, j = 0; i < type.getRank(); ++i) {
    if (i == dim) {
      reassociation.push_back({j, j + 1});
      j += 2;
    } else {
      reassociation.push_back({j++});
    }
  }
  return tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), v,
      reassociation);
}

/// The input's channels must be the weight's per-group channels times the
/// groups.
void requireChannels(OpBuilder &b, Location loc, Value x, Value w,
                     int64_t groups) {
  auto xt = cast<RankedTensorType>(x.getType());
  auto wt = cast<RankedTensorType>(w.getType());
  if (!xt.isDynamicDim(1) && !wt.isDynamicDim(1))
    return;
  Value ok = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::eq, getDimValue(b, loc, x, 1),
      arith::MulIOp::create(b, loc, getDimValue(b, loc, w, 1),
                            cIndex(b, loc, groups)));
  requireShape(b, loc, ok, "the input channels do not match the weight's");
}

/// A grouped N-d convolution as one linalg.generic on grouped views:
/// out[n, g, m, o] += in[n, g, c, o * stride + w * dilation] * wt[g, m, c, w]
/// over already padded `input` (N, G*C, spatial) and `weight`
/// (G*M, C, kernel), into a zero-filled result of `resultType`.
Value convolve(OpBuilder &b, Location loc, Value input, Value weight,
               RankedTensorType resultType, ArrayRef<int64_t> strides,
               ArrayRef<int64_t> dilations, int64_t groups,
               ArrayRef<Value> resultDims = {}) {
  auto wType = cast<RankedTensorType>(weight.getType());
  int64_t k = wType.getRank() - 2;
  MLIRContext *ctx = b.getContext();
  Value in = splitGroups(b, loc, input, 1, groups);
  Value wt = splitGroups(b, loc, weight, 0, groups);
  SmallVector<int64_t> outShape(resultType.getShape());
  if (!ShapedType::isDynamic(outShape[1]))
    outShape[1] /= groups;
  outShape.insert(outShape.begin() + 1, groups);
  Type elt = resultType.getElementType();
  auto groupedType = RankedTensorType::get(outShape, elt);
  // Dynamic sizes (n, g, m, o...) from the result's dims.
  SmallVector<Value> sizes;
  for (int64_t d = 0; d < groupedType.getRank(); ++d) {
    if (!groupedType.isDynamicDim(d))
      continue;
    if (d == 2)
      sizes.push_back(arith::DivUIOp::create(b, loc, resultDims[1],
                                             cIndex(b, loc, groups)));
    else
      sizes.push_back(resultDims[d == 0 ? 0 : d - 1]);
  }
  Value acc = createFilled(b, loc, groupedType,
                           cast<TypedAttr>(b.getZeroAttr(elt)), sizes);
  // Loops: n, g, m, o[k] | c, w[k].
  int64_t loops = 3 + k + 1 + k;
  auto d = [&](int64_t i) { return b.getAffineDimExpr(i); };
  SmallVector<AffineExpr> inExprs = {d(0), d(1), d(3 + k)};
  SmallVector<AffineExpr> wExprs = {d(1), d(2), d(3 + k)};
  SmallVector<AffineExpr> outExprs = {d(0), d(1), d(2)};
  for (int64_t i = 0; i < k; ++i) {
    inExprs.push_back(d(3 + i) * strides[i] + d(4 + k + i) * dilations[i]);
    wExprs.push_back(d(4 + k + i));
    outExprs.push_back(d(3 + i));
  }
  SmallVector<utils::IteratorType> iterators(3 + k,
                                             utils::IteratorType::parallel);
  iterators.append(1 + k, utils::IteratorType::reduction);
  Value conv =
      linalg::GenericOp::create(
          b, loc, groupedType, ValueRange{in, wt}, acc,
          ArrayRef<AffineMap>{AffineMap::get(loops, 0, inExprs, ctx),
                              AffineMap::get(loops, 0, wExprs, ctx),
                              AffineMap::get(loops, 0, outExprs, ctx)},
          iterators,
          [](OpBuilder &bb, Location l, ValueRange a) {
            yieldValue(
                bb, l,
                arith::AddFOp::create(
                    bb, l, arith::MulFOp::create(bb, l, a[0], a[1]), a[2]));
          })
          .getResult(0);
  SmallVector<ReassociationIndices> collapse = {{0}, {1, 2}};
  for (int64_t i = 0; i < k; ++i)
    collapse.push_back({3 + i});
  return tensor::CollapseShapeOp::create(b, loc, resultType, conv, collapse);
}

/// Whether a static conv of input `x` and weight `w` in `groups` is a 2-D
/// depthwise one: one filter per input channel (channel multiplier 1).
bool isDepthwise2D(RankedTensorType x, RankedTensorType w, int64_t groups) {
  return x.getRank() == 4 && groups > 1 && x.getDimSize(1) == groups &&
         w.getDimSize(0) == groups && w.getDimSize(1) == 1;
}

/// The accumulator of a static convolution: its bias per channel, or
/// zeros without one (`bias` of NoneType).
Value createAccumulator(OpBuilder &b, Location loc, RankedTensorType type,
                        Value bias) {
  if (!isa<NoneType>(bias.getType()))
    return createPerChannel(b, loc, type, bias);
  return createFilled(b, loc, type,
                      cast<TypedAttr>(b.getZeroAttr(type.getElementType())));
}

/// A 2-D depthwise convolution as linalg.depthwise_conv_2d_nchw_chw over
/// the padded `input`, its (C, 1, KH, KW) weight collapsed to (C, KH, KW),
/// into the accumulator `acc`.
Value convolveDepthwise(OpBuilder &b, Location loc, Value input, Value weight,
                        Value acc, ArrayRef<int64_t> strides,
                        ArrayRef<int64_t> dilations) {
  Value filter = tensor::CollapseShapeOp::create(
      b, loc, weight, SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}});
  return linalg::DepthwiseConv2DNchwChwOp::create(
             b, loc, TypeRange{acc.getType()}, ValueRange{input, filter},
             ValueRange{acc}, b.getI64TensorAttr(strides),
             b.getI64TensorAttr(dilations))
      .getResult(0);
}

/// A Conv over dynamic shapes, up to the convolution itself: the channel
/// check, the window (kernel sizes static, or the weight's dims at run
/// time) and the zero-padded input.
std::optional<std::pair<DynamicWindow, Value>>
padDynamicConv(ConversionPatternRewriter &rewriter, ONNXConvOp op,
               ONNXConvOp::Adaptor adaptor, ArrayRef<int64_t> kernel) {
  Location loc = op.getLoc();
  RankedTensorType result = getLowerableType(op.getType());
  Value x = adaptor.getX(), w = adaptor.getW();
  requireChannels(rewriter, loc, x, w, op.getGroup());
  SmallVector<Value> kernelSizes;
  for (auto [i, k] : llvm::enumerate(kernel))
    kernelSizes.push_back(ShapedType::isDynamic(k)
                              ? getDimValue(rewriter, loc, w, i + 2)
                              : cIndex(rewriter, loc, k));
  std::optional<DynamicWindow> dw = getDynamicWindow(
      rewriter, loc, x, result, kernelSizes, op.getAutoPad(),
      op.getStridesAttr(), op.getDilationsAttr(), op.getPadsAttr(),
      /*ceilMode=*/false);
  if (!dw)
    return std::nullopt;
  Value input = padSpatial(
      rewriter, loc, x, dw->low, dw->high,
      cast<TypedAttr>(rewriter.getZeroAttr(result.getElementType())));
  return std::make_pair(*dw, input);
}

/// Any Conv the named-op pattern does not take: 1-d, 3-d, grouped.
struct ConvToGeneric : OpConversionPattern<ONNXConvOp> {
  using OpConversionPattern::OpConversionPattern;

  /// Dynamic shapes: padding and output sizes computed at run time.
  LogicalResult lowerDynamic(ONNXConvOp op, OpAdaptor adaptor,
                             ConversionPatternRewriter &rewriter,
                             ArrayRef<int64_t> kernel) const {
    Location loc = op.getLoc();
    RankedTensorType result = getLowerableType(op.getType());
    Value x = adaptor.getX(), w = adaptor.getW();
    auto padded = padDynamicConv(rewriter, op, adaptor, kernel);
    if (!padded)
      return notifyUnsupported(rewriter, op, "unresolved padding");
    const DynamicWindow *dw = &padded->first;
    Value input = padded->second;
    SmallVector<Value> dims = {getDimValue(rewriter, loc, x, 0),
                               getDimValue(rewriter, loc, w, 0)};
    llvm::append_range(dims, dw->out);
    Value conv = convolve(rewriter, loc, input, w, result, dw->strides,
                          dw->dilations, op.getGroup(), dims);
    if (!isa<NoneType>(adaptor.getB().getType()))
      conv = addPerChannel(rewriter, loc, conv, adaptor.getB());
    rewriter.replaceOp(op, conv);
    return success();
  }

  LogicalResult
  matchAndRewrite(ONNXConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType x = getLowerableType(adaptor.getX().getType());
    RankedTensorType w = getLowerableType(adaptor.getW().getType());
    RankedTensorType result = getLowerableType(op.getType());
    if (!x || !w || !result || x.getRank() < 3 || op.getGroup() < 1)
      return notifyUnsupported(rewriter, op, "ranked convs only");
    SmallVector<int64_t> kernel(w.getShape().drop_front(2));
    if (auto shape = op.getKernelShape())
      kernel = getI64s(*shape);
    if (!x.hasStaticShape() || !w.hasStaticShape() || !result.hasStaticShape())
      return lowerDynamic(op, adaptor, rewriter, kernel);
    std::optional<Window> window =
        getWindow(op.getAutoPad(), op.getStridesAttr(), op.getDilationsAttr(),
                  op.getPadsAttr(), x.getShape().drop_front(2), kernel);
    if (!window)
      return notifyUnsupported(rewriter, op, "unresolved padding");
    Location loc = op.getLoc();
    Type elt = result.getElementType();
    Value input = padSpatial(rewriter, loc, adaptor.getX(), window->pads,
                             cast<TypedAttr>(rewriter.getZeroAttr(elt)));
    if (isDepthwise2D(x, w, op.getGroup())) {
      Value acc = createAccumulator(rewriter, loc, result, adaptor.getB());
      rewriter.replaceOp(
          op, convolveDepthwise(rewriter, loc, input, adaptor.getW(), acc,
                                window->strides, window->dilations));
      return success();
    }
    Value conv = convolve(rewriter, loc, input, adaptor.getW(), result,
                          window->strides, window->dilations, op.getGroup());
    if (!isa<NoneType>(adaptor.getB().getType()))
      conv = addPerChannel(rewriter, loc, conv, adaptor.getB());
    rewriter.replaceOp(op, conv);
    return success();
  }
};

/// ConvTranspose as a convolution: the input spread out by the stride
/// (zeros between) and padded by dilation * (kernel - 1) - pad, convolved
/// with the spatially flipped kernel whose in/out channels are swapped.
/// ConvTranspose's strides, dilations, pads and output_padding, with their
/// defaults for `k` spatial dims.
std::tuple<SmallVector<int64_t>, SmallVector<int64_t>, SmallVector<int64_t>,
           SmallVector<int64_t>>
getTransposeAttributes(ONNXConvTransposeOp op, int64_t k) {
  SmallVector<int64_t> strides(k, 1), dilations(k, 1), pads(2 * k, 0),
      outputPadding(k, 0);
  if (op.getStridesAttr())
    strides = getI64s(op.getStridesAttr());
  if (op.getDilationsAttr())
    dilations = getI64s(op.getDilationsAttr());
  if (op.getPadsAttr())
    pads = getI64s(op.getPadsAttr());
  if (op.getOutputPaddingAttr())
    outputPadding = getI64s(op.getOutputPaddingAttr());
  return {strides, dilations, pads, outputPadding};
}

struct ConvTransposeToLinalg : OpConversionPattern<ONNXConvTransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  /// The same construction with every size an index value.
  LogicalResult lowerDynamic(ONNXConvTransposeOp op, OpAdaptor adaptor,
                             ConversionPatternRewriter &rewriter) const {
    RankedTensorType x = getLowerableType(adaptor.getX().getType());
    RankedTensorType result = getLowerableType(op.getType());
    int64_t groups = op.getGroup(), k = x.getRank() - 2;
    auto [strides, dilations, pads, outputPadding] =
        getTransposeAttributes(op, k);
    SmallVector<int64_t> outputShape;
    if (op.getOutputShapeAttr())
      outputShape = getI64s(op.getOutputShapeAttr());
    if ((int64_t)strides.size() != k || (int64_t)dilations.size() != k ||
        (int64_t)pads.size() != 2 * k || (int64_t)outputPadding.size() != k ||
        (!outputShape.empty() && (int64_t)outputShape.size() != k))
      return notifyUnsupported(rewriter, op, "malformed attributes");
    StringRef autoPad = op.getAutoPad();
    Location loc = op.getLoc();
    Type elt = result.getElementType();
    Value xv = adaptor.getX(), wv = adaptor.getW();
    auto c = [&](int64_t v) { return cIndex(rewriter, loc, v); };
    auto add = [&](Value a, Value b) -> Value {
      return arith::AddIOp::create(rewriter, loc, a, b);
    };
    auto sub = [&](Value a, Value b) -> Value {
      return arith::SubIOp::create(rewriter, loc, a, b);
    };
    auto mul = [&](Value a, Value b) -> Value {
      return arith::MulIOp::create(rewriter, loc, a, b);
    };
    SmallVector<Value> kernel, out, begin, padded;
    for (int64_t i = 0; i < k; ++i) {
      Value kernelSize = getDimValue(rewriter, loc, wv, i + 2);
      if (auto shape = op.getKernelShape())
        kernelSize = c(getI64s(*shape)[i]);
      kernel.push_back(kernelSize);
      Value in = getDimValue(rewriter, loc, xv, i + 2);
      Value span = mul(c(dilations[i]), sub(kernelSize, c(1)));
      // The natural output length, unless output_shape or SAME says.
      Value natural =
          sub(add(add(mul(c(strides[i]), sub(in, c(1))), c(outputPadding[i])),
                  add(span, c(1))),
              c(pads[i] + pads[i + k]));
      Value o = natural;
      if (!outputShape.empty())
        o = c(outputShape[i]);
      else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER")
        o = mul(in, c(strides[i]));
      else if (autoPad == "VALID")
        o = add(natural, c(pads[i] + pads[i + k]));
      if (!result.isDynamicDim(i + 2))
        o = c(result.getDimSize(i + 2));
      Value padBegin = c(pads[i]);
      if (autoPad == "VALID") {
        padBegin = c(0);
      } else if (autoPad != "NOTSET" || !outputShape.empty()) {
        Value total =
            sub(add(add(mul(c(strides[i]), sub(in, c(1))), c(outputPadding[i])),
                    add(span, c(1))),
                o);
        Value half = arith::FloorDivSIOp::create(rewriter, loc, total, c(2));
        padBegin = autoPad == "SAME_UPPER" ? half : sub(total, half);
      }
      out.push_back(o);
      begin.push_back(sub(span, padBegin));
      padded.push_back(add(o, span));
    }
    // The input spread by the strides into zeros, offset by `begin`.
    SmallVector<int64_t> paddedShape(x.getShape().take_front(2));
    paddedShape.append(k, ShapedType::kDynamic);
    auto paddedType = RankedTensorType::get(paddedShape, elt);
    SmallVector<Value> paddedSizes;
    for (int64_t d = 0; d < 2; ++d)
      if (x.isDynamicDim(d))
        paddedSizes.push_back(getDimValue(rewriter, loc, xv, d));
    llvm::append_range(paddedSizes, padded);
    Value zeros =
        createFilled(rewriter, loc, paddedType,
                     cast<TypedAttr>(rewriter.getZeroAttr(elt)), paddedSizes);
    SmallVector<OpFoldResult> offsets(2, rewriter.getIndexAttr(0)),
        sliceStrides(2, rewriter.getIndexAttr(1));
    for (int64_t i = 0; i < k; ++i) {
      offsets.push_back(begin[i]);
      sliceStrides.push_back(rewriter.getIndexAttr(strides[i]));
    }
    Value input = tensor::InsertSliceOp::create(
        rewriter, loc, xv, zeros, offsets,
        tensor::getMixedSizes(rewriter, loc, xv), sliceStrides);
    // wt[g*M + m, c, kk] = w[g*C + c, m, K - 1 - kk].
    Value perGroupIn = arith::DivUIOp::create(
        rewriter, loc, getDimValue(rewriter, loc, wv, 0), c(groups));
    Value perGroupOut = getDimValue(rewriter, loc, wv, 1);
    SmallVector<int64_t> flippedShape(2 + k, ShapedType::kDynamic);
    SmallVector<Value> flippedSizes = {mul(c(groups), perGroupOut), perGroupIn};
    llvm::append_range(flippedSizes, kernel);
    Value flipped = buildFromIndices(
        rewriter, loc, RankedTensorType::get(flippedShape, elt),
        [&](OpBuilder &b, Location l, ArrayRef<Value> idx) -> Value {
          Value g = arith::DivUIOp::create(b, l, idx[0], perGroupOut);
          Value m = arith::RemUIOp::create(b, l, idx[0], perGroupOut);
          SmallVector<Value> src = {
              arith::AddIOp::create(
                  b, l, arith::MulIOp::create(b, l, g, perGroupIn), idx[1]),
              m};
          for (int64_t i = 0; i < k; ++i)
            src.push_back(arith::SubIOp::create(
                b, l, arith::SubIOp::create(b, l, kernel[i], cIndex(b, l, 1)),
                idx[2 + i]));
          return tensor::ExtractOp::create(b, l, wv, src);
        },
        flippedSizes);
    SmallVector<Value> dims = {getDimValue(rewriter, loc, xv, 0),
                               flippedSizes[0]};
    llvm::append_range(dims, out);
    SmallVector<int64_t> ones(k, 1);
    Value conv = convolve(rewriter, loc, input, flipped, result, ones,
                          dilations, groups, dims);
    if (!isa<NoneType>(adaptor.getB().getType()))
      conv = addPerChannel(rewriter, loc, conv, adaptor.getB());
    rewriter.replaceOp(op, conv);
    return success();
  }

  LogicalResult
  matchAndRewrite(ONNXConvTransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType x = getLowerableType(adaptor.getX().getType());
    RankedTensorType w = getLowerableType(adaptor.getW().getType());
    RankedTensorType result = getLowerableType(op.getType());
    int64_t groups = op.getGroup();
    if (!x || !w || !result || x.getRank() < 3 || groups < 1)
      return notifyUnsupported(rewriter, op, "ranked convs only");
    if (!x.hasStaticShape() || !w.hasStaticShape() || !result.hasStaticShape())
      return lowerDynamic(op, adaptor, rewriter);
    int64_t k = x.getRank() - 2;
    auto [strides, dilations, pads, outputPadding] =
        getTransposeAttributes(op, k);
    StringRef autoPad = op.getAutoPad();
    Location loc = op.getLoc();
    Type elt = result.getElementType();
    SmallVector<int64_t> kernel(w.getShape().drop_front(2));
    // The begin padding of the equivalent convolution, per dim.
    SmallVector<int64_t> begin(k), padded(x.getShape());
    for (int64_t i = 0; i < k; ++i) {
      int64_t in = x.getDimSize(i + 2), out = result.getDimSize(i + 2);
      int64_t span = dilations[i] * (kernel[i] - 1);
      int64_t padBegin = pads[i];
      if (autoPad == "VALID") {
        padBegin = 0;
      } else if (autoPad != "NOTSET" || op.getOutputShapeAttr()) {
        int64_t total =
            strides[i] * (in - 1) + outputPadding[i] + span + 1 - out;
        // ONNX's reference divides with floor, also for negative totals.
        int64_t half = llvm::divideFloorSigned(total, 2);
        padBegin = autoPad == "SAME_UPPER" ? half : total - half;
      }
      begin[i] = span - padBegin;
      // Spread input plus both paddings: out + span positions.
      padded[i + 2] = out + span;
      int64_t end = padded[i + 2] - begin[i] - ((in - 1) * strides[i] + 1);
      if (begin[i] < 0 || end < 0)
        return notifyUnsupported(rewriter, op, "pads wider than the kernel");
    }
    auto paddedType = RankedTensorType::get(padded, elt);
    Value zeros = createFilled(rewriter, loc, paddedType,
                               cast<TypedAttr>(rewriter.getZeroAttr(elt)));
    SmallVector<int64_t> offsets(2, 0), sliceStrides(2, 1);
    llvm::append_range(offsets, begin);
    llvm::append_range(sliceStrides, strides);
    Value input = tensor::InsertSliceOp::create(
        rewriter, loc, adaptor.getX(), zeros, ValueRange{}, ValueRange{},
        ValueRange{}, offsets, x.getShape(), sliceStrides);
    // wt[g*M + m, c, kk] = w[g*C + c, m, K - 1 - kk].
    int64_t perGroupIn = w.getDimSize(0) / groups,
            perGroupOut = w.getDimSize(1);
    SmallVector<int64_t> flippedShape = {groups * perGroupOut, perGroupIn};
    llvm::append_range(flippedShape, kernel);
    Value weight = adaptor.getW();
    Value flipped = buildFromIndices(
        rewriter, loc, RankedTensorType::get(flippedShape, elt),
        [&](OpBuilder &b, Location l, ArrayRef<Value> idx) -> Value {
          auto c = [&](int64_t v) -> Value {
            return arith::ConstantIndexOp::create(b, l, v);
          };
          Value g = arith::DivUIOp::create(b, l, idx[0], c(perGroupOut));
          Value m = arith::RemUIOp::create(b, l, idx[0], c(perGroupOut));
          SmallVector<Value> src = {
              arith::AddIOp::create(
                  b, l, arith::MulIOp::create(b, l, g, c(perGroupIn)), idx[1]),
              m};
          for (int64_t i = 0; i < k; ++i)
            src.push_back(
                arith::SubIOp::create(b, l, c(kernel[i] - 1), idx[2 + i]));
          return tensor::ExtractOp::create(b, l, weight, src);
        });
    SmallVector<int64_t> ones(k, 1);
    Value conv = convolve(rewriter, loc, input, flipped, result, ones,
                          dilations, groups);
    if (!isa<NoneType>(adaptor.getB().getType()))
      conv = addPerChannel(rewriter, loc, conv, adaptor.getB());
    rewriter.replaceOp(op, conv);
    return success();
  }
};

/// 2-D, ungrouped Conv: explicit padding, linalg.conv_2d_nchw_fchw into a
/// zero-filled accumulator, then the per-channel bias.
struct ConvToLinalg : OpConversionPattern<ONNXConvOp> {
  using OpConversionPattern::OpConversionPattern;

  /// Dynamic spatial dims or channels: padding and output sizes computed
  /// at run time.
  LogicalResult lowerDynamic(ONNXConvOp op, OpAdaptor adaptor,
                             ConversionPatternRewriter &rewriter,
                             ArrayRef<int64_t> kernel) const {
    Location loc = op.getLoc();
    RankedTensorType result = getLowerableType(op.getType());
    Type elt = result.getElementType();
    Value x = adaptor.getX(), w = adaptor.getW();
    auto padded = padDynamicConv(rewriter, op, adaptor, kernel);
    if (!padded)
      return notifyUnsupported(rewriter, op, "unresolved padding");
    const DynamicWindow *dw = &padded->first;
    Value input = padded->second;
    TypedAttr zero = cast<TypedAttr>(rewriter.getZeroAttr(elt));
    SmallVector<Value> sizes =
        getDynamicSizes(rewriter, loc, result, [&](int64_t d) {
          if (d < 2)
            return getDimValue(rewriter, loc, d == 0 ? x : w, 0);
          return dw->out[d - 2];
        });
    Value acc = createFilled(rewriter, loc, result, zero, sizes);
    Value conv = linalg::Conv2DNchwFchwOp::create(
                     rewriter, loc, TypeRange{result}, ValueRange{input, w},
                     ValueRange{acc}, rewriter.getI64TensorAttr(dw->strides),
                     rewriter.getI64TensorAttr(dw->dilations))
                     .getResult(0);
    if (!isa<NoneType>(adaptor.getB().getType()))
      conv = addPerChannel(rewriter, loc, conv, adaptor.getB());
    rewriter.replaceOp(op, conv);
    return success();
  }

  LogicalResult
  matchAndRewrite(ONNXConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType x = getLowerableType(adaptor.getX().getType());
    RankedTensorType w = getLowerableType(adaptor.getW().getType());
    RankedTensorType result = getLowerableType(op.getType());
    if (!x || !w || !result || x.getRank() != 4 || op.getGroup() != 1)
      return notifyUnsupported(rewriter, op, "2-D ungrouped convs only");
    SmallVector<int64_t> kernel(w.getShape().drop_front(2));
    if (auto shape = op.getKernelShape())
      kernel = getI64s(*shape);
    if (llvm::any_of(kernel, ShapedType::isDynamic) || kernel.size() != 2)
      return notifyUnsupported(rewriter, op, "unknown kernel size");
    if (llvm::any_of(x.getShape().drop_front(2), ShapedType::isDynamic) ||
        llvm::any_of(result.getShape().drop_front(1), ShapedType::isDynamic))
      return lowerDynamic(op, adaptor, rewriter, kernel);
    std::optional<Window> window =
        getWindow(op.getAutoPad(), op.getStridesAttr(), op.getDilationsAttr(),
                  op.getPadsAttr(), x.getShape().drop_front(2), kernel);
    if (!window)
      return notifyUnsupported(rewriter, op, "SAME padding of dynamic dims");
    Location loc = op.getLoc();
    Type elt = result.getElementType();
    Value input = padSpatial(rewriter, loc, adaptor.getX(), window->pads,
                             rewriter.getZeroAttr(elt));
    SmallVector<Value> sizes;
    if (result.isDynamicDim(0))
      sizes.push_back(tensor::DimOp::create(rewriter, loc, adaptor.getX(), 0));
    if (sizes.size() != (size_t)result.getNumDynamicDims())
      return notifyUnsupported(rewriter, op, "dynamic spatial dims");
    Value acc =
        sizes.empty()
            ? createAccumulator(rewriter, loc, result, adaptor.getB())
            : createFilled(rewriter, loc, result,
                           cast<TypedAttr>(rewriter.getZeroAttr(elt)), sizes);
    Value conv =
        linalg::Conv2DNchwFchwOp::create(
            rewriter, loc, TypeRange{result}, ValueRange{input, adaptor.getW()},
            ValueRange{acc}, rewriter.getI64TensorAttr(window->strides),
            rewriter.getI64TensorAttr(window->dilations))
            .getResult(0);
    if (!sizes.empty() && !isa<NoneType>(adaptor.getB().getType()))
      conv = addPerChannel(rewriter, loc, conv, adaptor.getB());
    rewriter.replaceOp(op, conv);
    return success();
  }
};

} // namespace

void populateConvolutionPatterns(RewritePatternSet &patterns) {
  patterns.add<ConvToLinalg>(patterns.getContext(), /*benefit=*/2);
  patterns.add<ConvToGeneric, ConvTransposeToLinalg>(patterns.getContext());
}

} // namespace kiln::onnx_to_linalg
