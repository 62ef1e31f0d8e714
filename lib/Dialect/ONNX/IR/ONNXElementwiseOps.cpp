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

/// CumSum and CumProd scan along an axis of x, so x has one.
template <typename Op> static LogicalResult verifyCumulative(Op op) {
  auto type = dyn_cast<RankedTensorType>(op.getX().getType());
  if (type && type.getRank() == 0)
    return op.emitOpError() << "needs an input of rank 1 or more, got rank 0";
  return success();
}
LogicalResult ONNXCumSumOp::verify() { return verifyCumulative(*this); }
LogicalResult ONNXCumProdOp::verify() { return verifyCumulative(*this); }

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

//===----------------------------------------------------------------------===//
// Identity
//===----------------------------------------------------------------------===//

OpFoldResult ONNXIdentityOp::fold(FoldAdaptor) {
  if (getX().getType() == getType())
    return getX();
  return {};
}
