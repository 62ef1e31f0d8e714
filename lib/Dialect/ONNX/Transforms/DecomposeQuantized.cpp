//===- DecomposeQuantized.cpp - quantized onnx ops as integer kernels -----===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The quantized matrix products become one integer kernel, a MatMulInteger
// of a u8 A and an s8 B without zero points (the form dot-product
// instructions such as VNNI's vpdpbusd read), and i32 corrections:
//
//   sum_k (a - za)(b - zb) = sum_k a b - zb sum_k a - za sum_k b + K za zb
//
// A signed A is offset by +128 and an unsigned B by -128, their zero points
// with them, so any pair of 8-bit types reaches the one kernel exactly. The
// column sums of a constant B are computed here. Forms the kernel does not
// cover (a dynamic K, a 1-D operand) keep the plain i32 MatMul.
//
//===----------------------------------------------------------------------===//

#include "GraphBuilder.h"

#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

namespace kiln::onnx {

namespace {

bool isNone(Value v) { return isa<NoneType>(v.getType()); }

bool isUnsigned8(Value v) {
  auto type = dyn_cast<IntegerType>(getElementTypeOrSelf(v.getType()));
  return type && type.getWidth() == 8 && type.isUnsigned();
}

/// The values of an 8-bit integer constant, widened; none if `v` is not
/// a static constant.
std::optional<SmallVector<int32_t>> readInt8s(Value v) {
  ElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) ||
      !attr.getShapedType().hasStaticShape())
    return std::nullopt;
  bool isUnsigned = isUnsigned8(v);
  SmallVector<int32_t> values;
  if (auto dense = dyn_cast<DenseIntElementsAttr>(attr)) {
    for (const APInt &x : dense.getValues<APInt>())
      values.push_back(isUnsigned ? (int32_t)x.getZExtValue()
                                  : (int32_t)x.getSExtValue());
  } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob || (int64_t)blob->getData().size() !=
                     attr.getShapedType().getNumElements())
      return std::nullopt;
    for (char c : blob->getData())
      values.push_back(isUnsigned ? (int32_t)(uint8_t)c : (int32_t)(int8_t)c);
  } else {
    return std::nullopt;
  }
  return values;
}

/// Whether a zero point is absent or a constant of zeros.
bool isZero(Value zeroPoint) {
  if (isNone(zeroPoint))
    return true;
  std::optional<SmallVector<int32_t>> values = readInt8s(zeroPoint);
  return values && llvm::all_of(*values, [](int32_t x) { return x == 0; });
}

/// An 8-bit operand as the kernel reads it, the offset added to reach
/// that type, and its zero point in i32 (null: zero).
struct KernelOperand {
  Value value;
  int32_t offset = 0;
  Value zeroPoint;
};

/// `x` as u8 (`wantUnsigned`) or s8, and its zero point, offset alike; a
/// 1-D zero point per row (`perRow`) becomes a column [M, 1].
KernelOperand toKernelOperand(GraphBuilder &g, OpBuilder &b, Value x,
                              Value zeroPoint, bool wantUnsigned, bool perRow) {
  Type i32 = b.getI32Type();
  KernelOperand result{x, 0, Value()};
  if (isUnsigned8(x) != wantUnsigned) {
    result.offset = wantUnsigned ? 128 : -128;
    Type target = wantUnsigned ? b.getIntegerType(8, /*isSigned=*/false)
                               : b.getIntegerType(8);
    result.value = g.cast(
        g.op("Add", {g.cast(x, i32), g.scalar(i32, result.offset)}), target);
  }
  if (!isZero(zeroPoint)) {
    result.zeroPoint = g.cast(zeroPoint, i32);
    if (perRow && rankOf(zeroPoint) == 1)
      result.zeroPoint = g.op("Unsqueeze", {result.zeroPoint, g.ints({1})});
  }
  if (result.offset)
    result.zeroPoint =
        result.zeroPoint
            ? g.op("Add", {result.zeroPoint, g.scalar(i32, result.offset)})
            : g.scalar(i32, result.offset);
  return result;
}

/// Sums over axis `axis` (kept as 1) of `operand` in i32: computed here
/// when the operand is a constant, else a ReduceSum.
Value sumOver(GraphBuilder &g, OpBuilder &b, Value original,
              const KernelOperand &operand, int64_t axis) {
  Type i32 = b.getI32Type();
  auto type = dyn_cast<RankedTensorType>(original.getType());
  std::optional<SmallVector<int32_t>> values = readInt8s(original);
  if (!type || !values)
    return g.op("ReduceSum", {g.cast(operand.value, i32), g.ints({axis})},
                {g.i64("keepdims", 1)});
  SmallVector<int64_t> shape(type.getShape());
  int64_t dim = axis < 0 ? axis + type.getRank() : axis;
  int64_t inner = 1;
  for (int64_t d = dim + 1; d < type.getRank(); ++d)
    inner *= shape[d];
  int64_t size = shape[dim];
  shape[dim] = 1;
  auto sumsType = RankedTensorType::get(shape, i32);
  SmallVector<int32_t> sums(sumsType.getNumElements(), 0);
  for (int64_t i = 0, e = values->size(); i < e; ++i) {
    int64_t outer = i / (inner * size), in = i % inner;
    sums[outer * inner + in] += (*values)[i] + operand.offset;
  }
  return g.constant(DenseIntElementsAttr::get(sumsType, ArrayRef(sums)));
}

