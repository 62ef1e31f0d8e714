//===- ONNXIndexingOps.cpp - GatherElements, GatherND, OneHot, TopK -------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

using namespace mlir;
using namespace kiln::onnx;

LogicalResult
ONNXGatherElementsOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elt = getElementTypeOrSelf(getData().getType());
  auto data = getTensorShape(getData().getType());
  auto indices = getTensorShape(getIndices().getType());
  if (data && indices) {
    if (data->size() != indices->size())
      return emitOpError() << "data and indices must have the same rank";
    if (failed(normalizeAxis(*this, (int64_t)getAxis(), data->size())))
      return failure();
  }
  inferred.push_back(makeTensorType(indices, elt));
  return success();
}

LogicalResult
ONNXGatherNDOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elt = getElementTypeOrSelf(getData().getType());
  auto data = getTensorShape(getData().getType());
  auto indices = getTensorShape(getIndices().getType());
  int64_t b = (int64_t)getBatchDims();
  if (!data || !indices || indices->empty() || isDynamicDim(indices->back())) {
    inferred.push_back(makeTensorType(std::nullopt, elt));
    return success();
  }
  int64_t r = data->size(), q = indices->size(), last = indices->back();
  if (b < 0 || b >= std::min(r, q))
    return emitOpError() << "batch_dims " << b << " must be below both ranks";
  if (last < 1 || last > r - b)
    return emitOpError() << "the indices' last dim " << last
                         << " must lie in [1, " << r - b << "]";
  // indices[:-1] + data[b + last:]
  SmallVector<int64_t> out(indices->begin(), indices->end() - 1);
  out.append(data->begin() + b + last, data->end());
  inferred.push_back(makeTensorType(ArrayRef<int64_t>(out), elt));
  return success();
}

LogicalResult ONNXOneHotOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elt = getElementTypeOrSelf(getValues().getType());
  auto indices = getTensorShape(getIndices().getType());
  if (!indices) {
    inferred.push_back(makeTensorType(std::nullopt, elt));
    return success();
  }
  int64_t rank = indices->size() + 1;
  FailureOr<int64_t> axis = normalizeAxis(*this, (int64_t)getAxis(), rank);
  if (failed(axis))
    return failure();
  int64_t depth = ShapedType::kDynamic;
  if (auto d = getConstantInts(getDepth())) {
    if (d->size() != 1 || (*d)[0] < 1)
      return emitOpError() << "depth must be one positive value";
    depth = (*d)[0];
  }
  SmallVector<int64_t> out = *indices;
  out.insert(out.begin() + *axis, depth);
  inferred.push_back(makeTensorType(ArrayRef<int64_t>(out), elt));
  return success();
}

LogicalResult ONNXTopKOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elt = getElementTypeOrSelf(getX().getType());
  Type i64 = IntegerType::get(getContext(), 64);
  auto x = getTensorShape(getX().getType());
  if (!x) {
    inferred.push_back(makeTensorType(std::nullopt, elt));
    inferred.push_back(makeTensorType(std::nullopt, i64));
    return success();
  }
  FailureOr<int64_t> axis = normalizeAxis(*this, (int64_t)getAxis(), x->size());
  if (failed(axis))
    return failure();
  int64_t k = ShapedType::kDynamic;
  if (auto kv = getConstantInts(getK())) {
    if (kv->size() != 1 || (*kv)[0] < 0)
      return emitOpError() << "K must be one non-negative value";
    k = (*kv)[0];
    int64_t d = (*x)[*axis];
    if (!isDynamicDim(d) && k > d)
      return emitOpError() << "K " << k << " exceeds the axis size " << d;
  }
  (*x)[*axis] = k;
  inferred.push_back(makeTensorType(ArrayRef<int64_t>(*x), elt));
  inferred.push_back(makeTensorType(ArrayRef<int64_t>(*x), i64));
  return success();
}
