//===- Elementwise.cpp - elementwise onnx ops to linalg.generic -----------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "PopulatePatterns.h"
#include "Utils.h"

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace kiln::onnx;

namespace kiln::onnx_to_linalg {

namespace {

/// Scalar computations, by element kind.
struct Scalar {
  OpBuilder &b;
  Location loc;
  /// Integer operands are unsigned in the onnx types.
  bool isUnsigned = false;
  bool isFloat(Value v) { return isa<FloatType>(v.getType()); }
  Value constant(Type t, double v) {
    if (isa<FloatType>(t))
      return arith::ConstantOp::create(b, loc, t, b.getFloatAttr(t, v));
    return arith::ConstantOp::create(b, loc, t,
                                     b.getIntegerAttr(t, (int64_t)v));
  }
  Value add(Value x, Value y) { return createAdd(b, loc, x, y); }
  Value mul(Value x, Value y) { return createMul(b, loc, x, y); }
  Value min(Value x, Value y) { return createMin(b, loc, x, y, isUnsigned); }
  Value max(Value x, Value y) { return createMax(b, loc, x, y, isUnsigned); }
  Value div(Value x, Value y) {
    if (isFloat(x))
      return arith::DivFOp::create(b, loc, x, y);
    y = safeDivisor(y);
    if (isUnsigned)
      return arith::DivUIOp::create(b, loc, x, y);
    // x / -1 is -x (wrapping), which also avoids INT_MIN / -1 trapping.
    Value minusOne = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, y,
                                           constant(y.getType(), -1));
    Value negated = arith::SubIOp::create(b, loc, constant(x.getType(), 0), x);
    Value safeY = select(minusOne, constant(y.getType(), 1), y);
    return select(minusOne, negated, arith::DivSIOp::create(b, loc, x, safeY));
  }
  /// Integer division by zero traps on x86: the compiled code divides by 1
  /// instead (ONNX leaves the result undefined; the program must not die).
  Value safeDivisor(Value y) {
    Value zero = constant(y.getType(), 0);
    Value isZero =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, y, zero);
    return select(isZero, constant(y.getType(), 1), y);
  }
  /// x < y (ordered for floats, by the signedness for integers).
  Value less(Value x, Value y) {
    return createCompare(b, loc, arith::CmpIPredicate::slt, x, y, isUnsigned);
  }
  Value select(Value c, Value x, Value y) {
    return arith::SelectOp::create(b, loc, c, x, y);
  }
  Value exp(Value x) { return math::ExpOp::create(b, loc, x); }
  /// A float to an integer of fewer than 8 bits as ONNX's reference casts
  /// (ml_dtypes): truncated toward zero, 0 when out of range or NaN. A
  /// direct fptosi would be poison there, and its value up to the CPU.
  Value toNarrowInt(Value v, Type to, bool toUnsigned) {
    unsigned w = to.getIntOrFloatBitWidth();
    double lo = toUnsigned ? 0 : -double(1 << (w - 1));
    double hi = toUnsigned ? double((1 << w) - 1) : double((1 << (w - 1)) - 1);
    Type from = v.getType();
    Value inRange = arith::AndIOp::create(
        b, loc,
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, v,
                              constant(from, lo - 1)),
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, v,
                              constant(from, hi + 1)));
    Value safe = select(inRange, v, constant(from, 0));
    Value wide = arith::FPToSIOp::create(b, loc, b.getI8Type(), safe);
    return arith::TruncIOp::create(b, loc, to, wide);
  }
  /// `v` converted to `to` with ONNX Cast semantics (bool is 0/1, float to
  /// int truncates); integers are unsigned where the flags say so.
  Value convert(Value v, Type to, bool fromUnsigned = false,
                bool toUnsigned = false) {
    Type from = v.getType();
    if (from == to)
      return v;
    auto fromF = dyn_cast<FloatType>(from), toF = dyn_cast<FloatType>(to);
    if (to.isInteger(1)) {
      if (fromF)
        return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, v,
                                     constant(from, 0));
      return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, v,
                                   constant(from, 0));
    }
    if (fromF && toF)
      return castFloat(b, loc, v, toF);
    if (fromF && to.getIntOrFloatBitWidth() < 8)
      return toNarrowInt(v, to, toUnsigned);
    if (fromF)
      return toUnsigned ? (Value)arith::FPToUIOp::create(b, loc, to, v)
                        : (Value)arith::FPToSIOp::create(b, loc, to, v);
    bool zeroExtend = from.isInteger(1) || fromUnsigned;
    if (toF)
      return zeroExtend ? (Value)arith::UIToFPOp::create(b, loc, to, v)
                        : (Value)arith::SIToFPOp::create(b, loc, to, v);
    unsigned fw = from.getIntOrFloatBitWidth(), tw = to.getIntOrFloatBitWidth();
    if (fw < tw)
      return zeroExtend ? (Value)arith::ExtUIOp::create(b, loc, to, v)
                        : (Value)arith::ExtSIOp::create(b, loc, to, v);
    return arith::TruncIOp::create(b, loc, to, v);
  }
};