/// MatMulInteger as an i32 MatMul of the operands less their zero points
/// (per tensor, per row of `a`, per column of `b`): the fallback.
LogicalResult decomposeToI32MatMul(ONNXMatMulIntegerOp op) {
  OpBuilder b(op);
  GraphBuilder g(b, op.getLoc());
  Type i32 = b.getI32Type();
  auto shifted = [&](Value x, Value zeroPoint, bool perRow) -> Value {
    Value v = g.cast(x, i32);
    if (isNone(zeroPoint))
      return v;
    Value zp = g.cast(zeroPoint, i32);
    if (perRow && rankOf(zeroPoint) == 1)
      zp = g.op("Unsqueeze", {zp, g.ints({1})});
    return g.op("Sub", {v, zp});
  };
  Value y = g.op("MatMul", {shifted(op.getA(), op.getAZeroPoint(), true),
                            shifted(op.getB(), op.getBZeroPoint(), false)});
  return finish(op, g, y, "MatMulInteger");
}

/// Whether operands are already the kernel's form: u8 x s8, no zero points.
bool isKernelForm(Value a, Value b, Value aZeroPoint, Value bZeroPoint) {
  return isUnsigned8(a) && !isUnsigned8(b) && isNone(aZeroPoint) &&
         isNone(bZeroPoint);
}
} // namespace

LogicalResult decomposeMatMulInteger(ONNXMatMulIntegerOp op) {
  if (isKernelForm(op.getA(), op.getB(), op.getAZeroPoint(),
                   op.getBZeroPoint()))
    return success();
  int64_t ra = rankOf(op.getA()), rb = rankOf(op.getB());
  std::optional<int64_t> k =
      ra >= 2 && rb >= 2 ? staticDim(op.getA(), ra - 1) : std::nullopt;
  if (!k)
    return decomposeToI32MatMul(op);
  OpBuilder b(op);
  GraphBuilder g(b, op.getLoc());
  Type i32 = b.getI32Type();
  KernelOperand a =
      toKernelOperand(g, b, op.getA(), op.getAZeroPoint(), true, true);
  KernelOperand w =
      toKernelOperand(g, b, op.getB(), op.getBZeroPoint(), false, false);
  Value y = g.op("MatMulInteger", {a.value, w.value, g.noValue(), g.noValue()});
  if (w.zeroPoint)
    y = g.op("Sub",
             {y, g.op("Mul", {w.zeroPoint, sumOver(g, b, op.getA(), a, -1)})});
  if (a.zeroPoint)
    y = g.op("Sub",
             {y, g.op("Mul", {a.zeroPoint, sumOver(g, b, op.getB(), w, -2)})});
  if (a.zeroPoint && w.zeroPoint)
    y = g.op("Add",
             {y, g.op("Mul", {g.scalar(i32, (double)*k),
                              g.op("Mul", {a.zeroPoint, w.zeroPoint})})});
  return finish(op, g, y, "MatMulInteger");
}

/// QLinearMatMul as the integer product of its operands, scaled by the
/// product of their scales, then quantized: scales and zero points per
/// tensor, per row of `a` or per column of `b` and of the result.
LogicalResult decomposeQLinearMatMul(ONNXQLinearMatMulOp op) {
  OpBuilder b(op);
  GraphBuilder g(b, op.getLoc());
  if (rankOf(op.getA()) < 2 || rankOf(op.getB()) < 2)
    return op.emitError()
           << "unsupported: QLinearMatMul of operands below rank 2";
  // The products and sums run in i32, the scaling in f32 whatever the
  // scales' type.
  Type f32 = b.getF32Type();
  Value product =
      g.op("MatMulInteger",
           {op.getA(), op.getB(), op.getAZeroPoint(), op.getBZeroPoint()});
  Value aScale = g.cast(op.getAScale(), f32);
  if (rankOf(op.getAScale()) == 1)
    aScale = g.op("Unsqueeze", {aScale, g.ints({1})});
  Value scale = g.op("Mul", {aScale, g.cast(op.getBScale(), f32)});
  Value real = g.op("Mul", {g.cast(product, f32), scale});
  Value y = g.op("QuantizeLinear",
                 {real, g.cast(op.getYScale(), f32), op.getYZeroPoint()},
                 {g.i64("axis", -1)});
  auto integer = product ? product.getDefiningOp<ONNXMatMulIntegerOp>()
                         : ONNXMatMulIntegerOp();
  if (failed(finish(op, g, y, "QLinearMatMul")))
    return failure();
  return decomposeMatMulInteger(integer);
}

