//===- Convolution.cpp - Conv to linalg -----------------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "PopulatePatterns.h"

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

using namespace mlir;
using namespace kiln::onnx;

namespace kiln::onnx_to_linalg {
namespace {

/// 2-D, ungrouped Conv: explicit padding, linalg.conv_2d_nchw_fchw into a
/// zero-filled accumulator, then the per-channel bias.
struct ConvToLinalg : OpConversionPattern<ONNXConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType x = getLowerableType(adaptor.getX().getType());
    RankedTensorType w = getLowerableType(adaptor.getW().getType());
    RankedTensorType result = getLowerableType(op.getType());
    if (!x || !w || !result || x.getRank() != 4 || op.getGroup() != 1 ||
        !w.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "2-D ungrouped convs only");
    SmallVector<int64_t> kernel(w.getShape().drop_front(2));
    std::optional<Window> window =
        getWindow(op.getAutoPad(), op.getStridesAttr(), op.getDilationsAttr(),
                  op.getPadsAttr(), x.getShape().drop_front(2), kernel);
    if (!window)
      return rewriter.notifyMatchFailure(op, "SAME padding of dynamic dims");
    Location loc = op.getLoc();
    Type elt = result.getElementType();
    Value input = padSpatial(rewriter, loc, adaptor.getX(), window->pads,
                             rewriter.getZeroAttr(elt));
    SmallVector<Value> sizes;
    if (result.isDynamicDim(0))
      sizes.push_back(tensor::DimOp::create(rewriter, loc, adaptor.getX(), 0));
    if (sizes.size() != (size_t)result.getNumDynamicDims())
      return rewriter.notifyMatchFailure(op, "dynamic spatial dims");
    Value acc = createFilled(rewriter, loc, result,
                             cast<TypedAttr>(rewriter.getZeroAttr(elt)), sizes);
    Value conv =
        linalg::Conv2DNchwFchwOp::create(
            rewriter, loc, TypeRange{result}, ValueRange{input, adaptor.getW()},
            ValueRange{acc}, rewriter.getI64TensorAttr(window->strides),
            rewriter.getI64TensorAttr(window->dilations))
            .getResult(0);
    if (!isa<NoneType>(adaptor.getB().getType()))
      conv = addPerChannel(rewriter, loc, conv, adaptor.getB());
    rewriter.replaceOp(op, conv);
    return success();
  }
};

} // namespace

void populateConvolutionPatterns(RewritePatternSet &patterns) {
  patterns.add<ConvToLinalg>(patterns.getContext());
}

} // namespace kiln::onnx_to_linalg