/// One lowering per elementwise op: the scalar function of its operands.
template <typename Op> struct ScalarFn;

#define KILN_FLOAT_INT_BINARY(OP, FOP, IOP)                                    \
  template <> struct ScalarFn<OP> {                                            \
    static Value build(Scalar &s, OP, ValueRange a) {                          \
      if (s.isFloat(a[0]))                                                     \
        return FOP::create(s.b, s.loc, a[0], a[1]);                            \
      return IOP::create(s.b, s.loc, a[0], a[1]);                              \
    }                                                                          \
  };
KILN_FLOAT_INT_BINARY(ONNXAddOp, arith::AddFOp, arith::AddIOp)
KILN_FLOAT_INT_BINARY(ONNXSubOp, arith::SubFOp, arith::SubIOp)
KILN_FLOAT_INT_BINARY(ONNXMulOp, arith::MulFOp, arith::MulIOp)
#undef KILN_FLOAT_INT_BINARY

template <> struct ScalarFn<ONNXDivOp> {
  static Value build(Scalar &s, ONNXDivOp, ValueRange a) {
    return s.div(a[0], a[1]);
  }
};

#define KILN_FLOAT_UNARY(OP, FOP)                                              \
  template <> struct ScalarFn<OP> {                                            \
    static Value build(Scalar &s, OP, ValueRange a) {                          \
      return FOP::create(s.b, s.loc, a[0]);                                    \
    }                                                                          \
  };
KILN_FLOAT_UNARY(ONNXExpOp, math::ExpOp)
KILN_FLOAT_UNARY(ONNXLogOp, math::LogOp)
KILN_FLOAT_UNARY(ONNXSqrtOp, math::SqrtOp)
KILN_FLOAT_UNARY(ONNXTanhOp, math::TanhOp)
KILN_FLOAT_UNARY(ONNXErfOp, math::ErfOp)
KILN_FLOAT_UNARY(ONNXFloorOp, math::FloorOp)
KILN_FLOAT_UNARY(ONNXCeilOp, math::CeilOp)
KILN_FLOAT_UNARY(ONNXSinOp, math::SinOp)
KILN_FLOAT_UNARY(ONNXCosOp, math::CosOp)
KILN_FLOAT_UNARY(ONNXTanOp, math::TanOp)
KILN_FLOAT_UNARY(ONNXAsinOp, math::AsinOp)
KILN_FLOAT_UNARY(ONNXAcosOp, math::AcosOp)
KILN_FLOAT_UNARY(ONNXAtanOp, math::AtanOp)
KILN_FLOAT_UNARY(ONNXSinhOp, math::SinhOp)
KILN_FLOAT_UNARY(ONNXCoshOp, math::CoshOp)
KILN_FLOAT_UNARY(ONNXAsinhOp, math::AsinhOp)
KILN_FLOAT_UNARY(ONNXAcoshOp, math::AcoshOp)
KILN_FLOAT_UNARY(ONNXAtanhOp, math::AtanhOp)
KILN_FLOAT_UNARY(ONNXRoundOp, math::RoundEvenOp)
#undef KILN_FLOAT_UNARY

template <> struct ScalarFn<ONNXNegOp> {
  static Value build(Scalar &s, ONNXNegOp, ValueRange a) {
    if (s.isFloat(a[0]))
      return arith::NegFOp::create(s.b, s.loc, a[0]);
    return arith::SubIOp::create(s.b, s.loc, s.constant(a[0].getType(), 0),
                                 a[0]);
  }
};

template <> struct ScalarFn<ONNXAbsOp> {
  static Value build(Scalar &s, ONNXAbsOp, ValueRange a) {
    if (s.isFloat(a[0]))
      return math::AbsFOp::create(s.b, s.loc, a[0]);
    return math::AbsIOp::create(s.b, s.loc, a[0]);
  }
};