namespace {
/// `op`'s attributes, its pads replaced by `pads` if given.
SmallVector<NamedAttribute> convAttributes(Operation *op, OpBuilder &b,
                                           ArrayRef<int64_t> pads = {}) {
  SmallVector<NamedAttribute> attrs;
  for (NamedAttribute attr : op->getAttrs())
    if (pads.empty() || attr.getName() != "pads")
      attrs.push_back(attr);
  if (!pads.empty())
    attrs.push_back(b.getNamedAttr("pads", b.getI64ArrayAttr(pads)));
  return attrs;
}

/// Per-filter sums of `w` [F, C, K...] (offset by `offset` per element) as
/// [1, F, 1...] in i32: computed here for a constant `w`.
Value filterSums(GraphBuilder &g, OpBuilder &b, Value original, Value w,
                 int32_t offset) {
  auto type = cast<RankedTensorType>(original.getType());
  Type i32 = b.getI32Type();
  std::optional<SmallVector<int32_t>> values = readInt8s(original);
  if (!values || !type.hasStaticShape()) {
    SmallVector<int64_t> axes;
    for (int64_t d = 1; d < type.getRank(); ++d)
      axes.push_back(d);
    Value sums = g.op("ReduceSum", {g.cast(w, i32), g.ints(axes)},
                      {g.i64("keepdims", 0)});
    return g.alongDim(sums, 1, type.getRank());
  }
  int64_t filters = type.getDimSize(0);
  int64_t each = type.getNumElements() / std::max<int64_t>(1, filters);
  SmallVector<int32_t> sums(filters, 0);
  for (int64_t i = 0, e = values->size(); i < e; ++i)
    sums[i / each] += (*values)[i] + offset;
  SmallVector<int64_t> shape(type.getRank(), 1);
  shape[1] = filters;
  auto sumsType = RankedTensorType::get(shape, i32);
  return g.constant(DenseIntElementsAttr::get(sumsType, ArrayRef(sums)));
}

/// The explicit pads of a convolution, or none (auto_pad other than
/// NOTSET, or a rank they do not match).
std::optional<SmallVector<int64_t>> getExplicitPads(ONNXConvIntegerOp op,
                                                    int64_t spatial) {
  if (op.getAutoPad() != "NOTSET")
    return std::nullopt;
  SmallVector<int64_t> pads(2 * spatial, 0);
  if (std::optional<ArrayAttr> attr = op.getPads()) {
    if ((int64_t)attr->size() != 2 * spatial)
      return std::nullopt;
    for (auto [i, v] : llvm::enumerate(*attr))
      pads[i] = cast<IntegerAttr>(v).getInt();
  }
  return pads;
}

/// ConvInteger in f64 (exact: the sums stay below 2^53), the operands less
/// their zero points (x's per tensor, w's per tensor or per filter): the
/// fallback for forms the integer kernel does not take.
LogicalResult decomposeToF64Conv(ONNXConvIntegerOp op) {
  OpBuilder b(op);
  GraphBuilder g(b, op.getLoc());
  Type f64 = b.getF64Type(), i32 = b.getI32Type();
  int64_t rank = rankOf(op.getX());
  auto shifted = [&](Value v, Value zeroPoint, bool perFilter) -> Value {
    Value f = g.cast(v, f64);
    if (isNone(zeroPoint))
      return f;
    Value zp = g.cast(zeroPoint, f64);
    if (perFilter && rankOf(zeroPoint) == 1)
      zp = g.alongDim(zp, 0, rank);
    return g.op("Sub", {f, zp});
  };
  Value y = g.op("Conv",
                 {shifted(op.getX(), op.getXZeroPoint(), false),
                  shifted(op.getW(), op.getWZeroPoint(), true), g.noValue()},
                 convAttributes(op, b));
  return finish(op, g, g.cast(y, i32), "ConvInteger");
}
} // namespace

