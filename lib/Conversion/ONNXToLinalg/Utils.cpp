//===- Utils.cpp - helpers shared by the onnx-to-linalg patterns ----------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"
#include "PopulatePatterns.h"
#include "kiln/Dialect/ONNX/IR/SlidingWindow.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

using namespace mlir;

namespace kiln::onnx_to_linalg {

RankedTensorType getLowerableType(Type type) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  if (!ranked)
    return {};
  Type elt = ranked.getElementType();
  if (auto i = dyn_cast<IntegerType>(elt); i && !i.isSignless())
    return ranked.clone(IntegerType::get(type.getContext(), i.getWidth()));
  return ranked;
}

bool isUnsignedTensor(Type type) {
  auto i = dyn_cast<IntegerType>(getElementTypeOrSelf(type));
  return i && i.isUnsigned();
}

void buildWidenedProductSum(OpBuilder &b, Location loc, ValueRange args,
                            bool aUnsigned, bool bUnsigned) {
  Type to = args[2].getType();
  auto widen = [&](Value v, bool isUnsigned) -> Value {
    if (v.getType() == to)
      return v;
    if (isUnsigned)
      return arith::ExtUIOp::create(b, loc, to, v);
    return arith::ExtSIOp::create(b, loc, to, v);
  };
  Value product = arith::MulIOp::create(b, loc, widen(args[0], aUnsigned),
                                        widen(args[1], bUnsigned));
  linalg::YieldOp::create(
      b, loc, arith::AddIOp::create(b, loc, product, args[2]).getResult());
}

Value createAdd(OpBuilder &b, Location loc, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return arith::AddFOp::create(b, loc, x, y);
  return arith::AddIOp::create(b, loc, x, y);
}

Value createMul(OpBuilder &b, Location loc, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return arith::MulFOp::create(b, loc, x, y);
  return arith::MulIOp::create(b, loc, x, y);
}

Value createMax(OpBuilder &b, Location loc, Value x, Value y, bool isUnsigned) {
  if (isa<FloatType>(x.getType()))
    return arith::MaximumFOp::create(b, loc, x, y);
  if (isUnsigned || x.getType().isInteger(1))
    return arith::MaxUIOp::create(b, loc, x, y);
  return arith::MaxSIOp::create(b, loc, x, y);
}

Value createMin(OpBuilder &b, Location loc, Value x, Value y, bool isUnsigned) {
  if (isa<FloatType>(x.getType()))
    return arith::MinimumFOp::create(b, loc, x, y);
  if (isUnsigned || x.getType().isInteger(1))
    return arith::MinUIOp::create(b, loc, x, y);
  return arith::MinSIOp::create(b, loc, x, y);
}

Value createCompare(OpBuilder &b, Location loc, arith::CmpIPredicate pred,
                    Value x, Value y, bool isUnsigned) {
  using I = arith::CmpIPredicate;
  if (isa<FloatType>(x.getType())) {
    arith::CmpFPredicate f;
    switch (pred) {
    case I::slt:
      f = arith::CmpFPredicate::OLT;
      break;
    case I::sle:
      f = arith::CmpFPredicate::OLE;
      break;
    case I::sgt:
      f = arith::CmpFPredicate::OGT;
      break;
    case I::sge:
      f = arith::CmpFPredicate::OGE;
      break;
    default:
      f = arith::CmpFPredicate::OEQ;
      break;
    }
    return arith::CmpFOp::create(b, loc, f, x, y);
  }
  if (isUnsigned) {
    switch (pred) {
    case I::slt:
      pred = I::ult;
      break;
    case I::sle:
      pred = I::ule;
      break;
    case I::sgt:
      pred = I::ugt;
      break;
    case I::sge:
      pred = I::uge;
      break;
    default:
      break;
    }
  }
  return arith::CmpIOp::create(b, loc, pred, x, y);
}

Value wrapIndex(OpBuilder &b, Location loc, Value raw, Value size) {
  Value i = arith::IndexCastOp::create(b, loc, b.getIndexType(), raw);
  Value zero = cIndex(b, loc, 0);
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, i, zero);
  i = arith::SelectOp::create(b, loc, negative,
                              arith::AddIOp::create(b, loc, i, size), i);
  i = arith::MaxSIOp::create(b, loc, i, zero);
  Value last = arith::SubIOp::create(b, loc, size, cIndex(b, loc, 1));
  return arith::MinSIOp::create(b, loc, i, last);
}