template <> struct ScalarFn<ONNXReluOp> {
  static Value build(Scalar &s, ONNXReluOp, ValueRange a) {
    Value zero = s.constant(a[0].getType(), 0);
    if (s.isFloat(a[0]))
      return arith::MaximumFOp::create(s.b, s.loc, a[0], zero);
    return arith::MaxSIOp::create(s.b, s.loc, a[0], zero);
  }
};

template <> struct ScalarFn<ONNXLeakyReluOp> {
  static Value build(Scalar &s, ONNXLeakyReluOp op, ValueRange a) {
    Type t = a[0].getType();
    Value zero = s.constant(t, 0);
    Value scaled = arith::MulFOp::create(
        s.b, s.loc, a[0], s.constant(t, op.getAlpha().convertToDouble()));
    Value positive = arith::CmpFOp::create(
        s.b, s.loc, arith::CmpFPredicate::OGT, a[0], zero);
    return arith::SelectOp::create(s.b, s.loc, positive, a[0], scaled);
  }
};

template <> struct ScalarFn<ONNXSigmoidOp> {
  static Value build(Scalar &s, ONNXSigmoidOp, ValueRange a) {
    // 1 / (1 + exp(-x))
    Type t = a[0].getType();
    Value e = math::ExpOp::create(s.b, s.loc,
                                  arith::NegFOp::create(s.b, s.loc, a[0]));
    Value one = s.constant(t, 1);
    return arith::DivFOp::create(s.b, s.loc, one,
                                 arith::AddFOp::create(s.b, s.loc, one, e));
  }
};

template <> struct ScalarFn<ONNXSwishOp> {
  static Value build(Scalar &s, ONNXSwishOp op, ValueRange a) {
    // x * sigmoid(alpha * x) = x / (1 + exp(-alpha * x))
    Type t = a[0].getType();
    Value ax = arith::MulFOp::create(
        s.b, s.loc, a[0], s.constant(t, op.getAlpha().convertToDouble()));
    Value e =
        math::ExpOp::create(s.b, s.loc, arith::NegFOp::create(s.b, s.loc, ax));
    return arith::DivFOp::create(
        s.b, s.loc, a[0],
        arith::AddFOp::create(s.b, s.loc, s.constant(t, 1), e));
  }
};

template <> struct ScalarFn<ONNXBitCastOp> {
  static Value build(Scalar &s, ONNXBitCastOp op, ValueRange a) {
    Type to = getLowerableType(op.getType()).getElementType();
    Value v = a[0];
    // bool is one byte holding 0 or 1.
    if (v.getType().isInteger(1))
      return arith::ExtUIOp::create(s.b, s.loc, to, v);
    if (to.isInteger(1))
      return arith::TruncIOp::create(s.b, s.loc, to, v);
    if (v.getType() == to)
      return v;
    return arith::BitcastOp::create(s.b, s.loc, to, v);
  }
};

template <> struct ScalarFn<ONNXGeluOp> {
  static Value build(Scalar &s, ONNXGeluOp op, ValueRange a) {
    // none: x/2 (1 + erf(x / sqrt 2)); tanh: x/2 (1 + tanh(sqrt(2/pi)
    // (x + 0.044715 x^3))).
    Type t = a[0].getType();
    Value x = a[0];
    Value inner;
    if (op.getApproximate() == "tanh") {
      Value x3 = arith::MulFOp::create(s.b, s.loc, x,
                                       arith::MulFOp::create(s.b, s.loc, x, x));
      Value poly = arith::AddFOp::create(
          s.b, s.loc, x,
          arith::MulFOp::create(s.b, s.loc, x3, s.constant(t, 0.044715)));
      inner = math::TanhOp::create(
          s.b, s.loc,
          arith::MulFOp::create(s.b, s.loc, poly,
                                s.constant(t, 0.7978845608028654)));
    } else {
      inner = math::ErfOp::create(
          s.b, s.loc,
          arith::MulFOp::create(s.b, s.loc, x,
                                s.constant(t, 0.7071067811865476)));
    }
    Value half = arith::MulFOp::create(s.b, s.loc, x, s.constant(t, 0.5));
    return arith::MulFOp::create(
        s.b, s.loc, half,
        arith::AddFOp::create(s.b, s.loc, inner, s.constant(t, 1.0)));
  }
};

template <> struct ScalarFn<ONNXWhereOp> {
  static Value build(Scalar &s, ONNXWhereOp, ValueRange a) {
    return arith::SelectOp::create(s.b, s.loc, a[0], a[1], a[2]);
  }
};

template <> struct ScalarFn<ONNXReciprocalOp> {
  static Value build(Scalar &s, ONNXReciprocalOp, ValueRange a) {
    return arith::DivFOp::create(s.b, s.loc, s.constant(a[0].getType(), 1),
                                 a[0]);
  }
};

