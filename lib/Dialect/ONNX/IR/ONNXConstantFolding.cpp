//===- ONNXConstantFolding.cpp - integer and boolean constants
//-------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Folders for the elementwise ops exporters use in shape arithmetic: integer
// arithmetic, comparisons, logic, Where, Max/Min and Cast, over constants of
// a few thousand elements at most, with multidirectional broadcasting. The
// constants may be dense attributes or resources (large initializers).
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/IR/DialectResourceBlobManager.h"

#include <cstring>

using namespace mlir;
using namespace kiln::onnx;

namespace {
/// Results above this many elements are left to run time.
constexpr int64_t kMaxFoldedElements = 4096;

/// The values of an integer constant (one value for a splat) and its shape.
struct IntConstant {
  SmallVector<int64_t> shape;
  SmallVector<APInt> values;
  bool isUnsigned = false;

  /// The value at flat index `i` of `result`, which this shape broadcasts to.
  const APInt &at(int64_t i, ArrayRef<int64_t> result) const {
    if (values.size() == 1)
      return values[0];
    int64_t index = 0, stride = 1;
    int64_t lead = result.size() - shape.size();
    for (int64_t d = result.size() - 1; d >= lead; --d) {
      int64_t coord = i % result[d];
      i /= result[d];
      int64_t size = shape[d - lead];
      if (size != 1)
        index += coord * stride;
      stride *= size;
    }
    return values[index];
  }

  bool broadcastsTo(ArrayRef<int64_t> result) const {
    if (shape.size() > result.size())
      return false;
    int64_t lead = result.size() - shape.size();
    for (auto [d, size] : llvm::enumerate(shape))
      if (size != 1 && size != result[lead + d])
        return false;
    return true;
  }
};

std::optional<IntConstant> readResourceInts(DenseResourceElementsAttr attr,
                                            IntegerType elt) {
  AsmResourceBlob *blob = attr.getRawHandle().getBlob();
  unsigned bytes = elt.getWidth() / 8;
  if (!blob || elt.getWidth() % 8 != 0 || elt.getWidth() > 64)
    return std::nullopt;
  ArrayRef<char> data = blob->getData();
  int64_t n = attr.getType().getNumElements();
  if ((int64_t)data.size() != n * bytes)
    return std::nullopt;
  IntConstant c;
  for (int64_t i = 0; i < n; ++i) {
    uint64_t word = 0;
    std::memcpy(&word, data.data() + i * bytes, bytes);
    c.values.push_back(APInt(elt.getWidth(), word));
  }
  return c;
}

/// The constant `attr` as integers, if it is one of at most
/// kMaxFoldedElements elements.
std::optional<IntConstant> readInts(Attribute attr) {
  auto elements = dyn_cast_or_null<ElementsAttr>(attr);
  if (!elements || !elements.getShapedType().hasStaticShape() ||
      elements.getNumElements() > kMaxFoldedElements)
    return std::nullopt;
  auto elt = dyn_cast<IntegerType>(elements.getElementType());
  if (!elt)
    return std::nullopt;
  std::optional<IntConstant> c;
  if (auto dense = dyn_cast<DenseIntElementsAttr>(attr)) {
    c.emplace();
    if (dense.isSplat())
      c->values.push_back(dense.getSplatValue<APInt>());
    else
      c->values.append(dense.getValues<APInt>().begin(),
                       dense.getValues<APInt>().end());
  } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    c = readResourceInts(resource, elt);
  }
  if (!c)
    return std::nullopt;
  c->shape.assign(elements.getShapedType().getShape().begin(),
                  elements.getShapedType().getShape().end());
  c->isUnsigned = elt.isUnsigned();
  return c;
}

using IntFn =
    llvm::function_ref<std::optional<APInt>(ArrayRef<APInt>, bool isUnsigned)>;

