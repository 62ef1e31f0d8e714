//===- ONNXShapeHelpers.cpp - shape inference building blocks -------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/ONNX/IR/ONNXShapeHelpers.h"
#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/IR/Matchers.h"

using namespace mlir;

namespace kiln::onnx {

Type makeTensorType(std::optional<ArrayRef<int64_t>> shape, Type elementType) {
  // An operand of the wrong kind (`none` where a tensor is required) has no
  // element type; the op's verifier reports the operand itself.
  if (!TensorType::isValidElementType(elementType))
    return NoneType::get(elementType.getContext());
  if (!shape)
    return UnrankedTensorType::get(elementType);
  return RankedTensorType::get(*shape, elementType);
}

std::optional<SmallVector<int64_t>> getTensorShape(Type type) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  if (!ranked)
    return std::nullopt;
  return llvm::to_vector(ranked.getShape());
}

FailureOr<int64_t> normalizeAxis(Operation *op, int64_t axis, int64_t rank,
                                 StringRef what) {
  if (axis < -rank || axis >= rank)
    return op->emitOpError()
           << what << " " << axis << " is out of range for rank " << rank;
  return axis < 0 ? axis + rank : axis;
}

FailureOr<SmallVector<int64_t>>
broadcastShapes(Operation *op, ArrayRef<SmallVector<int64_t>> shapes) {
  size_t rank = 0;
  for (const auto &s : shapes)
    rank = std::max(rank, s.size());
  SmallVector<int64_t> result(rank, 1);
  for (const auto &s : shapes) {
    size_t offset = rank - s.size();
    for (auto [i, d] : llvm::enumerate(s)) {
      int64_t &r = result[offset + i];
      if (d == 1)
        continue;
      if (r == 1) {
        r = d;
      } else if (ShapedType::isDynamic(d)) {
        // A dynamic dim broadcast against a dynamic or non-1 static dim:
        // the result is the static one if any (the other must be 1 or equal).
        continue;
      } else if (ShapedType::isDynamic(r)) {
        r = d;
      } else if (r != d) {
        return op->emitOpError()
               << "operands are not broadcast-compatible: dim " << r << " vs "
               << d;
      }
    }
  }
  return result;
}

/// The constant value of `value`, evaluating foldable producers (Shape,
/// Gather, Concat, Cast, integer arithmetic...) without changing the IR, so
/// inference sees through shape computations before they are folded.
static Attribute evaluateConstant(Value value, unsigned depth) {
  Attribute attr;
  if (matchPattern(value, m_Constant(&attr)))
    return attr;
  Operation *op = value.getDefiningOp();
  if (!op || depth == 0 || !isa<ONNXDialect>(op->getDialect()))
    return {};
  SmallVector<Attribute> operands;
  for (Value operand : op->getOperands())
    operands.push_back(isNoValue(operand)
                           ? Attribute()
                           : evaluateConstant(operand, depth - 1));
  SmallVector<OpFoldResult> results;
  if (failed(op->fold(operands, results)) || results.empty())
    return {};
  OpFoldResult result = results[cast<OpResult>(value).getResultNumber()];
  if (auto folded = dyn_cast<Attribute>(result))
    return folded;
  Value forwarded = cast<Value>(result);
  return forwarded == value ? Attribute()
                            : evaluateConstant(forwarded, depth - 1);
}

std::optional<SmallVector<int64_t>> getConstantInts(Value value) {
  if (!value)
    return std::nullopt;
  auto dense = dyn_cast_or_null<DenseIntElementsAttr>(
      evaluateConstant(value, /*depth=*/8));
  if (!dense)
    return std::nullopt;
  SmallVector<int64_t> values;
  for (const APInt &v : dense.getValues<APInt>())
    values.push_back(v.getSExtValue());
  return values;
}

SmallVector<int64_t> getI64s(ArrayAttr attr) {
  SmallVector<int64_t> values;
  if (!attr)
    return values;
  for (Attribute a : attr)
    values.push_back(cast<IntegerAttr>(a).getInt());
  return values;
}

/// Absent optional results keep `none`; others get `type`.
static void fillResults(Operation *op, Type type,
                        SmallVectorImpl<Type> &inferred) {
  inferred.push_back(type);
  for (Value r : op->getResults().drop_front())
    inferred.push_back(r.getType());
}

LogicalResult inferSameAsOperand(Operation *op, unsigned index,
                                 SmallVectorImpl<Type> &inferred) {
  if (index >= op->getNumOperands())
    return op->emitOpError() << "expects at least " << index + 1 << " inputs";
  fillResults(op, op->getOperand(index).getType(), inferred);
  return success();
}

