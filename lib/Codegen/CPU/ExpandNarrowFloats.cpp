//===- ExpandNarrowFloats.cpp - narrow float code as integer code ---------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// LLVM lowers float8 and float4 types to integers of their width, so their
// conversions must be integer code; and x86 promotes a select of bfloat
// through a libgcc call. This pass writes both as integer arithmetic on the
// bits: conversions round to nearest even, as ONNX's Cast does.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

namespace kiln {
#define GEN_PASS_DEF_EXPANDNARROWFLOATSPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {

/// The layout of a narrow float format: exponent and mantissa bits, bias,
/// the magnitude code of its largest finite value, the code a finite
/// overflow gets (infinity, NaN or the largest value; with the sign), the
/// code of NaN (with the sign unless `plainNaN`), and whether zero is
/// unsigned (FNUZ formats).
struct NarrowFormat {
  unsigned expBits, manBits;
  int64_t bias;
  int64_t maxFinite, overflow;
  std::optional<int64_t> inf;
  int64_t nan;
  bool plainNaN, unsignedZero;
  unsigned width() const { return 1 + expBits + manBits; }
};

std::optional<NarrowFormat> getNarrowFormat(Type type) {
  if (isa<Float8E4M3FNType>(type))
    return NarrowFormat{4, 3, 7, 0x7E, 0x7F, std::nullopt, 0x7F, false, false};
  if (isa<Float8E4M3FNUZType>(type))
    return NarrowFormat{4, 3, 8, 0x7F, 0x80, std::nullopt, 0x80, true, true};
  if (isa<Float8E5M2Type>(type))
    return NarrowFormat{5, 2, 15, 0x7B, 0x7C, 0x7C, 0x7E, false, false};
  if (isa<Float8E5M2FNUZType>(type))
    return NarrowFormat{5, 2, 16, 0x7F, 0x80, std::nullopt, 0x80, true, true};
  // No infinity or NaN: overflow saturates and NaN becomes -0 (0x8), as in
  // ONNX's reference.
  if (isa<Float4E2M1FNType>(type))
    return NarrowFormat{2, 1, 1, 0x7, 0x7, std::nullopt, 0x8, true, false};
  return std::nullopt;
}

/// Integer arithmetic on i32 scalars.
struct Bits {
  OpBuilder &b;
  Location loc;
  Value c(int64_t v) {
    return arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(v));
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value band(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
  Value bor(Value x, Value y) { return arith::OrIOp::create(b, loc, x, y); }
  Value shl(Value x, Value y) { return arith::ShLIOp::create(b, loc, x, y); }
  Value shr(Value x, Value y) { return arith::ShRUIOp::create(b, loc, x, y); }
  Value cmp(arith::CmpIPredicate p, Value x, Value y) {
    return arith::CmpIOp::create(b, loc, p, x, y);
  }
  Value select(Value cond, Value x, Value y) {
    return arith::SelectOp::create(b, loc, cond, x, y);
  }
};

/// f32 -> narrow format, rounding to nearest even; magnitudes past the
/// largest finite value become infinity, else NaN, else (no NaN either)
/// the largest finite value.
Value truncateToNarrow(OpBuilder &b, Location loc, Value x,
                       const NarrowFormat &f, Type resultType) {
  using P = arith::CmpIPredicate;
  Bits i{b, loc};
  int64_t m = f.manBits;
  Value bits = arith::BitcastOp::create(b, loc, b.getI32Type(), x);
  Value sign = i.shr(bits, i.c(31));
  Value mag = i.band(bits, i.c(0x7FFFFFFF));
  Value isNaN = i.cmp(P::ugt, mag, i.c(0x7F800000));
  Value mant = i.band(mag, i.c(0x7FFFFF));
  Value e = i.sub(i.shr(mag, i.c(23)), i.c(127));
  int64_t emin = 1 - f.bias;
  // Normal results: rebias the exponent, drop 23 - m mantissa bits.
  Value kNorm =
      i.add(i.shl(i.add(e, i.c(f.bias)), i.c(m)), i.shr(mant, i.c(23 - m)));
  Value remNorm = i.band(mant, i.c((1 << (23 - m)) - 1));
  Value halfNorm = i.c(1 << (22 - m));
  // Subnormal results: shift the mantissa with its implicit bit right by
  // 23 - m + (emin - e), at most 31 (everything rounds to 0 then).
  Value shift = arith::MinSIOp::create(
      b, loc, i.add(i.c(23 - m + emin), i.sub(i.c(0), e)), i.c(31));
  Value full = i.bor(mant, i.c(0x800000));
  Value kSub = i.shr(full, shift);
  Value remSub = i.band(full, i.sub(i.shl(i.c(1), shift), i.c(1)));
  Value halfSub = i.shl(i.c(1), i.sub(shift, i.c(1)));
  Value isSub = i.cmp(P::slt, e, i.c(emin));
  Value k = i.select(isSub, kSub, kNorm);
  Value rem = i.select(isSub, remSub, remNorm);
  Value half = i.select(isSub, halfSub, halfNorm);
  Value odd = i.cmp(P::ne, i.band(k, i.c(1)), i.c(0));
  Value up = arith::OrIOp::create(
      b, loc, i.cmp(P::ugt, rem, half),
      arith::AndIOp::create(b, loc, i.cmp(P::eq, rem, half), odd));
  k = i.add(k, arith::ExtUIOp::create(b, loc, b.getI32Type(), up));
  k = i.select(i.cmp(P::sgt, k, i.c(f.maxFinite)), i.c(f.overflow), k);
  Value signBit = i.shl(sign, i.c(f.expBits + m));
  Value result = i.bor(k, signBit);
  if (f.unsignedZero) {
    // No negative zero; an overflow to the NaN is the sign bit alone.
    Value plain = arith::OrIOp::create(b, loc, i.cmp(P::eq, k, i.c(0)),
                                       i.cmp(P::eq, k, i.c(f.nan)));
    result = i.select(plain, k, result);
  }
  Value nan = f.plainNaN ? i.c(f.nan) : i.bor(i.c(f.nan), signBit);
  result = i.select(isNaN, nan, result);
  Value narrow =
      arith::TruncIOp::create(b, loc, b.getIntegerType(f.width()), result);
  return arith::BitcastOp::create(b, loc, resultType, narrow);
}

/// Narrow format -> f32, exactly.
Value extendFromNarrow(OpBuilder &b, Location loc, Value x,
                       const NarrowFormat &f) {
  using P = arith::CmpIPredicate;
  Bits i{b, loc};
  int64_t m = f.manBits;
  Value narrow =
      arith::BitcastOp::create(b, loc, b.getIntegerType(f.width()), x);
  Value z = arith::ExtUIOp::create(b, loc, b.getI32Type(), narrow);
  int64_t magBits = f.expBits + m;
  Value mag = i.band(z, i.c((1 << magBits) - 1));
  Value ef = i.shr(mag, i.c(m));
  Value mant = i.band(mag, i.c((1 << m) - 1));
  Type f32 = b.getF32Type();
  Value normal = arith::BitcastOp::create(
      b, loc, f32,
      i.bor(i.shl(i.add(ef, i.c(127 - f.bias)), i.c(23)),
            i.shl(mant, i.c(23 - m))));
  Value sub = arith::MulFOp::create(
      b, loc, arith::UIToFPOp::create(b, loc, f32, mant),
      arith::ConstantOp::create(
          b, loc, b.getF32FloatAttr(std::ldexp(1.0f, 1 - f.bias - m))));
  Value v = i.select(i.cmp(P::eq, ef, i.c(0)), sub, normal);
  Value neg = i.cmp(P::ne, i.shr(z, i.c(magBits)), i.c(0));
  v = i.select(neg, arith::NegFOp::create(b, loc, v), v);
  auto constant = [&](float value) -> Value {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value));
  };
  if (f.inf) {
    Value inf = constant(std::numeric_limits<float>::infinity());
    v = i.select(i.cmp(P::eq, mag, i.c(*f.inf)),
                 i.select(neg, arith::NegFOp::create(b, loc, inf), inf), v);
    v = i.select(i.cmp(P::ugt, mag, i.c(*f.inf)),
                 constant(std::numeric_limits<float>::quiet_NaN()), v);
  } else if (f.width() == 8) {
    // E4M3FN's all-ones magnitude, or the FNUZ formats' sign bit alone
    // (float4 has no NaN).
    Value isNaN = f.unsignedZero ? i.cmp(P::eq, z, i.c(f.nan))
                                 : i.cmp(P::eq, mag, i.c(f.nan));
    v = i.select(isNaN, constant(std::numeric_limits<float>::quiet_NaN()), v);
  }
  return v;
}