template <> struct ScalarFn<ONNXSignOp> {
  static Value build(Scalar &s, ONNXSignOp, ValueRange a) {
    Type t = a[0].getType();
    Value zero = s.constant(t, 0);
    Value sign =
        s.select(s.less(zero, a[0]), s.constant(t, 1),
                 s.select(s.less(a[0], zero), s.constant(t, -1), zero));
    if (!s.isFloat(a[0]))
      return sign;
    // NaN stays NaN.
    Value isNaN = arith::CmpFOp::create(s.b, s.loc, arith::CmpFPredicate::UNO,
                                        a[0], a[0]);
    return s.select(isNaN, a[0], sign);
  }
};

template <> struct ScalarFn<ONNXNotOp> {
  static Value build(Scalar &s, ONNXNotOp, ValueRange a) {
    return arith::XOrIOp::create(s.b, s.loc, a[0],
                                 s.constant(a[0].getType(), 1));
  }
};

template <> struct ScalarFn<ONNXSoftplusOp> {
  static Value build(Scalar &s, ONNXSoftplusOp, ValueRange a) {
    // log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|)), stable for large |x|.
    Value x = a[0];
    Value negAbs =
        arith::NegFOp::create(s.b, s.loc, math::AbsFOp::create(s.b, s.loc, x));
    Value tail = math::Log1pOp::create(s.b, s.loc, s.exp(negAbs));
    return arith::AddFOp::create(s.b, s.loc,
                                 s.max(x, s.constant(x.getType(), 0)), tail);
  }
};

template <> struct ScalarFn<ONNXSoftsignOp> {
  static Value build(Scalar &s, ONNXSoftsignOp, ValueRange a) {
    Value denom =
        arith::AddFOp::create(s.b, s.loc, s.constant(a[0].getType(), 1),
                              math::AbsFOp::create(s.b, s.loc, a[0]));
    return arith::DivFOp::create(s.b, s.loc, a[0], denom);
  }
};

template <> struct ScalarFn<ONNXMishOp> {
  static Value build(Scalar &s, ONNXMishOp op, ValueRange a) {
    Value sp = ScalarFn<ONNXSoftplusOp>::build(s, {}, a);
    return arith::MulFOp::create(s.b, s.loc, a[0],
                                 math::TanhOp::create(s.b, s.loc, sp));
  }
};

/// alpha * (exp(x) - 1) for x <= 0, else x.
Value expLinear(Scalar &s, Value x, double alpha) {
  Type t = x.getType();
  Value neg = arith::MulFOp::create(s.b, s.loc, s.constant(t, alpha),
                                    math::ExpM1Op::create(s.b, s.loc, x));
  return s.select(s.less(s.constant(t, 0), x), x, neg);
}

template <> struct ScalarFn<ONNXEluOp> {
  static Value build(Scalar &s, ONNXEluOp op, ValueRange a) {
    return expLinear(s, a[0], op.getAlpha().convertToDouble());
  }
};

template <> struct ScalarFn<ONNXSeluOp> {
  static Value build(Scalar &s, ONNXSeluOp op, ValueRange a) {
    return arith::MulFOp::create(
        s.b, s.loc, s.constant(a[0].getType(), op.getGamma().convertToDouble()),
        expLinear(s, a[0], op.getAlpha().convertToDouble()));
  }
};

template <> struct ScalarFn<ONNXCeluOp> {
  static Value build(Scalar &s, ONNXCeluOp op, ValueRange a) {
    // max(0, x) + min(0, alpha * (exp(x / alpha) - 1))
    Type t = a[0].getType();
    double alpha = op.getAlpha().convertToDouble();
    Value zero = s.constant(t, 0);
    Value scaled =
        arith::DivFOp::create(s.b, s.loc, a[0], s.constant(t, alpha));
    Value neg =
        arith::MulFOp::create(s.b, s.loc, s.constant(t, alpha),
                              math::ExpM1Op::create(s.b, s.loc, scaled));
    return arith::AddFOp::create(s.b, s.loc, s.max(zero, a[0]),
                                 s.min(zero, neg));
  }
};

/// max(0, min(1, alpha * x + beta))
Value hardSigmoid(Scalar &s, Value x, double alpha, double beta) {
  Type t = x.getType();
  Value v = arith::AddFOp::create(
      s.b, s.loc, arith::MulFOp::create(s.b, s.loc, x, s.constant(t, alpha)),
      s.constant(t, beta));
  return s.max(s.constant(t, 0), s.min(s.constant(t, 1), v));
}

