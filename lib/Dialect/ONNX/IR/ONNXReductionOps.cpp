//===- ONNXReductionOps.cpp - ArgMax and ArgMin ---------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The Reduce* family shares inferReduction (ONNXShapeHelpers.cpp).
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

using namespace mlir;
using namespace kiln::onnx;

template <typename Op>
static LogicalResult inferArgReduction(Op op, SmallVectorImpl<Type> &inferred) {
  Type i64 = IntegerType::get(op.getContext(), 64);
  auto shape = getTensorShape(op.getData().getType());
  if (!shape) {
    inferred.push_back(makeTensorType(std::nullopt, i64));
    return success();
  }
  FailureOr<int64_t> axis =
      normalizeAxis(op, (int64_t)op.getAxis(), shape->size());
  if (failed(axis))
    return failure();
  if (op.getKeepdims())
    (*shape)[*axis] = 1;
  else
    shape->erase(shape->begin() + *axis);
  inferred.push_back(makeTensorType(ArrayRef<int64_t>(*shape), i64));
  return success();
}

LogicalResult ONNXArgMaxOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferArgReduction(*this, inferred);
}

LogicalResult ONNXArgMinOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferArgReduction(*this, inferred);
}
