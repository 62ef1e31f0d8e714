//===- GraphBuilder.h - building onnx ops in the graph phase ----*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// A builder of onnx ops by name, shared by the graph phase's decompositions,
// and the declarations of the decompositions kept in files of their own.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_DIALECT_ONNX_TRANSFORMS_GRAPHBUILDER_H
#define KILN_LIB_DIALECT_ONNX_TRANSFORMS_GRAPHBUILDER_H

#include "kiln/Dialect/ONNX/IR/ONNXDataType.h"
#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/StringExtras.h"

#include <limits>

namespace kiln::onnx {

using namespace mlir;

/// Builds onnx ops by name, inferring each result type as it goes. Once a
/// build fails every later one returns null; `erase` removes what was built.
class GraphBuilder {
public:
  GraphBuilder(OpBuilder &b, Location loc) : b(b), loc(loc) {}

  Value op(StringRef name, ValueRange operands,
           ArrayRef<NamedAttribute> attrs = {}) {
    if (failed || llvm::any_of(operands, [](Value v) { return !v; })) {
      failed = true;
      return {};
    }
    OperationState state(loc, "onnx." + name.str());
    state.addOperands(operands);
    state.addAttributes(attrs);
    state.addTypes(UnrankedTensorType::get(b.getF32Type()));
    Operation *built = b.create(state);
    created.push_back(built);
    SmallVector<Type> inferred;
    auto iface = dyn_cast<ShapeInferenceOpInterface>(built);
    if (!iface || mlir::failed(iface.inferResultTypes(inferred)) ||
        inferred.size() != 1) {
      failed = true;
      return {};
    }
    built->getResult(0).setType(inferred[0]);
    return built->getResult(0);
  }

  NamedAttribute attr(StringRef name, Attribute value) {
    return b.getNamedAttr(name, value);
  }
  NamedAttribute i64(StringRef name, int64_t v) {
    return attr(name, b.getI64IntegerAttr(v));
  }

  Value constant(ElementsAttr value) {
    return op("Constant", {}, {attr("value", value)});
  }
  /// A constant of `shape` holding `bytes` in a resource blob named after
  /// `key` (made an identifier), the way weights are kept.
  Value resource(ArrayRef<int64_t> shape, Type elt, ArrayRef<char> bytes,
                 StringRef key) {
    std::string name = "w" + key.str();
    for (char &c : name)
      if (!llvm::isAlnum(c) && c != '_' && c != '.')
        c = '_';
    size_t align = std::max<size_t>(elt.getIntOrFloatBitWidth() / 8, 1);
    AsmResourceBlob blob =
        HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, align);
    return constant(DenseResourceElementsAttr::get(
        RankedTensorType::get(shape, elt), name, std::move(blob)));
  }
  /// A 1-D i64 constant.
  Value ints(ArrayRef<int64_t> values) {
    auto type = RankedTensorType::get({(int64_t)values.size()}, b.getI64Type());
    return constant(DenseIntElementsAttr::get(type, values));
  }
  /// A 0-D constant of a float or integer element type.
  Value scalar(Type elt, double v) {
    auto type = RankedTensorType::get({}, elt);
    Attribute a = isa<FloatType>(elt) ? (Attribute)b.getFloatAttr(elt, v)
                                      : b.getIntegerAttr(elt, (int64_t)v);
    return constant(DenseElementsAttr::get(type, a));
  }
  Value negInf(Type elt) {
    return scalar(elt, -std::numeric_limits<double>::infinity());
  }
  /// Dims [start, end) of `x` as a 1-D i64 tensor.
  Value dims(Value x, int64_t start, int64_t end) {
    return op("Shape", {x}, {i64("start", start), i64("end", end)});
  }
  Value cast(Value x, Type elt) {
    if (!x || getElementTypeOrSelf(x.getType()) == elt)
      return x;
    std::optional<int64_t> to = getONNXDataType(elt);
    if (!to) {
      failed = true;
      return {};
    }
    return op("Cast", {x}, {i64("to", *to)});
  }
  /// An additive bias: 0 where `allowed`, -inf elsewhere.
  Value bias(Value allowed, Type elt) {
    return op("Where", {allowed, scalar(elt, 0.0), negInf(elt)});
  }
  /// Sum of two optional biases.
  Value addBias(Value a, Value c) {
    if (!a)
      return c;
    return op("Add", {a, c});
  }

  Type f32() { return b.getF32Type(); }

  /// `values` (1-D, or one element) shaped to broadcast along dim `dim` of
  /// a rank-`rank` result: [1, ..., C, ..., 1].
  Value alongDim(Value values, int64_t dim, int64_t rank) {
    SmallVector<int64_t> shape(rank, 1);
    shape[dim] = -1;
    return op("Reshape", {values, ints(shape)});
  }

  Value noValue() {
    auto none = ONNXNoValueOp::create(b, loc, b.getNoneType());
    created.push_back(none);
    return none;
  }

  void erase() {
    for (Operation *o : llvm::reverse(created))
      o->erase();
    created.clear();
  }

  bool failed = false;

private:
  OpBuilder &b;
  Location loc;
  SmallVector<Operation *> created;
};

/// The rank of `v`, -1 if unranked.
inline int64_t rankOf(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type ? type.getRank() : -1;
}

/// The static size of dim `d` of `v`, if known.
inline std::optional<int64_t> staticDim(Value v, int64_t d) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || d >= type.getRank() || type.isDynamicDim(d))
    return std::nullopt;
  return type.getDimSize(d);
}

/// Replaces the single result of `op` by `y`, or reports why it could not
/// be built.
inline LogicalResult finish(Operation *op, GraphBuilder &g, Value y,
                            StringRef what) {
  if (g.failed || !y) {
    g.erase();
    return op->emitError() << "unsupported: " << what << " of these operands";
  }
  Value result = op->getResult(0);
  if (y.getType() != result.getType() &&
      areCompatibleTypes(result.getType(), y.getType()))
    y.setType(refineType(result.getType(), y.getType()));
  result.replaceAllUsesWith(y);
  op->erase();
  return success();
}

/// Quantized forms (DecomposeQuantized.cpp).
LogicalResult decomposeDynamicQuantizeLinear(ONNXDynamicQuantizeLinearOp op);
LogicalResult decomposeMatMulInteger(ONNXMatMulIntegerOp op);
LogicalResult decomposeQLinearMatMul(ONNXQLinearMatMulOp op);
LogicalResult decomposeConvInteger(ONNXConvIntegerOp op);
LogicalResult decomposeQLinearConv(ONNXQLinearConvOp op);

} // namespace kiln::onnx

#endif // KILN_LIB_DIALECT_ONNX_TRANSFORMS_GRAPHBUILDER_H