template <> struct ScalarFn<ONNXHardSigmoidOp> {
  static Value build(Scalar &s, ONNXHardSigmoidOp op, ValueRange a) {
    return hardSigmoid(s, a[0], op.getAlpha().convertToDouble(),
                       op.getBeta().convertToDouble());
  }
};

template <> struct ScalarFn<ONNXHardSwishOp> {
  static Value build(Scalar &s, ONNXHardSwishOp, ValueRange a) {
    return arith::MulFOp::create(s.b, s.loc, a[0],
                                 hardSigmoid(s, a[0], 1.0 / 6, 0.5));
  }
};

template <> struct ScalarFn<ONNXThresholdedReluOp> {
  static Value build(Scalar &s, ONNXThresholdedReluOp op, ValueRange a) {
    Type t = a[0].getType();
    return s.select(
        s.less(s.constant(t, op.getAlpha().convertToDouble()), a[0]), a[0],
        s.constant(t, 0));
  }
};

template <> struct ScalarFn<ONNXShrinkOp> {
  static Value build(Scalar &s, ONNXShrinkOp op, ValueRange a) {
    Type t = a[0].getType();
    double lambd = op.getLambd().convertToDouble();
    double bias = op.getBias().convertToDouble();
    Value x = a[0];
    Value below = s.less(x, s.constant(t, -lambd));
    Value above = s.less(s.constant(t, lambd), x);
    Value up = s.add(x, s.constant(t, bias));
    Value down = s.add(x, s.constant(t, -bias));
    return s.select(below, up, s.select(above, down, s.constant(t, 0)));
  }
};

template <> struct ScalarFn<ONNXPReluOp> {
  static Value build(Scalar &s, ONNXPReluOp, ValueRange a) {
    Value zero = s.constant(a[0].getType(), 0);
    return s.select(s.less(a[0], zero), s.mul(a[0], a[1]), a[0]);
  }
};

template <> struct ScalarFn<ONNXIsNaNOp> {
  static Value build(Scalar &s, ONNXIsNaNOp, ValueRange a) {
    return arith::CmpFOp::create(s.b, s.loc, arith::CmpFPredicate::UNO, a[0],
                                 a[0]);
  }
};

template <> struct ScalarFn<ONNXIsInfOp> {
  static Value build(Scalar &s, ONNXIsInfOp op, ValueRange a) {
    Type t = a[0].getType();
    const llvm::fltSemantics &sem = cast<FloatType>(t).getFloatSemantics();
    Value result = s.constant(s.b.getI1Type(), 0);
    for (bool negative : {false, true}) {
      if (negative ? !op.getDetectNegative() : !op.getDetectPositive())
        continue;
      Value inf = arith::ConstantOp::create(
          s.b, s.loc, t, s.b.getFloatAttr(t, APFloat::getInf(sem, negative)));
      Value hit = arith::CmpFOp::create(s.b, s.loc, arith::CmpFPredicate::OEQ,
                                        a[0], inf);
      result = arith::OrIOp::create(s.b, s.loc, result, hit);
    }
    return result;
  }
};

template <> struct ScalarFn<ONNXPowOp> {
  static Value build(Scalar &s, ONNXPowOp op, ValueRange a) {
    Type resultType = getLowerableType(op.getZ().getType()).getElementType();
    // Integer operands are computed in f64: exact for every value an
    // integer result can hold without overflow.
    Type computeType =
        isa<FloatType>(resultType) ? resultType : (Type)s.b.getF64Type();
    Value base =
        s.convert(a[0], computeType, isUnsignedTensor(op.getX().getType()));
    Value exponent =
        s.convert(a[1], computeType, isUnsignedTensor(op.getY().getType()));
    Value pow = math::PowFOp::create(s.b, s.loc, base, exponent);
    if (isa<FloatType>(resultType))
      return pow;
    return s.convert(math::RoundEvenOp::create(s.b, s.loc, pow),
                     getLowerableType(op.getZ().getType()).getElementType(),
                     false, isUnsignedTensor(op.getZ().getType()));
  }
};

