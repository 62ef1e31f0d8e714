//===- ONNXElementwiseOps.cpp - elementwise onnx ops ----------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/ONNX/IR/ONNXDataType.h"
#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace kiln::onnx;

//===----------------------------------------------------------------------===//
// Verifiers
//===----------------------------------------------------------------------===//

LogicalResult ONNXGeluOp::verify() {
  if (getApproximate() != "none" && getApproximate() != "tanh")
    return emitOpError() << "approximate must be \"none\" or \"tanh\", got \""
                         << getApproximate() << "\"";
  return success();
}

/// Softmax, LogSoftmax, Hardmax: `axis` must index the input.
template <typename Op> static LogicalResult verifySoftmaxAxis(Op op) {
  std::optional<SmallVector<int64_t>> shape =
      getTensorShape(op->getOperand(0).getType());
  if (!shape)
    return success();
  return normalizeAxis(op, (int64_t)op.getAxis(), shape->size());
}
LogicalResult ONNXSoftmaxOp::verify() { return verifySoftmaxAxis(*this); }
LogicalResult ONNXLogSoftmaxOp::verify() { return verifySoftmaxAxis(*this); }
LogicalResult ONNXHardmaxOp::verify() { return verifySoftmaxAxis(*this); }

LogicalResult ONNXBitShiftOp::verify() {
  if (getDirection() != "LEFT" && getDirection() != "RIGHT")
    return emitOpError() << "direction must be \"LEFT\" or \"RIGHT\", got \""
                         << getDirection() << "\"";
  return success();
}

LogicalResult ONNXClipOp::verify() {
  Type elt = getElementTypeOrSelf(getInput().getType());
  for (Value bound : {getMin(), getMax()}) {
    if (isNoValue(bound))
      continue;
    if (getElementTypeOrSelf(bound.getType()) != elt)
      return emitOpError() << "bounds must have the input's element type "
                           << elt;
    std::optional<SmallVector<int64_t>> shape = getTensorShape(bound.getType());
    if (shape && !(shape->empty() || (shape->size() == 1 && (*shape)[0] == 1)))
      return emitOpError() << "bounds must be scalars, got " << bound.getType();
  }
  return success();
}

template <typename Op> static LogicalResult verifyVariadic(Op op) {
  if (op->getNumOperands() == 0)
    return op.emitOpError() << "expects at least one input";
  return success();
}
LogicalResult ONNXMaxOp::verify() { return verifyVariadic(*this); }
LogicalResult ONNXMinOp::verify() { return verifyVariadic(*this); }
LogicalResult ONNXSumOp::verify() { return verifyVariadic(*this); }
LogicalResult ONNXMeanOp::verify() { return verifyVariadic(*this); }

//===----------------------------------------------------------------------===//
// Cast
//===----------------------------------------------------------------------===//

LogicalResult ONNXBitCastOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elt = convertONNXDataType(getContext(), (int64_t)getTo());
  Type from = getElementTypeOrSelf(getInput().getType());
  auto storageBits = [](Type t) -> unsigned {
    return t.isInteger(1) ? 8 : t.getIntOrFloatBitWidth();
  };
  if (!elt || !from.isIntOrFloat() || storageBits(elt) != storageBits(from))
    return emitOpError() << "bit-casts only between element types of one "
                            "width";
  inferred.push_back(makeTensorType(getTensorShape(getInput().getType()), elt));
  return success();
}

LogicalResult ONNXCastOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elt = convertONNXDataType(getContext(), (int64_t)getTo());
  if (!elt)
    return emitOpError() << "cannot cast to ONNX data type "
                         << getONNXDataTypeName((int64_t)getTo()) << " ("
                         << (int64_t)getTo() << ")";
  std::optional<SmallVector<int64_t>> shape =
      getTensorShape(getInput().getType());
  inferred.push_back(makeTensorType(shape, elt));
  return success();
}

