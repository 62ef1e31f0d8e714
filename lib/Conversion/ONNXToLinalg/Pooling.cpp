//===- Pooling.cpp - MaxPool and GlobalAveragePool to linalg --------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "PopulatePatterns.h"

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

using namespace mlir;
using namespace kiln::onnx;

namespace kiln::onnx_to_linalg {
namespace {

/// 2-D MaxPool without indices: -inf padding (including the extra end
/// padding ceil_mode needs) and linalg.pooling_nchw_max.
struct MaxPoolToLinalg : OpConversionPattern<ONNXMaxPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXMaxPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType x = getLowerableType(adaptor.getX().getType());
    auto result = dyn_cast<RankedTensorType>(op.getY().getType());
    if (!x || !result || x.getRank() != 4 ||
        llvm::any_of(x.getShape().drop_front(1), ShapedType::isDynamic) ||
        !isa<FloatType>(x.getElementType()) ||
        !isa<NoneType>(op.getIndices().getType()))
      return rewriter.notifyMatchFailure(op, "2-D float max pools, static "
                                             "but for the batch");
    SmallVector<int64_t> kernel = getI64s(op.getKernelShape());
    std::optional<Window> window =
        getWindow(op.getAutoPad(), op.getStridesAttr(), op.getDilationsAttr(),
                  op.getPadsAttr(), x.getShape().drop_front(2), kernel);
    if (!window)
      return rewriter.notifyMatchFailure(op, "unresolved padding");
    ArrayRef<int64_t> strides = window->strides;
    ArrayRef<int64_t> dilations = window->dilations;
    SmallVector<int64_t> &pads = window->pads;
    // Extend the end padding so the last (ceil_mode) window fits.
    for (int i = 0; i < 2; ++i) {
      int64_t need = (result.getDimSize(i + 2) - 1) * strides[i] +
                     (kernel[i] - 1) * dilations[i] + 1;
      int64_t have = x.getDimSize(i + 2) + pads[i] + pads[i + 2];
      pads[i + 2] += std::max<int64_t>(need - have, 0);
    }
    Location loc = op.getLoc();
    auto elt = cast<FloatType>(x.getElementType());
    TypedAttr lowest = rewriter.getFloatAttr(
        elt, APFloat::getInf(elt.getFloatSemantics(), /*Negative=*/true));
    Value input = padSpatial(rewriter, loc, adaptor.getX(), pads, lowest);
    SmallVector<Value> sizes;
    if (result.isDynamicDim(0))
      sizes.push_back(tensor::DimOp::create(rewriter, loc, adaptor.getX(), 0));
    Value acc = createFilled(rewriter, loc, result, lowest, sizes);
    Value windowShape = tensor::EmptyOp::create(rewriter, loc, kernel, elt);
    Value pool =
        linalg::PoolingNchwMaxOp::create(
            rewriter, loc, TypeRange{result}, ValueRange{input, windowShape},
            ValueRange{acc}, rewriter.getI64TensorAttr(strides),
            rewriter.getI64TensorAttr(dilations))
            .getResult(0);
    // The absent Indices result has no users: it is dropped.
    rewriter.replaceOpWithMultiple(op, {{pool}, {}});
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
    if (!x || !result || !isa<FloatType>(x.getElementType()) ||
        llvm::any_of(x.getShape().drop_front(2), ShapedType::isDynamic) ||
        result.isDynamicDim(1))
      return rewriter.notifyMatchFailure(op, "static spatial dims only");
    Location loc = op.getLoc();
    int64_t rank = x.getRank();
    Type elt = x.getElementType();
    SmallVector<Value> sizes;
    if (result.isDynamicDim(0))
      sizes.push_back(tensor::DimOp::create(rewriter, loc, adaptor.getX(), 0));
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
    int64_t count = 1;
    for (int64_t d : x.getShape().drop_front(2))
      count *= d;
    Value divisor = arith::ConstantOp::create(
        rewriter, loc, rewriter.getFloatAttr(elt, (double)count));
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
  patterns.add<MaxPoolToLinalg, GlobalAveragePoolToLinalg>(
      patterns.getContext());
}

} // namespace kiln::onnx_to_linalg
