//===- ONNXShapeOps.cpp - constants and shape-changing onnx ops -----------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Constant, ConstantOfShape, Shape, Size, Reshape, Flatten, Expand, Squeeze
// and Unsqueeze: their shape inference and the folders that evaluate shape
// computations on constants.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

using namespace mlir;
using namespace kiln::onnx;

/// A tensor of the given rank with all dims dynamic.
static Type dynamicOfRank(int64_t rank, Type elt) {
  return RankedTensorType::get(SmallVector<int64_t>(rank, ShapedType::kDynamic),
                               elt);
}

/// The static length of a 1-D shape operand, if known.
static std::optional<int64_t> getStaticLength(Value v) {
  auto s = getTensorShape(v.getType());
  if (!s || s->size() != 1 || isDynamicDim((*s)[0]))
    return std::nullopt;
  return (*s)[0];
}

/// Reshapes a constant dense attribute to the op's static result type.
static OpFoldResult reshapeConstant(Attribute input, Type resultType) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(input);
  auto type = dyn_cast<RankedTensorType>(resultType);
  if (!dense || !type || !type.hasStaticShape() ||
      type.getNumElements() != dense.getNumElements())
    return {};
  return dense.reshape(type);
}

//===----------------------------------------------------------------------===//
// Constant and ConstantOfShape
//===----------------------------------------------------------------------===//

LogicalResult
ONNXConstantOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  inferred.push_back(getValue().getType());
  return success();
}

OpFoldResult ONNXConstantOp::fold(FoldAdaptor) { return getValue(); }

LogicalResult
ONNXConstantOfShapeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elt = Float32Type::get(getContext());
  if (auto value = getValueAttr()) {
    if (value.getNumElements() != 1)
      return emitOpError() << "value must hold exactly one element";
    elt = value.getElementType();
  }
  if (auto dims = getConstantInts(getInput())) {
    for (int64_t d : *dims)
      if (d < 0)
        return emitOpError() << "shape has a negative dim " << d;
    inferred.push_back(makeTensorType(ArrayRef<int64_t>(*dims), elt));
  } else if (auto n = getStaticLength(getInput())) {
    inferred.push_back(dynamicOfRank(*n, elt));
  } else {
    inferred.push_back(makeTensorType(std::nullopt, elt));
  }
  return success();
}

OpFoldResult ONNXConstantOfShapeOp::fold(FoldAdaptor) {
  auto type = dyn_cast<RankedTensorType>(getType());
  if (!type || !type.hasStaticShape() || type.getNumElements() > 1024)
    return {};
  if (auto value = dyn_cast_or_null<DenseElementsAttr>(getValueAttr()))
    return DenseElementsAttr::get(type, value.getValues<Attribute>()[0]);
  if (!getValueAttr())
    return DenseElementsAttr::get(type,
                                  FloatAttr::get(type.getElementType(), 0.0));
  return {};
}

//===----------------------------------------------------------------------===//
// Shape and Size
//===----------------------------------------------------------------------===//

/// The [start, end) range of Shape per opset 15 (clamped to [0, rank]).
static std::pair<int64_t, int64_t> getShapeRange(ONNXShapeOp op, int64_t rank) {
  auto clamp = [&](int64_t v) {
    if (v < 0)
      v += rank;
    return std::clamp<int64_t>(v, 0, rank);
  };
  int64_t start = clamp((int64_t)op.getStart());
  int64_t end = op.getEnd() ? clamp((int64_t)*op.getEnd()) : rank;
  return {start, std::max(start, end)};
}

LogicalResult ONNXShapeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type i64 = IntegerType::get(getContext(), 64);
  auto s = getTensorShape(getData().getType());
  if (!s) {
    inferred.push_back(dynamicOfRank(1, i64));
    return success();
  }
  auto [start, end] = getShapeRange(*this, s->size());
  inferred.push_back(RankedTensorType::get({end - start}, i64));
  return success();
}