template <> struct ScalarFn<ONNXModOp> {
  static Value build(Scalar &s, ONNXModOp op, ValueRange a) {
    Value x = a[0], y = a[1];
    Value r;
    if (s.isFloat(x))
      r = arith::RemFOp::create(s.b, s.loc, x, y); // fmod
    else if (s.isUnsigned)
      return arith::RemUIOp::create(s.b, s.loc, x, s.safeDivisor(y));
    else {
      // x % -1 is 0; avoids INT_MIN % -1 trapping.
      Value minusOne = arith::CmpIOp::create(
          s.b, s.loc, arith::CmpIPredicate::eq, y, s.constant(y.getType(), -1));
      Value safeY =
          s.select(minusOne, s.constant(y.getType(), 1), s.safeDivisor(y));
      r = arith::RemSIOp::create(s.b, s.loc, x, safeY);
    }
    if (op.getFmod())
      return r;
    // Python's mod: the result takes the divisor's sign.
    Value zero = s.constant(x.getType(), 0);
    Value nonzero = s.isFloat(x)
                        ? (Value)arith::CmpFOp::create(
                              s.b, s.loc, arith::CmpFPredicate::UNE, r, zero)
                        : (Value)arith::CmpIOp::create(
                              s.b, s.loc, arith::CmpIPredicate::ne, r, zero);
    Value signsDiffer =
        arith::XOrIOp::create(s.b, s.loc, s.less(r, zero), s.less(y, zero));
    Value fix = arith::AndIOp::create(s.b, s.loc, nonzero, signsDiffer);
    return s.select(fix, s.add(r, y), r);
  }
};

template <typename Op> struct CastFn {
  static Value build(Scalar &s, Op op, ValueRange a) {
    Type to = getLowerableType(op.getType()).getElementType();
    Value v = a[0];
    auto toF = dyn_cast<FloatType>(to);
    if (toF && toF.getWidth() == 8 && isa<FloatType>(v.getType()) &&
        op.getSaturate() != 0) {
      // Saturating casts to float8 clamp to the largest finite value
      // (NaN stays NaN); the conversion then rounds.
      double largest =
          llvm::APFloat::getLargest(toF.getFloatSemantics()).convertToDouble();
      v = arith::MinimumFOp::create(
          s.b, s.loc,
          arith::MaximumFOp::create(s.b, s.loc, v,
                                    s.constant(v.getType(), -largest)),
          s.constant(v.getType(), largest));
    }
    return s.convert(v, to, isUnsignedTensor(op.getInput().getType()),
                     isUnsignedTensor(op.getType()));
  }
};
template <> struct ScalarFn<ONNXCastOp> : CastFn<ONNXCastOp> {};
template <> struct ScalarFn<ONNXCastLikeOp> : CastFn<ONNXCastLikeOp> {};

template <> struct ScalarFn<ONNXBitShiftOp> {
  static Value build(Scalar &s, ONNXBitShiftOp op, ValueRange a) {
    // Shifting by the width or more gives 0, as in the reference; a signed
    // right shift fills with the sign (a count read as unsigned, so a
    // negative count is "too wide" too).
    Type t = a[0].getType();
    unsigned width = t.getIntOrFloatBitWidth();
    if (!s.isUnsigned && op.getDirection() == "RIGHT") {
      Value count =
          arith::MinUIOp::create(s.b, s.loc, a[1], s.constant(t, width - 1));
      return arith::ShRSIOp::create(s.b, s.loc, a[0], count);
    }
    Value shifted = op.getDirection() == "LEFT"
                        ? (Value)arith::ShLIOp::create(s.b, s.loc, a[0], a[1])
                        : (Value)arith::ShRUIOp::create(s.b, s.loc, a[0], a[1]);
    Value inRange = arith::CmpIOp::create(s.b, s.loc, arith::CmpIPredicate::ult,
                                          a[1], s.constant(t, width));
    return s.select(inRange, shifted, s.constant(t, 0));
  }
};

/// Clip: bounds that are present (scalars broadcast by the generic).
template <> struct ScalarFn<ONNXClipOp> {
  static Value build(Scalar &s, ONNXClipOp op, ValueRange a) {
    Value v = a[0];
    unsigned next = 1;
    if (!isa<NoneType>(op.getMin().getType()))
      v = s.max(v, a[next++]);
    if (!isa<NoneType>(op.getMax().getType()))
      v = s.min(v, a[next++]);
    return v;
  }
};

