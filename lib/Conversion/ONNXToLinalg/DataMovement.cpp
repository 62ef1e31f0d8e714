//===- DataMovement.cpp - constants, transposes and reshapes --------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "PopulatePatterns.h"
#include "Utils.h"

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
      return notifyUnsupported(rewriter, op, "type is not lowerable");
    Attribute value = op.getValue();
    // Unsigned data keeps its bits under the signless type.
    if (type != op.getType()) {
      if (auto dense = dyn_cast<DenseIntElementsAttr>(value))
        value = dense.bitcast(type.getElementType());
      else if (auto resource = dyn_cast<DenseResourceElementsAttr>(value))
        value = DenseResourceElementsAttr::get(type, resource.getRawHandle());
      else
        return notifyUnsupported(rewriter, op, "unexpected constant kind");
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
      return notifyUnsupported(rewriter, op, "types differ");
    rewriter.replaceOp(op, adaptor.getX());
    return success();
  }
};

/// The input shape a transpose by `perm` of `result` reads: dim perm[i]
/// is result dim i.
SmallVector<int64_t> permuteShape(ArrayRef<int64_t> result,
                                  ArrayRef<int64_t> perm) {
  SmallVector<int64_t> input(result.size());
  for (auto [i, p] : llvm::enumerate(perm))
    input[p] = result[i];
  return input;
}

struct TransposeToLinalg : OpConversionPattern<ONNXTransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXTransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType result = getLowerableType(op.getType());
    if (!result || !getLowerableType(adaptor.getData().getType()))
      return notifyUnsupported(rewriter, op, "types are not lowerable");
    SmallVector<int64_t> perm;
    if (op.getPerm())
      perm = getI64s(*op.getPerm());
    else
      for (int64_t i = result.getRank() - 1; i >= 0; --i)
        perm.push_back(i);
    // The input takes the static dims the declared result knows (checked
    // at run time), so linalg.transpose sees one shape on both sides.
    Value data = refineToType(rewriter, op.getLoc(), adaptor.getData(),
                              permuteShape(result.getShape(), perm));
    SmallVector<Value> sizes;
    for (int64_t i = 0; i < result.getRank(); ++i)
      if (result.isDynamicDim(i))
        sizes.push_back(
            tensor::DimOp::create(rewriter, op.getLoc(), data, perm[i]));
    Value init = tensor::EmptyOp::create(rewriter, op.getLoc(), result, sizes);
    rewriter.replaceOp(
        op, linalg::TransposeOp::create(rewriter, op.getLoc(), data, init, perm)
                .getResult());
    return success();
  }
};

/// `input` collapsed to 1-D and expanded to `result` whose dims are `dims`
/// (one per result dim): the shape of a dynamic reshape stays visible to
/// the dims function as expand_shape sizes.
Value reshapeThroughFlat(OpBuilder &b, Location loc, Value input,
                         RankedTensorType result, ArrayRef<Value> dims) {
  auto source = cast<RankedTensorType>(input.getType());
  // An input with a static 0 dim holds nothing to move; collapsing it would
  // fold 0 x ? into a static 0, which a memref collapse refuses.
  if (llvm::is_contained(source.getShape(), 0)) {
    SmallVector<Value> dynamicSizes;
    for (int64_t i = 0; i < result.getRank(); ++i)
      if (result.isDynamicDim(i))
        dynamicSizes.push_back(dims[i]);
    return tensor::EmptyOp::create(b, loc, result, dynamicSizes);
  }
  Value flat = input;
  if (source.getRank() != 1) {
    ReassociationIndices all;
    for (int64_t i = 0; i < source.getRank(); ++i)
      all.push_back(i);
    int64_t n = source.hasStaticShape() ? source.getNumElements()
                                        : ShapedType::kDynamic;
    flat = tensor::CollapseShapeOp::create(
        b, loc, RankedTensorType::get({n}, source.getElementType()), input,
        SmallVector<ReassociationIndices>{all});
  }
  // expand_shape wants a dynamic source when any result dim is dynamic.
  auto flatType = cast<RankedTensorType>(flat.getType());
  if (!result.hasStaticShape() && !flatType.isDynamicDim(0))
    flat = tensor::CastOp::create(b, loc,
                                  flatType.clone({ShapedType::kDynamic}), flat);
  SmallVector<OpFoldResult> sizes;
  ReassociationIndices all;
  for (int64_t i = 0; i < result.getRank(); ++i) {
    all.push_back(i);
    if (result.isDynamicDim(i))
      sizes.push_back(dims[i]);
    else
      sizes.push_back(b.getIndexAttr(result.getDimSize(i)));
  }
  if (result.getRank() == 1)
    return tensor::CastOp::create(b, loc, result, flat);
  return tensor::ExpandShapeOp::create(
      b, loc, result, flat, SmallVector<ReassociationIndices>{all}, sizes);
}