Value wrapIndex(OpBuilder &b, Location loc, Value raw, int64_t size) {
  return wrapIndex(b, loc, raw, cIndex(b, loc, size));
}

SmallVector<Value> getDynamicSizes(OpBuilder &b, Location loc,
                                   RankedTensorType type,
                                   function_ref<Value(int64_t)> dim) {
  SmallVector<Value> sizes;
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (type.isDynamicDim(i))
      sizes.push_back(dim(i));
  return sizes;
}

OpFoldResult addFoldResults(OpBuilder &b, Location loc, OpFoldResult x,
                            OpFoldResult y) {
  std::optional<int64_t> cx = getConstantIntValue(x),
                         cy = getConstantIntValue(y);
  if (cx && cy)
    return b.getIndexAttr(*cx + *cy);
  return arith::AddIOp::create(b, loc,
                               getValueOrCreateConstantIndexOp(b, loc, x),
                               getValueOrCreateConstantIndexOp(b, loc, y))
      .getResult();
}

Value collapseGroups(OpBuilder &b, Location loc, Value value,
                     ArrayRef<ReassociationIndices> groups) {
  auto type = cast<RankedTensorType>(value.getType());
  if ((int64_t)groups.size() == type.getRank())
    return value;
  SmallVector<int64_t> shape;
  for (const ReassociationIndices &group : groups) {
    int64_t size = 1;
    for (int64_t d : group)
      size = type.isDynamicDim(d) || size == ShapedType::kDynamic
                 ? ShapedType::kDynamic
                 : size * type.getDimSize(d);
    shape.push_back(size);
  }
  return tensor::CollapseShapeOp::create(b, loc, type.clone(shape), value,
                                         groups);
}

Value createFilled(OpBuilder &b, Location loc, RankedTensorType type,
                   TypedAttr value, ValueRange dynamicSizes) {
  Value empty = tensor::EmptyOp::create(b, loc, type, dynamicSizes);
  Value v = arith::ConstantOp::create(b, loc, value);
  return linalg::FillOp::create(b, loc, v, empty).getResult(0);
}

Value padSpatial(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> pads,
                 TypedAttr padValue) {
  auto type = cast<RankedTensorType>(x.getType());
  size_t spatial = type.getRank() - 2;
  if (llvm::all_of(pads, [](int64_t p) { return p == 0; }))
    return x;
  SmallVector<OpFoldResult> low(2, b.getIndexAttr(0)),
      high(2, b.getIndexAttr(0));
  SmallVector<int64_t> shape(type.getShape());
  for (size_t i = 0; i < spatial; ++i) {
    low.push_back(b.getIndexAttr(pads[i]));
    high.push_back(b.getIndexAttr(pads[i + spatial]));
    if (!ShapedType::isDynamic(shape[i + 2]))
      shape[i + 2] += pads[i] + pads[i + spatial];
  }
  auto padded = RankedTensorType::get(shape, type.getElementType());
  Value v = arith::ConstantOp::create(b, loc, padValue);
  return tensor::PadOp::create(b, loc, padded, x, low, high, v);
}

Value addPerChannel(OpBuilder &b, Location loc, Value x, Value bias) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps = {
      b.getMultiDimIdentityMap(rank),
      AffineMap::get(rank, 0, {b.getAffineDimExpr(1)}, ctx),
      b.getMultiDimIdentityMap(rank)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, type, ValueRange{x, bias}, ValueRange{x}, maps, iterators,
             [](OpBuilder &bb, Location l, ValueRange args) {
               yieldValue(bb, l,
                          arith::AddFOp::create(bb, l, args[0], args[1]));
             })
      .getResult(0);
}

Value createPerChannel(OpBuilder &b, Location loc, RankedTensorType type,
                       Value bias) {
  int64_t rank = type.getRank();
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps = {
      AffineMap::get(rank, 0, {b.getAffineDimExpr(1)}, ctx),
      b.getMultiDimIdentityMap(rank)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  Value empty =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  return linalg::GenericOp::create(
             b, loc, type, ValueRange{bias}, ValueRange{empty}, maps, iterators,
             [](OpBuilder &bb, Location l, ValueRange args) {
               yieldValue(bb, l, args[0]);
             })
      .getResult(0);
}

} // namespace kiln::onnx_to_linalg

