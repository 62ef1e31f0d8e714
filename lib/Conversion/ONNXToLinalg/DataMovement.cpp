//===- DataMovement.cpp - constants, transposes and reshapes --------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "PopulatePatterns.h"

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;
using namespace kiln::onnx;

namespace kiln::onnx_to_linalg {
namespace {

struct ConstantToArith : OpConversionPattern<ONNXConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = getLowerableType(op.getType());
    if (!type)
      return rewriter.notifyMatchFailure(op, "type is not lowerable");
    Attribute value = op.getValue();
    // Unsigned data keeps its bits under the signless type.
    if (type != op.getType()) {
      if (auto dense = dyn_cast<DenseIntElementsAttr>(value))
        value = dense.bitcast(type.getElementType());
      else if (auto resource = dyn_cast<DenseResourceElementsAttr>(value))
        value = DenseResourceElementsAttr::get(type, resource.getRawHandle());
      else
        return rewriter.notifyMatchFailure(op, "unexpected constant kind");
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, type,
                                                   cast<TypedAttr>(value));
    return success();
  }
};

struct IdentityToInput : OpConversionPattern<ONNXIdentityOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXIdentityOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (adaptor.getX().getType() != getLowerableType(op.getType()))
      return rewriter.notifyMatchFailure(op, "types differ");
    rewriter.replaceOp(op, adaptor.getX());
    return success();
  }
};

struct TransposeToLinalg : OpConversionPattern<ONNXTransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXTransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType result = getLowerableType(op.getType());
    if (!result || !getLowerableType(adaptor.getData().getType()))
      return rewriter.notifyMatchFailure(op, "types are not lowerable");
    SmallVector<int64_t> perm;
    if (op.getPerm())
      perm = getI64s(*op.getPerm());
    else
      for (int64_t i = result.getRank() - 1; i >= 0; --i)
        perm.push_back(i);
    SmallVector<Value> sizes;
    for (int64_t i = 0; i < result.getRank(); ++i)
      if (result.isDynamicDim(i))
        sizes.push_back(tensor::DimOp::create(rewriter, op.getLoc(),
                                              adaptor.getData(), perm[i]));
    Value init = tensor::EmptyOp::create(rewriter, op.getLoc(), result, sizes);
    rewriter.replaceOp(op, linalg::TransposeOp::create(rewriter, op.getLoc(),
                                                       adaptor.getData(), init,
                                                       perm)
                               .getResult());
    return success();
  }
};

/// Reshape and Flatten: a collapse of contiguous dims (dynamic dims
/// allowed) is tensor.collapse_shape; any other static reshape is
/// tensor.reshape by a constant shape.
template <typename Op> struct ReshapeToTensor : OpConversionPattern<Op> {
  using OpConversionPattern<Op>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Op op, typename Op::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType result = getLowerableType(op.getType());
    Value input = adaptor.getOperands()[0];
    RankedTensorType source = getLowerableType(input.getType());
    if (!result || !source)
      return rewriter.notifyMatchFailure(op, "types are not lowerable");
    if (result.getRank() < source.getRank()) {
      if (std::optional<SmallVector<ReassociationIndices>> groups =
              getReassociationIndicesForCollapse(source.getShape(),
                                                 result.getShape())) {
        rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(op, result, input,
                                                             *groups);
        return success();
      }
    }
    if (!result.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic non-collapsing reshape");
    auto shapeType =
        RankedTensorType::get({result.getRank()}, rewriter.getIndexType());
    SmallVector<APInt> dims;
    for (int64_t d : result.getShape())
      dims.push_back(APInt(64, d));
    Value shape =
        arith::ConstantOp::create(rewriter, op.getLoc(), shapeType,
                                  DenseIntElementsAttr::get(shapeType, dims));
    rewriter.replaceOpWithNewOp<tensor::ReshapeOp>(op, result, input, shape);
    return success();
  }
};

} // namespace

void populateDataMovementPatterns(RewritePatternSet &patterns) {
  patterns
      .add<ConstantToArith, IdentityToInput, TransposeToLinalg,
           ReshapeToTensor<ONNXReshapeOp>, ReshapeToTensor<ONNXFlattenOp>,
           ReshapeToTensor<ONNXSqueezeOp>, ReshapeToTensor<ONNXUnsqueezeOp>>(
          patterns.getContext());
}

} // namespace kiln::onnx_to_linalg