LogicalResult inferBroadcast(Operation *op, Type elementType,
                             SmallVectorImpl<Type> &inferred,
                             unsigned numOperands) {
  if (op->getNumOperands() == 0)
    return op->emitOpError() << "expects at least one input";
  if (!elementType)
    elementType = getElementTypeOrSelf(op->getOperand(0).getType());
  SmallVector<SmallVector<int64_t>> shapes;
  for (Value v : op->getOperands().take_front(numOperands)) {
    std::optional<SmallVector<int64_t>> s = getTensorShape(v.getType());
    if (!s) {
      fillResults(op, makeTensorType(std::nullopt, elementType), inferred);
      return success();
    }
    shapes.push_back(std::move(*s));
  }
  FailureOr<SmallVector<int64_t>> shape = broadcastShapes(op, shapes);
  if (failed(shape))
    return failure();
  fillResults(op, makeTensorType(ArrayRef<int64_t>(*shape), elementType),
              inferred);
  return success();
}

LogicalResult inferGlobalPool(Operation *op, SmallVectorImpl<Type> &inferred) {
  Type x = op->getOperand(0).getType();
  std::optional<SmallVector<int64_t>> shape = getTensorShape(x);
  if (shape) {
    if (shape->size() < 3)
      return op->emitOpError() << "expects an input of rank >= 3 (N, C, "
                                  "spatial...), got rank "
                               << shape->size();
    for (int64_t &d : llvm::drop_begin(*shape, 2))
      d = 1;
  }
  fillResults(op, makeTensorType(shape, getElementTypeOrSelf(x)), inferred);
  return success();
}

LogicalResult inferReduction(Operation *op, Value data, Value axesValue,
                             bool keepDims, bool noopWithEmptyAxes,
                             SmallVectorImpl<Type> &inferred) {
  Type elt = getElementTypeOrSelf(data.getType());
  std::optional<SmallVector<int64_t>> shape = getTensorShape(data.getType());
  std::optional<SmallVector<int64_t>> axes;
  if (isNoValue(axesValue))
    axes = SmallVector<int64_t>();
  else
    axes = getConstantInts(axesValue);
  if (!shape || !axes) {
    // Unknown axes: with keepdims the rank is still known.
    std::optional<ArrayRef<int64_t>> outShape;
    SmallVector<int64_t> dyn;
    if (shape && keepDims) {
      dyn.assign(shape->size(), ShapedType::kDynamic);
      outShape = dyn;
    }
    fillResults(op, makeTensorType(outShape, elt), inferred);
    return success();
  }
  int64_t rank = shape->size();
  SmallVector<bool> reduced(rank, false);
  if (axes->empty()) {
    if (noopWithEmptyAxes) {
      fillResults(op, data.getType(), inferred);
      return success();
    }
    reduced.assign(rank, true);
  }
  for (int64_t a : *axes) {
    FailureOr<int64_t> axis = normalizeAxis(op, a, rank, "reduction axis");
    if (failed(axis))
      return failure();
    if (reduced[*axis])
      return op->emitOpError() << "reduction axis " << a << " is repeated";
    reduced[*axis] = true;
  }
  SmallVector<int64_t> out;
  for (int64_t i = 0; i < rank; ++i) {
    if (!reduced[i])
      out.push_back((*shape)[i]);
    else if (keepDims)
      out.push_back(1);
  }
  fillResults(op, makeTensorType(ArrayRef<int64_t>(out), elt), inferred);
  return success();
}

bool areCompatibleTypes(Type actual, Type inferred) {
  if (actual == inferred)
    return true;
  auto a = dyn_cast<TensorType>(actual);
  auto b = dyn_cast<TensorType>(inferred);
  if (!a || !b || a.getElementType() != b.getElementType())
    return false;
  if (!a.hasRank() || !b.hasRank())
    return true;
  if (a.getRank() != b.getRank())
    return false;
  for (auto [x, y] : llvm::zip(a.getShape(), b.getShape()))
    if (!ShapedType::isDynamic(x) && !ShapedType::isDynamic(y) && x != y)
      return false;
  return true;
}

Type refineType(Type a, Type b) {
  auto ta = dyn_cast<TensorType>(a);
  auto tb = dyn_cast<TensorType>(b);
  if (!ta || !tb)
    return a;
  if (!ta.hasRank())
    return b;
  if (!tb.hasRank())
    return a;
  SmallVector<int64_t> dims;
  for (auto [x, y] : llvm::zip(ta.getShape(), tb.getShape()))
    dims.push_back(ShapedType::isDynamic(x) ? y : x);
  return RankedTensorType::get(dims, ta.getElementType());
}

LogicalResult verifyInferredResultTypes(Operation *op) {
  SmallVector<Type> inferred;
  if (failed(cast<ShapeInferenceOpInterface>(op).inferResultTypes(inferred)))
    return failure();
  if (inferred.size() != op->getNumResults())
    return op->emitOpError() << "infers " << inferred.size()
                             << " results but has " << op->getNumResults();
  for (auto [i, r] : llvm::enumerate(op->getResults())) {
    if (isa<NoneType>(r.getType()))
      continue;
    if (!areCompatibleTypes(r.getType(), inferred[i]))
      return op->emitOpError()
             << "result #" << i << " has type " << r.getType()
             << ", incompatible with the inferred type " << inferred[i];
  }
  return success();
}

} // namespace kiln::onnx