namespace kiln::onnx_to_linalg {

std::optional<Window> getWindow(StringRef autoPad, ArrayAttr stridesAttr,
                                ArrayAttr dilationsAttr, ArrayAttr padsAttr,
                                ArrayRef<int64_t> inSpatial,
                                ArrayRef<int64_t> kernel) {
  size_t n = inSpatial.size();
  Window w;
  w.strides =
      stridesAttr ? onnx::getI64s(stridesAttr) : SmallVector<int64_t>(n, 1);
  w.dilations =
      dilationsAttr ? onnx::getI64s(dilationsAttr) : SmallVector<int64_t>(n, 1);
  if (autoPad == "VALID" || (autoPad == "NOTSET" && !padsAttr)) {
    w.pads.assign(2 * n, 0);
    return w;
  }
  if (autoPad == "NOTSET") {
    w.pads = onnx::getI64s(padsAttr);
    return w;
  }
  // SAME_UPPER / SAME_LOWER, by the rule shape inference uses.
  std::optional<onnx::AutoPad> same = onnx::parseAutoPad(autoPad);
  if (!same)
    return std::nullopt;
  w.pads.resize(2 * n);
  for (size_t i = 0; i < n; ++i) {
    if (ShapedType::isDynamic(inSpatial[i]))
      return std::nullopt;
    std::tie(w.pads[i], w.pads[i + n]) = onnx::getSamePads(
        inSpatial[i], kernel[i], w.strides[i], w.dilations[i], *same);
  }
  return w;
}

std::optional<DynamicWindow>
getDynamicWindow(OpBuilder &b, Location loc, Value x, RankedTensorType result,
                 ArrayRef<int64_t> kernel, StringRef autoPad,
                 ArrayAttr stridesAttr, ArrayAttr dilationsAttr,
                 ArrayAttr padsAttr, bool ceilMode) {
  SmallVector<Value> sizes;
  for (int64_t k : kernel)
    sizes.push_back(cIndex(b, loc, k));
  return getDynamicWindow(b, loc, x, result, sizes, autoPad, stridesAttr,
                          dilationsAttr, padsAttr, ceilMode);
}

std::optional<DynamicWindow>
getDynamicWindow(OpBuilder &b, Location loc, Value x, RankedTensorType result,
                 ArrayRef<Value> kernel, StringRef autoPad,
                 ArrayAttr stridesAttr, ArrayAttr dilationsAttr,
                 ArrayAttr padsAttr, bool ceilMode) {
  size_t n = kernel.size();
  DynamicWindow w;
  w.strides =
      stridesAttr ? onnx::getI64s(stridesAttr) : SmallVector<int64_t>(n, 1);
  w.dilations =
      dilationsAttr ? onnx::getI64s(dilationsAttr) : SmallVector<int64_t>(n, 1);
  SmallVector<int64_t> pads =
      padsAttr ? onnx::getI64s(padsAttr) : SmallVector<int64_t>(2 * n, 0);
  if (w.strides.size() != n || w.dilations.size() != n || pads.size() != 2 * n)
    return std::nullopt;
  auto c = [&](int64_t v) { return cIndex(b, loc, v); };
  for (size_t i = 0; i < n; ++i) {
    Value in = getDimValue(b, loc, x, i + 2);
    Value s = c(w.strides[i]);
    // (kernel - 1) * dilation + 1
    Value extent = arith::AddIOp::create(
        b, loc,
        arith::MulIOp::create(b, loc,
                              arith::SubIOp::create(b, loc, kernel[i], c(1)),
                              c(w.dilations[i])),
        c(1));
    Value lo, hi, out;
    if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
      // Output ceil(in / stride); the odd pad at the end (UPPER) or start.
      out = arith::CeilDivSIOp::create(b, loc, in, s);
      Value span = arith::AddIOp::create(
          b, loc,
          arith::MulIOp::create(b, loc,
                                arith::SubIOp::create(b, loc, out, c(1)), s),
          extent);
      Value total = arith::MaxSIOp::create(
          b, loc, arith::SubIOp::create(b, loc, span, in), c(0));
      Value small = arith::DivSIOp::create(b, loc, total, c(2));
      Value large = arith::SubIOp::create(b, loc, total, small);
      lo = autoPad == "SAME_UPPER" ? small : large;
      hi = autoPad == "SAME_UPPER" ? large : small;
    } else {
      bool valid = autoPad == "VALID";
      lo = c(valid ? 0 : pads[i]);
      hi = c(valid ? 0 : pads[i + n]);
      Value room = arith::SubIOp::create(
          b, loc,
          arith::AddIOp::create(b, loc, in,
                                arith::AddIOp::create(b, loc, lo, hi)),
          extent);
      out = arith::AddIOp::create(
          b, loc,
          ceilMode ? (Value)arith::CeilDivSIOp::create(b, loc, room, s)
                   : (Value)arith::FloorDivSIOp::create(b, loc, room, s),
          c(1));
      if (ceilMode) {
        // A last window that would start in the end padding is dropped.
        Value lastStart = arith::MulIOp::create(
            b, loc, arith::SubIOp::create(b, loc, out, c(1)), s);
        Value inPadding =
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, lastStart,
                                  arith::AddIOp::create(b, loc, in, lo));
        out = arith::SelectOp::create(
            b, loc, inPadding, arith::SubIOp::create(b, loc, out, c(1)), out);
      }
    }
    if (!result.isDynamicDim(i + 2))
      out = c(result.getDimSize(i + 2));
    w.declaredHigh.push_back(hi);
    // The end padding grows so the last window fits (ceil_mode).
    Value need = arith::AddIOp::create(
        b, loc,
        arith::MulIOp::create(b, loc, arith::SubIOp::create(b, loc, out, c(1)),
                              s),
        extent);
    Value have = arith::AddIOp::create(b, loc, in,
                                       arith::AddIOp::create(b, loc, lo, hi));
    hi = arith::AddIOp::create(
        b, loc, hi,
        arith::MaxSIOp::create(
            b, loc, arith::SubIOp::create(b, loc, need, have), c(0)));
    w.low.push_back(lo);
    w.high.push_back(hi);
    w.in.push_back(in);
    w.out.push_back(out);
  }
  return w;
}