SmallVector<Value> getDims(OpBuilder &b, Location loc, Value tensor) {
  SmallVector<Value> dims;
  for (int64_t i = 0; i < cast<RankedTensorType>(tensor.getType()).getRank();
       ++i)
    dims.push_back(getDimValue(b, loc, tensor, i));
  return dims;
}

Value product(OpBuilder &b, Location loc, ArrayRef<Value> values) {
  Value p = cIndex(b, loc, 1);
  for (Value v : values)
    p = arith::MulIOp::create(b, loc, p, v);
  return p;
}

/// `numerator / max(denominator, 1)`: a zero never divides (the element
/// count check that follows refuses such a shape).
Value divideOrZero(OpBuilder &b, Location loc, Value numerator,
                   Value denominator) {
  Value safe = arith::MaxUIOp::create(b, loc, denominator, cIndex(b, loc, 1));
  return arith::DivUIOp::create(b, loc, numerator, safe);
}

/// Checks at run time that Reshape's `dims` are not negative and hold as
/// many elements as `in`, so that the model returns a status instead of
/// reading past its input.
void requireSameElements(OpBuilder &b, Location loc, ArrayRef<Value> dims,
                         ArrayRef<Value> in) {
  Value zero = cIndex(b, loc, 0);
  Value holds =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                            product(b, loc, dims), product(b, loc, in));
  for (Value d : dims)
    holds = arith::AndIOp::create(
        b, loc, holds,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, d, zero));
  requireShape(b, loc, holds,
               "the new shape must hold as many elements as the input");
}

/// Reshape: 0 copies the input dim (unless allowzero), -1 takes what is
/// left; the shape may be a run-time input.
FailureOr<SmallVector<Value>> getResultDims(ConversionPatternRewriter &b,
                                            ONNXReshapeOp op,
                                            ONNXReshapeOp::Adaptor adaptor,
                                            Value input) {
  Location loc = op.getLoc();
  auto result = cast<RankedTensorType>(op.getType());
  SmallVector<Value> in = getDims(b, loc, input);
  SmallVector<Value> raw;
  std::optional<SmallVector<int64_t>> constant = getConstantInts(op.getShape());
  if (constant && (int64_t)constant->size() == result.getRank()) {
    // Known entries keep the input's dim values, so that equal dims stay
    // visibly equal (see getDimKey).
    SmallVector<Value> dims, known;
    int64_t inferred = -1;
    for (auto [i, v] : llvm::enumerate(*constant)) {
      if (v == -1) {
        inferred = i;
        dims.push_back(nullptr);
        continue;
      }
      bool copy = v == 0 && !op.getAllowzero() && i < in.size();
      dims.push_back(copy ? in[i] : cIndex(b, loc, v));
      known.push_back(dims.back());
    }
    if (inferred >= 0)
      dims[inferred] =
          divideOrZero(b, loc, product(b, loc, in), product(b, loc, known));
    requireSameElements(b, loc, dims, in);
    return dims;
  }
  std::optional<SmallVector<Value>> elements =
      getShapeElements(b, loc, op.getShape());
  for (int64_t i = 0; i < result.getRank(); ++i) {
    if (elements && (int64_t)elements->size() == result.getRank()) {
      raw.push_back((*elements)[i]);
      continue;
    }
    Value v = tensor::ExtractOp::create(b, loc, adaptor.getShape(),
                                        ValueRange{cIndex(b, loc, i)});
    raw.push_back(arith::IndexCastOp::create(b, loc, b.getIndexType(), v));
  }
  Value zero = cIndex(b, loc, 0), minusOne = cIndex(b, loc, -1);
  SmallVector<Value> dims, known;
  for (auto [i, v] : llvm::enumerate(raw)) {
    Value d = v;
    if (!op.getAllowzero() && (int64_t)i < (int64_t)in.size()) {
      Value isZero =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, v, zero);
      d = arith::SelectOp::create(b, loc, isZero, in[i], v);
    }
    dims.push_back(d);
    Value isInferred =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, v, minusOne);
    known.push_back(
        arith::SelectOp::create(b, loc, isInferred, cIndex(b, loc, 1), d));
  }
  Value inferred =
      divideOrZero(b, loc, product(b, loc, in), product(b, loc, known));
  for (auto [i, v] : llvm::enumerate(raw)) {
    Value isInferred =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, v, minusOne);
    dims[i] = arith::SelectOp::create(b, loc, isInferred, inferred, dims[i]);
  }
  requireSameElements(b, loc, dims, in);
  return dims;
}