OpFoldResult ONNXCastOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  // Integer-to-integer casts of constants (shape arithmetic).
  auto input = dyn_cast_or_null<DenseIntElementsAttr>(adaptor.getInput());
  auto resultType = dyn_cast<RankedTensorType>(getType());
  if (!input || !resultType || !resultType.hasStaticShape())
    return {};
  auto outElt = dyn_cast<IntegerType>(resultType.getElementType());
  auto inElt = dyn_cast<IntegerType>(input.getElementType());
  if (!outElt || !inElt || outElt.getWidth() == 1 || inElt.getWidth() == 1)
    return {};
  SmallVector<APInt> values;
  for (const APInt &v : input.getValues<APInt>())
    values.push_back(inElt.isUnsigned() ? v.zextOrTrunc(outElt.getWidth())
                                        : v.sextOrTrunc(outElt.getWidth()));
  return DenseElementsAttr::get(resultType, values);
}

//===----------------------------------------------------------------------===//
// Identity
//===----------------------------------------------------------------------===//

OpFoldResult ONNXIdentityOp::fold(FoldAdaptor) {
  if (getX().getType() == getType())
    return getX();
  return {};
}

//===----------------------------------------------------------------------===//
// Integer constant arithmetic (shape computations)
//===----------------------------------------------------------------------===//

/// Folds `op(lhs, rhs)` over integer constants of the result's static shape;
/// scalars and splats broadcast.
template <typename Fn>
static OpFoldResult foldIntBinary(Operation *op, Attribute lhsAttr,
                                  Attribute rhsAttr, Fn &&fn) {
  auto lhs = dyn_cast_or_null<DenseIntElementsAttr>(lhsAttr);
  auto rhs = dyn_cast_or_null<DenseIntElementsAttr>(rhsAttr);
  auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!lhs || !rhs || !type || !type.hasStaticShape() ||
      type.getNumElements() > 1024)
    return {};
  auto elt = dyn_cast<IntegerType>(type.getElementType());
  if (!elt || elt.getWidth() == 1)
    return {};
  auto broadcastable = [&](DenseIntElementsAttr a) {
    return a.isSplat() || a.getType().getShape() == type.getShape();
  };
  if (!broadcastable(lhs) || !broadcastable(rhs))
    return {};
  SmallVector<APInt> values;
  int64_t n = type.getNumElements();
  auto l = lhs.getValues<APInt>();
  auto r = rhs.getValues<APInt>();
  for (int64_t i = 0; i < n; ++i) {
    std::optional<APInt> v = fn(lhs.isSplat() ? l[0] : l[i],
                                rhs.isSplat() ? r[0] : r[i], elt.isUnsigned());
    if (!v)
      return {};
    values.push_back(*v);
  }
  return DenseElementsAttr::get(type, values);
}

OpFoldResult ONNXNegOp::fold(FoldAdaptor a) {
  // A unary fold is the binary one with the operand on both sides.
  return foldIntBinary(*this, a.getX(), a.getX(),
                       [](const APInt &x, const APInt &,
                          bool) -> std::optional<APInt> { return -x; });
}
OpFoldResult ONNXAddOp::fold(FoldAdaptor a) {
  return foldIntBinary(*this, a.getA(), a.getB(),
                       [](const APInt &x, const APInt &y,
                          bool) -> std::optional<APInt> { return x + y; });
}
OpFoldResult ONNXSubOp::fold(FoldAdaptor a) {
  return foldIntBinary(*this, a.getA(), a.getB(),
                       [](const APInt &x, const APInt &y,
                          bool) -> std::optional<APInt> { return x - y; });
}
OpFoldResult ONNXMulOp::fold(FoldAdaptor a) {
  return foldIntBinary(*this, a.getA(), a.getB(),
                       [](const APInt &x, const APInt &y,
                          bool) -> std::optional<APInt> { return x * y; });
}
OpFoldResult ONNXDivOp::fold(FoldAdaptor a) {
  // ONNX integer Div truncates toward zero, as APInt::sdiv does.
  return foldIntBinary(
      *this, a.getA(), a.getB(),
      [](const APInt &x, const APInt &y,
         bool isUnsigned) -> std::optional<APInt> {
        if (y.isZero() ||
            (!isUnsigned && x.isMinSignedValue() && y.isAllOnes()))
          return std::nullopt;
        return isUnsigned ? x.udiv(y) : x.sdiv(y);
      });
}
