//===- IntegerConvolution.cpp - the integer kernel's ConvInteger ----------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The graph phase leaves ConvInteger only in the integer kernel's form: a
// u8 input and s8 weights without zero points, ungrouped. A 2-D one,
// static but for the batch, becomes a convolution generic that sums the
// widened products in i32 (the named linalg convolutions widen every
// operand as signed).
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

/// The loops (n, f, oh, ow, c, kh, kw) of an NCHW x FCHW convolution with
/// `window`'s strides and dilations: the maps of input, filter and output.
SmallVector<AffineMap> getConvolutionMaps(MLIRContext *ctx,
                                          const Window &window) {
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  auto at = [&](unsigned out, unsigned tap, unsigned i) {
    return d(out) * window.strides[i] + d(tap) * window.dilations[i];
  };
  return {AffineMap::get(7, 0, {d(0), d(4), at(2, 5, 0), at(3, 6, 1)}, ctx),
          AffineMap::get(7, 0, {d(1), d(4), d(5), d(6)}, ctx),
          AffineMap::get(7, 0, {d(0), d(1), d(2), d(3)}, ctx)};
}

struct ConvIntegerToLinalg : OpConversionPattern<ONNXConvIntegerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXConvIntegerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType x = getLowerableType(adaptor.getX().getType());
    RankedTensorType w = getLowerableType(adaptor.getW().getType());
    RankedTensorType result = getLowerableType(op.getType());
    // Static but for the batch.
    auto staticBut0 = [](RankedTensorType t) {
      return llvm::none_of(t.getShape().drop_front(), ShapedType::isDynamic);
    };
    if (!x || !w || !result || x.getRank() != 4 || w.getRank() != 4 ||
        !staticBut0(x) || !w.hasStaticShape() || !staticBut0(result) ||
        op.getGroup() != 1 || !isa<NoneType>(op.getXZeroPoint().getType()) ||
        !isa<NoneType>(op.getWZeroPoint().getType()))
      return notifyUnsupported(
          rewriter, op,
          "the integer kernel takes 2-D ungrouped convolutions, static "
          "but for the batch, without zero points");
    std::optional<Window> window =
        getWindow(op.getAutoPad(), op.getStridesAttr(), op.getDilationsAttr(),
                  op.getPadsAttr(), x.getShape().drop_front(2),
                  w.getShape().drop_front(2));
    if (!window)
      return notifyUnsupported(rewriter, op, "unresolved padding");
    Location loc = op.getLoc();
    Value input = padSpatial(rewriter, loc, adaptor.getX(), window->pads,
                             rewriter.getZeroAttr(x.getElementType()));
    SmallVector<Value> batch;
    if (result.isDynamicDim(0))
      batch.push_back(tensor::DimOp::create(rewriter, loc, adaptor.getX(), 0));
    Value acc = createFilled(
        rewriter, loc, result,
        cast<TypedAttr>(rewriter.getZeroAttr(result.getElementType())), batch);
    bool unsignedX = isUnsignedTensor(op.getX().getType());
    bool unsignedW = isUnsignedTensor(op.getW().getType());
    SmallVector<utils::IteratorType> iterators(4,
                                               utils::IteratorType::parallel);
    iterators.append(3, utils::IteratorType::reduction);
    Value conv =
        linalg::GenericOp::create(
            rewriter, loc, result, ValueRange{input, adaptor.getW()}, acc,
            getConvolutionMaps(rewriter.getContext(), *window), iterators,
            [&](OpBuilder &b, Location l, ValueRange args) {
              buildWidenedProductSum(b, l, args, unsignedX, unsignedW);
            })
            .getResult(0);
    rewriter.replaceOp(op, conv);
    return success();
  }
};

} // namespace

void populateIntegerConvolutionPatterns(RewritePatternSet &patterns) {
  patterns.add<ConvIntegerToLinalg>(patterns.getContext());
}

} // namespace kiln::onnx_to_linalg