/// Folds `op` elementwise over integer constant `operands`, broadcast to the
/// result's static shape. `fn` gets one value per operand and whether the
/// operands are unsigned, and returns a value of the result's width.
OpFoldResult foldInts(Operation *op, ArrayRef<Attribute> operands, IntFn fn) {
  auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!type || !type.hasStaticShape() ||
      type.getNumElements() > kMaxFoldedElements ||
      !isa<IntegerType>(type.getElementType()))
    return {};
  SmallVector<IntConstant> inputs;
  bool isUnsigned = false;
  for (Attribute attr : operands) {
    std::optional<IntConstant> c = readInts(attr);
    if (!c || !c->broadcastsTo(type.getShape()))
      return {};
    isUnsigned |= c->isUnsigned;
    inputs.push_back(std::move(*c));
  }
  SmallVector<APInt> results, args(inputs.size());
  for (int64_t i = 0, n = type.getNumElements(); i < n; ++i) {
    for (auto [k, input] : llvm::enumerate(inputs))
      args[k] = input.at(i, type.getShape());
    std::optional<APInt> v = fn(args, isUnsigned);
    if (!v)
      return {};
    results.push_back(*v);
  }
  return DenseElementsAttr::get(type, results);
}

APInt boolean(bool value) { return APInt(1, value); }

/// Signed or unsigned three-way comparison.
int compare(const APInt &a, const APInt &b, bool isUnsigned) {
  if (isUnsigned)
    return a.ult(b) ? -1 : a.ugt(b);
  return a.slt(b) ? -1 : a.sgt(b);
}

/// Folds a comparison `pred(compare(a, b))`.
template <typename Pred>
OpFoldResult foldCompare(Operation *op, Attribute a, Attribute b, Pred pred) {
  return foldInts(op, {a, b}, [&](ArrayRef<APInt> v, bool isUnsigned) {
    return std::optional<APInt>(boolean(pred(compare(v[0], v[1], isUnsigned))));
  });
}
} // namespace

//===----------------------------------------------------------------------===//
// Arithmetic
//===----------------------------------------------------------------------===//

OpFoldResult ONNXNegOp::fold(FoldAdaptor a) {
  return foldInts(*this, {a.getX()}, [](ArrayRef<APInt> v, bool) {
    return std::optional<APInt>(-v[0]);
  });
}
OpFoldResult ONNXAddOp::fold(FoldAdaptor a) {
  return foldInts(*this, {a.getA(), a.getB()}, [](ArrayRef<APInt> v, bool) {
    return std::optional<APInt>(v[0] + v[1]);
  });
}
OpFoldResult ONNXSubOp::fold(FoldAdaptor a) {
  return foldInts(*this, {a.getA(), a.getB()}, [](ArrayRef<APInt> v, bool) {
    return std::optional<APInt>(v[0] - v[1]);
  });
}
OpFoldResult ONNXMulOp::fold(FoldAdaptor a) {
  return foldInts(*this, {a.getA(), a.getB()}, [](ArrayRef<APInt> v, bool) {
    return std::optional<APInt>(v[0] * v[1]);
  });
}

OpFoldResult ONNXDivOp::fold(FoldAdaptor a) {
  // ONNX integer Div truncates toward zero, as APInt::sdiv does.
  return foldInts(
      *this, {a.getA(), a.getB()},
      [](ArrayRef<APInt> v, bool isUnsigned) -> std::optional<APInt> {
        const APInt &x = v[0], &y = v[1];
        if (y.isZero() ||
            (!isUnsigned && x.isMinSignedValue() && y.isAllOnes()))
          return std::nullopt;
        return isUnsigned ? x.udiv(y) : x.sdiv(y);
      });
}

OpFoldResult ONNXModOp::fold(FoldAdaptor a) {
  // fmod=0: the remainder takes the divisor's sign (Python's %); fmod=1: the
  // dividend's (C's fmod).
  bool truncated = getFmod() != 0;
  return foldInts(
      *this, {a.getA(), a.getB()},
      [&](ArrayRef<APInt> v, bool isUnsigned) -> std::optional<APInt> {
        const APInt &x = v[0], &y = v[1];
        if (y.isZero() ||
            (!isUnsigned && x.isMinSignedValue() && y.isAllOnes()))
          return std::nullopt;
        if (isUnsigned)
          return x.urem(y);
        APInt r = x.srem(y);
        if (!truncated && !r.isZero() && r.isNegative() != y.isNegative())
          r += y;
        return r;
      });
}