/// Flatten: the dims before `axis` and those from it, multiplied.
FailureOr<SmallVector<Value>> getResultDims(ConversionPatternRewriter &b,
                                            ONNXFlattenOp op,
                                            ONNXFlattenOp::Adaptor,
                                            Value input) {
  SmallVector<Value> in = getDims(b, op.getLoc(), input);
  int64_t axis = wrapAxis((int64_t)op.getAxis(), in.size());
  return SmallVector<Value>{
      product(b, op.getLoc(), ArrayRef(in).take_front(axis)),
      product(b, op.getLoc(), ArrayRef(in).drop_front(axis))};
}

/// Squeeze: the input dims but the squeezed axes (which must be given).
FailureOr<SmallVector<Value>> getResultDims(ConversionPatternRewriter &b,
                                            ONNXSqueezeOp op,
                                            ONNXSqueezeOp::Adaptor,
                                            Value input) {
  SmallVector<Value> in = getDims(b, op.getLoc(), input);
  std::optional<SmallVector<int64_t>> axes = getConstantInts(op.getAxes());
  if (!axes)
    return notifyUnsupported(b, op, "run-time squeeze axes");
  SmallVector<bool> squeezed(in.size(), false);
  for (int64_t axis : *axes)
    squeezed[wrapAxis(axis, in.size())] = true;
  SmallVector<Value> dims;
  for (auto [i, d] : llvm::enumerate(in))
    if (!squeezed[i])
      dims.push_back(d);
  return dims;
}

/// Unsqueeze: the input dims with 1s inserted at the axes.
FailureOr<SmallVector<Value>> getResultDims(ConversionPatternRewriter &b,
                                            ONNXUnsqueezeOp op,
                                            ONNXUnsqueezeOp::Adaptor,
                                            Value input) {
  SmallVector<Value> in = getDims(b, op.getLoc(), input);
  std::optional<SmallVector<int64_t>> axes = getConstantInts(op.getAxes());
  if (!axes)
    return notifyUnsupported(b, op, "run-time unsqueeze axes");
  int64_t rank = in.size() + axes->size();
  SmallVector<bool> inserted(rank, false);
  for (int64_t axis : *axes)
    inserted[wrapAxis(axis, rank)] = true;
  SmallVector<Value> dims;
  for (int64_t i = 0, next = 0; i < rank; ++i)
    dims.push_back(inserted[i] ? cIndex(b, op.getLoc(), 1) : in[next++]);
  return dims;
}

/// Reshape, Flatten, Squeeze and Unsqueeze: a collapse of contiguous dims
/// (dynamic dims allowed) is tensor.collapse_shape; any other static
/// reshape is tensor.reshape by a constant shape, and a dynamic one goes
/// through 1-D with its dims computed at run time.
template <typename Op> struct ReshapeToTensor : OpConversionPattern<Op> {
  using OpConversionPattern<Op>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Op op, typename Op::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType result = getLowerableType(op.getType());
    Value input = adaptor.getOperands()[0];
    RankedTensorType source = getLowerableType(input.getType());
    if (!result || !source)
      return notifyUnsupported(rewriter, op, "types are not lowerable");
    if (result.getRank() < source.getRank()) {
      if (std::optional<SmallVector<ReassociationIndices>> groups =
              getReassociationIndicesForCollapse(source.getShape(),
                                                 result.getShape())) {
        rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(op, result, input,
                                                             *groups);
        return success();
      }
    }
    if (!result.hasStaticShape()) {
      if (source.getRank() == 0 || result.getRank() == 0)
        return notifyUnsupported(rewriter, op, "dynamic rank-0 reshape");
      FailureOr<SmallVector<Value>> dims =
          getResultDims(rewriter, op, adaptor, input);
      if (failed(dims))
        return notifyUnsupported(rewriter, op, "result dims are unknown");
      rewriter.replaceOp(
          op, reshapeThroughFlat(rewriter, op.getLoc(), input, result, *dims));
      return success();
    }
    auto shapeType =
        RankedTensorType::get({result.getRank()}, rewriter.getIndexType());
    SmallVector<APInt> dims;
    SmallVector<Value> dimValues;
    for (int64_t d : result.getShape()) {
      dims.push_back(APInt(64, d));
      dimValues.push_back(cIndex(rewriter, op.getLoc(), d));
    }
    if (!source.hasStaticShape())
      requireSameElements(rewriter, op.getLoc(), dimValues,
                          getDims(rewriter, op.getLoc(), input));
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