OpFoldResult ONNXShapeOp::fold(FoldAdaptor) {
  auto s = getTensorShape(getData().getType());
  auto type = dyn_cast<RankedTensorType>(getType());
  if (!s || !type || !type.hasStaticShape())
    return {};
  auto [start, end] = getShapeRange(*this, s->size());
  ArrayRef<int64_t> dims = ArrayRef<int64_t>(*s).slice(start, end - start);
  if (llvm::any_of(dims, isDynamicDim))
    return {};
  return DenseElementsAttr::get(type, dims);
}

LogicalResult ONNXSizeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  inferred.push_back(
      RankedTensorType::get({}, IntegerType::get(getContext(), 64)));
  return success();
}

OpFoldResult ONNXSizeOp::fold(FoldAdaptor) {
  auto t = dyn_cast<RankedTensorType>(getData().getType());
  auto type = dyn_cast<RankedTensorType>(getType());
  if (!t || !t.hasStaticShape() || !type)
    return {};
  return DenseElementsAttr::get(type, t.getNumElements());
}

//===----------------------------------------------------------------------===//
// Reshape
//===----------------------------------------------------------------------===//

LogicalResult ONNXReshapeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elt = getElementTypeOrSelf(getData().getType());
  auto in = getTensorShape(getData().getType());
  std::optional<SmallVector<int64_t>> target = getConstantInts(getShape());
  if (!target) {
    if (auto n = getStaticLength(getShape()))
      inferred.push_back(dynamicOfRank(*n, elt));
    else
      inferred.push_back(makeTensorType(std::nullopt, elt));
    return success();
  }
  bool allowZero = getAllowzero() != 0;
  int64_t inferIndex = -1;
  SmallVector<int64_t> out;
  for (auto [i, d] : llvm::enumerate(*target)) {
    if (d == -1) {
      if (inferIndex >= 0)
        return emitOpError() << "shape has more than one -1";
      inferIndex = i;
      out.push_back(ShapedType::kDynamic);
    } else if (d < -1) {
      return emitOpError() << "shape has an invalid dim " << d;
    } else if (d == 0 && !allowZero) {
      if (in && i >= in->size())
        return emitOpError() << "shape copies dim " << i
                             << " (0) but the input has rank " << in->size();
      out.push_back(in ? (*in)[i] : ShapedType::kDynamic);
    } else {
      out.push_back(d);
    }
  }
  if (allowZero && inferIndex >= 0 && llvm::is_contained(*target, 0))
    return emitOpError() << "shape has both 0 and -1 while allowzero is set";
  if (in && llvm::none_of(*in, isDynamicDim)) {
    int64_t total = 1, known = 1;
    for (int64_t d : *in)
      total *= d;
    for (auto [i, d] : llvm::enumerate(out))
      if ((int64_t)i != inferIndex)
        known = isDynamicDim(d) ? -1 : known * d;
    if (known >= 0) {
      if (inferIndex >= 0) {
        if (known == 0 || total % known != 0)
          return emitOpError() << "cannot reshape " << total
                               << " elements with shape containing -1";
        out[inferIndex] = total / known;
      } else if (known != total) {
        return emitOpError()
               << "cannot reshape " << total << " elements into " << known;
      }
    }
  }
  inferred.push_back(makeTensorType(ArrayRef<int64_t>(out), elt));
  return success();
}

OpFoldResult ONNXReshapeOp::fold(FoldAdaptor adaptor) {
  if (getData().getType() == getType() &&
      cast<ShapedType>(getType()).hasStaticShape())
    return getData();
  return reshapeConstant(adaptor.getData(), getType());
}

//===----------------------------------------------------------------------===//
// Flatten
//===----------------------------------------------------------------------===//

/// Product of dims, dynamic if any is.
static int64_t product(ArrayRef<int64_t> dims) {
  int64_t p = 1;
  for (int64_t d : dims) {
    if (isDynamicDim(d))
      return ShapedType::kDynamic;
    p *= d;
  }
  return p;
}

LogicalResult ONNXFlattenOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elt = getElementTypeOrSelf(getInput().getType());
  auto s = getTensorShape(getInput().getType());
  if (!s) {
    inferred.push_back(dynamicOfRank(2, elt));
    return success();
  }
  int64_t rank = s->size(), axis = (int64_t)getAxis();
  if (axis < -rank || axis > rank)
    return emitOpError() << "axis " << axis << " is out of range for rank "
                         << rank;
  if (axis < 0)
    axis += rank;
  ArrayRef<int64_t> dims(*s);
  inferred.push_back(RankedTensorType::get(
      {product(dims.take_front(axis)), product(dims.drop_front(axis))}, elt));
  return success();
}