Value padSpatial(OpBuilder &b, Location loc, Value x, ArrayRef<Value> low,
                 ArrayRef<Value> high, TypedAttr padValue) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<OpFoldResult> lo(2, b.getIndexAttr(0)), hi(2, b.getIndexAttr(0));
  SmallVector<int64_t> shape(type.getShape());
  for (size_t i = 0; i < low.size(); ++i) {
    lo.push_back(getAsOpFoldResult(low[i]));
    hi.push_back(getAsOpFoldResult(high[i]));
    shape[i + 2] = ShapedType::kDynamic;
  }
  auto padded = RankedTensorType::get(shape, type.getElementType());
  Value v = arith::ConstantOp::create(b, loc, padValue);
  return tensor::PadOp::create(b, loc, padded, x, lo, hi, v);
}

} // namespace kiln::onnx_to_linalg

namespace kiln::onnx_to_linalg {

Value mapElementwise(OpBuilder &b, Location loc, Value input,
                     function_ref<Value(OpBuilder &, Location, Value)> fn) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  SmallVector<AffineMap> maps(2, b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, type, input, input, maps, iterators,
             [&](OpBuilder &bb, Location l, ValueRange a) {
               yieldValue(bb, l, fn(bb, l, a[0]));
             })
      .getResult(0);
}

SmallVector<Value> readIndexElements(ConversionPatternRewriter &b, Location loc,
                                     Value original, Value converted,
                                     int64_t n) {
  std::optional<SmallVector<Value>> given = getShapeElements(b, loc, original);
  if (given && (int64_t)given->size() == n)
    return *given;
  SmallVector<Value> values;
  for (int64_t i = 0; i < n; ++i) {
    Value v = tensor::ExtractOp::create(b, loc, converted,
                                        ValueRange{cIndex(b, loc, i)});
    values.push_back(arith::IndexCastOp::create(b, loc, b.getIndexType(), v));
  }
  return values;
}

Value castFloat(OpBuilder &b, Location loc, Value v, FloatType to) {
  auto from = cast<FloatType>(v.getType());
  if (from == to)
    return v;
  if (from.getWidth() < to.getWidth())
    return arith::ExtFOp::create(b, loc, to, v);
  // Two formats of one width (bf16 and f16, the float8s): through f32,
  // which holds every value of each exactly.
  if (from.getWidth() == to.getWidth())
    v = arith::ExtFOp::create(b, loc, b.getF32Type(), v);
  return arith::TruncFOp::create(b, loc, to, v);
}

Value toF32(OpBuilder &b, Location loc, Value v, bool isUnsigned) {
  if (isa<FloatType>(v.getType()))
    return castFloat(b, loc, v, b.getF32Type());
  return isUnsigned ? (Value)arith::UIToFPOp::create(b, loc, b.getF32Type(), v)
                    : (Value)arith::SIToFPOp::create(b, loc, b.getF32Type(), v);
}

} // namespace kiln::onnx_to_linalg