struct ExpandNarrowFloatsPass
    : kiln::impl::ExpandNarrowFloatsPassBase<ExpandNarrowFloatsPass> {
  void runOnOperation() override {
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (isa<arith::SelectOp, arith::TruncFOp, arith::ExtFOp>(op))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      OpBuilder b(op);
      Location loc = op->getLoc();
      if (auto select = dyn_cast<arith::SelectOp>(op)) {
        auto type = dyn_cast<FloatType>(select.getType());
        if (!type || !(type.isBF16() || type.getWidth() < 16))
          continue;
        Type bits = b.getIntegerType(type.getWidth());
        auto asBits = [&](Value v) -> Value {
          return arith::BitcastOp::create(b, loc, bits, v);
        };
        Value picked = arith::SelectOp::create(b, loc, select.getCondition(),
                                               asBits(select.getTrueValue()),
                                               asBits(select.getFalseValue()));
        select.replaceAllUsesWith(
            arith::BitcastOp::create(b, loc, type, picked).getResult());
        select.erase();
        continue;
      }
      if (auto trunc = dyn_cast<arith::TruncFOp>(op)) {
        std::optional<NarrowFormat> f = getNarrowFormat(trunc.getType());
        Type in = trunc.getIn().getType();
        if (!f || !(in.isF32() || in.isF16()))
          continue;
        Value x = trunc.getIn();
        if (in.isF16())
          x = arith::ExtFOp::create(b, loc, b.getF32Type(), x);
        trunc.replaceAllUsesWith(
            truncateToNarrow(b, loc, x, *f, trunc.getType()));
        trunc.erase();
        continue;
      }
      auto ext = cast<arith::ExtFOp>(op);
      std::optional<NarrowFormat> f = getNarrowFormat(ext.getIn().getType());
      Type out = ext.getType();
      if (!f || !(out.isF32() || out.isF16()))
        continue;
      Value v = extendFromNarrow(b, loc, ext.getIn(), *f);
      if (out.isF16())
        v = arith::TruncFOp::create(b, loc, out, v);
      ext.replaceAllUsesWith(v);
      ext.erase();
    }
  }
};

} // namespace