/// Variadic Max, Min, Sum and Mean: a left fold.
template <typename Op> struct FoldFn {
  static Value build(Scalar &s, Op, ValueRange a) {
    Value v = a[0];
    for (Value next : a.drop_front()) {
      if constexpr (std::is_same_v<Op, ONNXMaxOp>)
        v = s.max(v, next);
      else if constexpr (std::is_same_v<Op, ONNXMinOp>)
        v = s.min(v, next);
      else
        v = s.add(v, next);
    }
    if constexpr (std::is_same_v<Op, ONNXMeanOp>)
      v = s.div(v, s.constant(v.getType(), (double)a.size()));
    return v;
  }
};
template <> struct ScalarFn<ONNXMaxOp> : FoldFn<ONNXMaxOp> {};
template <> struct ScalarFn<ONNXMinOp> : FoldFn<ONNXMinOp> {};
template <> struct ScalarFn<ONNXSumOp> : FoldFn<ONNXSumOp> {};
template <> struct ScalarFn<ONNXMeanOp> : FoldFn<ONNXMeanOp> {};

/// Boolean And, Or, Xor.
#define KILN_BOOL_BINARY(OP, IOP)                                              \
  template <> struct ScalarFn<OP> {                                            \
    static Value build(Scalar &s, OP, ValueRange a) {                          \
      return IOP::create(s.b, s.loc, a[0], a[1]);                              \
    }                                                                          \
  };
KILN_BOOL_BINARY(ONNXAndOp, arith::AndIOp)
KILN_BOOL_BINARY(ONNXOrOp, arith::OrIOp)
KILN_BOOL_BINARY(ONNXXorOp, arith::XOrIOp)
KILN_BOOL_BINARY(ONNXBitwiseAndOp, arith::AndIOp)
KILN_BOOL_BINARY(ONNXBitwiseOrOp, arith::OrIOp)
KILN_BOOL_BINARY(ONNXBitwiseXorOp, arith::XOrIOp)
#undef KILN_BOOL_BINARY

template <> struct ScalarFn<ONNXBitwiseNotOp> {
  static Value build(Scalar &s, ONNXBitwiseNotOp, ValueRange a) {
    return arith::XOrIOp::create(s.b, s.loc, a[0],
                                 s.constant(a[0].getType(), -1));
  }
};

/// Comparisons: ordered for floats, by signedness for integers.
template <typename Op, arith::CmpIPredicate P> struct CompareFn {
  static Value build(Scalar &s, Op, ValueRange a) {
    return createCompare(s.b, s.loc, P, a[0], a[1], s.isUnsigned);
  }
};
template <>
struct ScalarFn<ONNXLessOp> : CompareFn<ONNXLessOp, arith::CmpIPredicate::slt> {
};
template <>
struct ScalarFn<ONNXGreaterOp>
    : CompareFn<ONNXGreaterOp, arith::CmpIPredicate::sgt> {};
template <>
struct ScalarFn<ONNXEqualOp>
    : CompareFn<ONNXEqualOp, arith::CmpIPredicate::eq> {};
template <>
struct ScalarFn<ONNXLessOrEqualOp>
    : CompareFn<ONNXLessOrEqualOp, arith::CmpIPredicate::sle> {};
template <>
struct ScalarFn<ONNXGreaterOrEqualOp>
    : CompareFn<ONNXGreaterOrEqualOp, arith::CmpIPredicate::sge> {};