//===----------------------------------------------------------------------===//
// Expand
//===----------------------------------------------------------------------===//

LogicalResult ONNXExpandOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elt = getElementTypeOrSelf(getInput().getType());
  auto in = getTensorShape(getInput().getType());
  auto target = getConstantInts(getShape());
  if (!in || !target) {
    auto n = getStaticLength(getShape());
    if (in && n)
      inferred.push_back(dynamicOfRank(std::max<int64_t>(in->size(), *n), elt));
    else
      inferred.push_back(makeTensorType(std::nullopt, elt));
    return success();
  }
  for (int64_t d : *target)
    if (d < 0)
      return emitOpError() << "shape has a negative dim " << d;
  FailureOr<SmallVector<int64_t>> out = broadcastShapes(*this, {*in, *target});
  if (failed(out))
    return failure();
  inferred.push_back(makeTensorType(ArrayRef<int64_t>(*out), elt));
  return success();
}

//===----------------------------------------------------------------------===//
// Squeeze and Unsqueeze
//===----------------------------------------------------------------------===//

LogicalResult ONNXSqueezeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elt = getElementTypeOrSelf(getData().getType());
  auto in = getTensorShape(getData().getType());
  std::optional<SmallVector<int64_t>> axes;
  if (!isNoValue(getAxes()))
    axes = getConstantInts(getAxes());
  if (!in || (!isNoValue(getAxes()) && !axes)) {
    inferred.push_back(makeTensorType(std::nullopt, elt));
    return success();
  }
  int64_t rank = in->size();
  SmallVector<bool> drop(rank, false);
  if (!axes) {
    // No axes: drop every dim of size 1; unknown which if any is dynamic.
    if (llvm::any_of(*in, isDynamicDim)) {
      inferred.push_back(makeTensorType(std::nullopt, elt));
      return success();
    }
    for (int64_t i = 0; i < rank; ++i)
      drop[i] = (*in)[i] == 1;
  } else {
    for (int64_t a : *axes) {
      FailureOr<int64_t> axis = normalizeAxis(*this, a, rank);
      if (failed(axis))
        return failure();
      int64_t d = (*in)[*axis];
      if (!isDynamicDim(d) && d != 1)
        return emitOpError()
               << "cannot squeeze dim " << *axis << " of size " << d;
      drop[*axis] = true;
    }
  }
  SmallVector<int64_t> out;
  for (int64_t i = 0; i < rank; ++i)
    if (!drop[i])
      out.push_back((*in)[i]);
  inferred.push_back(makeTensorType(ArrayRef<int64_t>(out), elt));
  return success();
}

OpFoldResult ONNXSqueezeOp::fold(FoldAdaptor adaptor) {
  return reshapeConstant(adaptor.getData(), getType());
}

LogicalResult
ONNXUnsqueezeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elt = getElementTypeOrSelf(getData().getType());
  auto in = getTensorShape(getData().getType());
  auto axes = getConstantInts(getAxes());
  if (!in || !axes) {
    inferred.push_back(makeTensorType(std::nullopt, elt));
    return success();
  }
  int64_t rank = in->size() + axes->size();
  SmallVector<bool> inserted(rank, false);
  for (int64_t a : *axes) {
    FailureOr<int64_t> axis = normalizeAxis(*this, a, rank);
    if (failed(axis))
      return failure();
    if (inserted[*axis])
      return emitOpError() << "axis " << a << " is repeated";
    inserted[*axis] = true;
  }
  SmallVector<int64_t> out;
  auto next = in->begin();
  for (int64_t i = 0; i < rank; ++i)
    out.push_back(inserted[i] ? 1 : *next++);
  inferred.push_back(makeTensorType(ArrayRef<int64_t>(out), elt));
  return success();
}

OpFoldResult ONNXUnsqueezeOp::fold(FoldAdaptor adaptor) {
  return reshapeConstant(adaptor.getData(), getType());
}