template <typename Op>
static OpFoldResult foldExtremum(Op op, ArrayRef<Attribute> operands,
                                 bool max) {
  return foldInts(op, operands, [&](ArrayRef<APInt> v, bool isUnsigned) {
    APInt best = v[0];
    for (const APInt &x : v.drop_front())
      if ((compare(x, best, isUnsigned) > 0) == max && x != best)
        best = x;
    return std::optional<APInt>(best);
  });
}
OpFoldResult ONNXMaxOp::fold(FoldAdaptor a) {
  return foldExtremum(*this, a.getOperands(), /*max=*/true);
}
OpFoldResult ONNXMinOp::fold(FoldAdaptor a) {
  return foldExtremum(*this, a.getOperands(), /*max=*/false);
}

//===----------------------------------------------------------------------===//
// Comparisons and logic
//===----------------------------------------------------------------------===//

OpFoldResult ONNXEqualOp::fold(FoldAdaptor a) {
  return foldCompare(*this, a.getA(), a.getB(), [](int c) { return c == 0; });
}
OpFoldResult ONNXLessOp::fold(FoldAdaptor a) {
  return foldCompare(*this, a.getA(), a.getB(), [](int c) { return c < 0; });
}
OpFoldResult ONNXLessOrEqualOp::fold(FoldAdaptor a) {
  return foldCompare(*this, a.getA(), a.getB(), [](int c) { return c <= 0; });
}
OpFoldResult ONNXGreaterOp::fold(FoldAdaptor a) {
  return foldCompare(*this, a.getA(), a.getB(), [](int c) { return c > 0; });
}
OpFoldResult ONNXGreaterOrEqualOp::fold(FoldAdaptor a) {
  return foldCompare(*this, a.getA(), a.getB(), [](int c) { return c >= 0; });
}

OpFoldResult ONNXAndOp::fold(FoldAdaptor a) {
  return foldInts(*this, {a.getA(), a.getB()}, [](ArrayRef<APInt> v, bool) {
    return std::optional<APInt>(v[0] & v[1]);
  });
}
OpFoldResult ONNXOrOp::fold(FoldAdaptor a) {
  return foldInts(*this, {a.getA(), a.getB()}, [](ArrayRef<APInt> v, bool) {
    return std::optional<APInt>(v[0] | v[1]);
  });
}
OpFoldResult ONNXXorOp::fold(FoldAdaptor a) {
  return foldInts(*this, {a.getA(), a.getB()}, [](ArrayRef<APInt> v, bool) {
    return std::optional<APInt>(v[0] ^ v[1]);
  });
}
OpFoldResult ONNXNotOp::fold(FoldAdaptor a) {
  return foldInts(*this, {a.getX()}, [](ArrayRef<APInt> v, bool) {
    return std::optional<APInt>(~v[0]);
  });
}

OpFoldResult ONNXWhereOp::fold(FoldAdaptor a) {
  return foldInts(*this, {a.getCondition(), a.getX(), a.getY()},
                  [](ArrayRef<APInt> v, bool) {
                    return std::optional<APInt>(v[0].getBoolValue() ? v[1]
                                                                    : v[2]);
                  });
}

//===----------------------------------------------------------------------===//
// Cast
//===----------------------------------------------------------------------===//

OpFoldResult ONNXCastOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  // Integer and boolean casts of constants (shape arithmetic). Booleans are
  // 0 or 1; an integer becomes true when it is not zero.
  auto out = dyn_cast<IntegerType>(getElementTypeOrSelf(getType()));
  if (!out)
    return {};
  return foldInts(
      *this, {adaptor.getInput()}, [&](ArrayRef<APInt> v, bool isUnsigned) {
        const APInt &x = v[0];
        if (out.getWidth() == 1)
          return std::optional<APInt>(boolean(!x.isZero()));
        if (isUnsigned || x.getBitWidth() == 1)
          return std::optional<APInt>(x.zextOrTrunc(out.getWidth()));
        return std::optional<APInt>(x.sextOrTrunc(out.getWidth()));
      });
}