/// Lowers an elementwise op with multidirectional broadcasting (see
/// broadcastOperands for dynamic dims).
template <typename Op> struct ElementwiseToGeneric : OpConversionPattern<Op> {
  using OpConversionPattern<Op>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Op op, typename Op::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = getLowerableType(op.getType());
    if (!resultType)
      return notifyUnsupported(rewriter, op, "result is not lowerable");
    int64_t rank = resultType.getRank();
    SmallVector<Value> operands;
    for (Value operand : adaptor.getOperands())
      if (!isa<NoneType>(operand.getType()))
        operands.push_back(operand);
    if constexpr (std::is_same_v<Op, ONNXCastLikeOp>)
      operands.pop_back(); // target_type only gives the element type
    for (Value operand : operands)
      if (!getLowerableType(operand.getType()) ||
          cast<RankedTensorType>(operand.getType()).getRank() > rank)
        return notifyUnsupported(rewriter, op, "operand is not lowerable");
    SmallVector<AffineMap> maps;
    SmallVector<Value> sizes;
    if (failed(broadcastOperands(rewriter, loc, resultType, operands, maps,
                                 sizes)))
      return notifyUnsupported(rewriter, op, "no operand gives a dim");
    maps.push_back(rewriter.getMultiDimIdentityMap(rank));
    Value init = tensor::EmptyOp::create(rewriter, loc, resultType, sizes);
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultType, operands, init, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Scalar s{b, l};
          s.isUnsigned = isUnsignedTensor(op->getOperand(0).getType());
          Value v = ScalarFn<Op>::build(s, op, args.drop_back());
          linalg::YieldOp::create(b, l, v);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

void populateElementwisePatterns(RewritePatternSet &patterns) {
  patterns.add<
      ElementwiseToGeneric<ONNXSinOp>, ElementwiseToGeneric<ONNXCosOp>,
      ElementwiseToGeneric<ONNXTanOp>, ElementwiseToGeneric<ONNXAsinOp>,
      ElementwiseToGeneric<ONNXAcosOp>, ElementwiseToGeneric<ONNXAtanOp>,
      ElementwiseToGeneric<ONNXSinhOp>, ElementwiseToGeneric<ONNXCoshOp>,
      ElementwiseToGeneric<ONNXAsinhOp>, ElementwiseToGeneric<ONNXAcoshOp>,
      ElementwiseToGeneric<ONNXAtanhOp>, ElementwiseToGeneric<ONNXRoundOp>,
      ElementwiseToGeneric<ONNXReciprocalOp>, ElementwiseToGeneric<ONNXSignOp>,
      ElementwiseToGeneric<ONNXNotOp>, ElementwiseToGeneric<ONNXSoftplusOp>,
      ElementwiseToGeneric<ONNXSoftsignOp>, ElementwiseToGeneric<ONNXMishOp>,
      ElementwiseToGeneric<ONNXEluOp>, ElementwiseToGeneric<ONNXSeluOp>,
      ElementwiseToGeneric<ONNXCeluOp>, ElementwiseToGeneric<ONNXHardSigmoidOp>,
      ElementwiseToGeneric<ONNXHardSwishOp>,
      ElementwiseToGeneric<ONNXThresholdedReluOp>,
      ElementwiseToGeneric<ONNXShrinkOp>, ElementwiseToGeneric<ONNXPReluOp>,
      ElementwiseToGeneric<ONNXIsNaNOp>, ElementwiseToGeneric<ONNXIsInfOp>,
      ElementwiseToGeneric<ONNXPowOp>, ElementwiseToGeneric<ONNXModOp>,
      ElementwiseToGeneric<ONNXCastOp>, ElementwiseToGeneric<ONNXCastLikeOp>,
      ElementwiseToGeneric<ONNXBitCastOp>, ElementwiseToGeneric<ONNXSwishOp>,
      ElementwiseToGeneric<ONNXClipOp>, ElementwiseToGeneric<ONNXMaxOp>,
      ElementwiseToGeneric<ONNXMinOp>, ElementwiseToGeneric<ONNXSumOp>,
      ElementwiseToGeneric<ONNXMeanOp>, ElementwiseToGeneric<ONNXAndOp>,
      ElementwiseToGeneric<ONNXOrOp>, ElementwiseToGeneric<ONNXXorOp>,
      ElementwiseToGeneric<ONNXBitwiseAndOp>,
      ElementwiseToGeneric<ONNXBitwiseOrOp>,
      ElementwiseToGeneric<ONNXBitwiseXorOp>,
      ElementwiseToGeneric<ONNXBitwiseNotOp>,
      ElementwiseToGeneric<ONNXLessOrEqualOp>,
      ElementwiseToGeneric<ONNXGreaterOrEqualOp>,
      ElementwiseToGeneric<ONNXBitShiftOp>>(patterns.getContext());
  patterns.add<
      ElementwiseToGeneric<ONNXAddOp>, ElementwiseToGeneric<ONNXSubOp>,
      ElementwiseToGeneric<ONNXMulOp>, ElementwiseToGeneric<ONNXDivOp>,
      ElementwiseToGeneric<ONNXExpOp>, ElementwiseToGeneric<ONNXLogOp>,
      ElementwiseToGeneric<ONNXSqrtOp>, ElementwiseToGeneric<ONNXTanhOp>,
      ElementwiseToGeneric<ONNXErfOp>, ElementwiseToGeneric<ONNXFloorOp>,
      ElementwiseToGeneric<ONNXCeilOp>, ElementwiseToGeneric<ONNXNegOp>,
      ElementwiseToGeneric<ONNXAbsOp>, ElementwiseToGeneric<ONNXReluOp>,
      ElementwiseToGeneric<ONNXLeakyReluOp>,
      ElementwiseToGeneric<ONNXSigmoidOp>, ElementwiseToGeneric<ONNXGeluOp>,
      ElementwiseToGeneric<ONNXWhereOp>, ElementwiseToGeneric<ONNXLessOp>,
      ElementwiseToGeneric<ONNXGreaterOp>, ElementwiseToGeneric<ONNXEqualOp>>(
      patterns.getContext());
}

} // namespace kiln::onnx_to_linalg