LogicalResult decomposeConvInteger(ONNXConvIntegerOp op) {
  if (isKernelForm(op.getX(), op.getW(), op.getXZeroPoint(),
                   op.getWZeroPoint()))
    return success();
  int64_t rank = rankOf(op.getX());
  std::optional<SmallVector<int64_t>> pads =
      rank >= 3 ? getExplicitPads(op, rank - 2) : std::nullopt;
  // The kernel takes a u8 x and an s8 w without zero point, ungrouped.
  if (!pads || rankOf(op.getW()) != rank || isUnsigned8(op.getW()) ||
      !isZero(op.getWZeroPoint()) || op.getGroup() != 1)
    return decomposeToF64Conv(op);
  OpBuilder b(op);
  GraphBuilder g(b, op.getLoc());
  KernelOperand x =
      toKernelOperand(g, b, op.getX(), op.getXZeroPoint(), true, false);
  Value input = x.value;
  SmallVector<int64_t> convPads;
  // Padding holds x's zero point (a real 0), which the correction below
  // takes out like every other element.
  if (x.zeroPoint && llvm::any_of(*pads, [](int64_t p) { return p != 0; })) {
    SmallVector<int64_t> full(2 * rank, 0);
    for (int64_t d = 0; d < rank - 2; ++d) {
      full[2 + d] = (*pads)[d];
      full[rank + 2 + d] = (*pads)[rank - 2 + d];
    }
    Value padValue = g.op(
        "Reshape", {g.cast(x.zeroPoint, getElementTypeOrSelf(input.getType())),
                    g.ints({})});
    input = g.op("Pad", {input, g.ints(full), padValue, g.noValue()});
    convPads.assign(2 * (rank - 2), 0);
  }
  Value y = g.op("ConvInteger", {input, op.getW(), g.noValue(), g.noValue()},
                 convAttributes(op, b, convPads));
  if (x.zeroPoint)
    y = g.op("Sub", {y, g.op("Mul", {x.zeroPoint, filterSums(g, b, op.getW(),
                                                             op.getW(), 0)})});
  return finish(op, g, y, "ConvInteger");
}

/// QLinearConv as the integer convolution of its operands plus its i32
/// bias, scaled by x_scale * w_scale (per filter) in f32, then quantized.
LogicalResult decomposeQLinearConv(ONNXQLinearConvOp op) {
  OpBuilder b(op);
  GraphBuilder g(b, op.getLoc());
  int64_t rank = rankOf(op.getX());
  if (rank < 3)
    return op.emitError() << "unsupported: QLinearConv of unranked input";
  Type f32 = b.getF32Type();
  Value acc =
      g.op("ConvInteger",
           {op.getX(), op.getW(), op.getXZeroPoint(), op.getWZeroPoint()},
           convAttributes(op, b));
  auto integer =
      acc ? acc.getDefiningOp<ONNXConvIntegerOp>() : ONNXConvIntegerOp();
  if (!isNone(op.getB()))
    acc = g.op("Add", {acc, g.alongDim(op.getB(), 1, rank)});
  Value wScale = g.cast(op.getWScale(), f32);
  if (rankOf(op.getWScale()) == 1)
    wScale = g.alongDim(wScale, 1, rank);
  Value scale = g.op("Mul", {g.cast(op.getXScale(), f32), wScale});
  Value real = g.op("Mul", {g.cast(acc, f32), scale});
  Value y = g.op("QuantizeLinear",
                 {real, g.cast(op.getYScale(), f32), op.getYZeroPoint()});
  if (failed(finish(op, g, y, "QLinearConv")))
    return failure();
  return decomposeConvInteger(integer);
}

/// DynamicQuantizeLinear as ONNX's function body: a uint8 scale and zero
/// point from the range of x widened to include 0, then QuantizeLinear.
LogicalResult decomposeDynamicQuantizeLinear(ONNXDynamicQuantizeLinearOp op) {
  OpBuilder b(op);
  GraphBuilder g(b, op.getLoc());
  Type f32 = b.getF32Type();
  Value x = op.getX();
  Value zero = g.scalar(f32, 0.0), qmax = g.scalar(f32, 255.0);
  Value lo =
      g.op("Min",
           {g.op("ReduceMin", {x, g.noValue()}, {g.i64("keepdims", 0)}), zero});
  Value hi =
      g.op("Max",
           {g.op("ReduceMax", {x, g.noValue()}, {g.i64("keepdims", 0)}), zero});
  Value scale = g.op("Div", {g.op("Sub", {hi, lo}), qmax});
  Value zeroPoint =
      g.op("Cast",
           {g.op("Round",
                 {g.op("Clip", {g.op("Sub", {zero, g.op("Div", {lo, scale})}),
                                zero, qmax})})},
           {g.i64("to", 2)});
  Value y = g.op("QuantizeLinear", {x, scale, zeroPoint});
  if (g.failed) {
    g.erase();
    return op.emitError() << "unsupported: DynamicQuantizeLinear of this input";
  }
  op.getY().replaceAllUsesWith(y);
  op.getYScale().replaceAllUsesWith(scale);
  op.getYZeroPoint().replaceAllUsesWith(zeroPoint);
  op.erase();
  return success();
}

} // namespace kiln::onnx
