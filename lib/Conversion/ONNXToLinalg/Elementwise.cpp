//===- Elementwise.cpp - elementwise onnx ops to linalg.generic -----------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "PopulatePatterns.h"

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
  bool isFloat(Value v) { return isa<FloatType>(v.getType()); }
  Value constant(Type t, double v) {
    if (isa<FloatType>(t))
      return arith::ConstantOp::create(b, loc, t, b.getFloatAttr(t, v));
    return arith::ConstantOp::create(b, loc, t,
                                     b.getIntegerAttr(t, (int64_t)v));
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
KILN_FLOAT_INT_BINARY(ONNXDivOp, arith::DivFOp, arith::DivSIOp)
#undef KILN_FLOAT_INT_BINARY

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

/// Comparisons: ordered float predicates, signed integer ones.
template <typename Op, arith::CmpFPredicate F, arith::CmpIPredicate I>
struct CompareFn {
  static Value build(Scalar &s, Op, ValueRange a) {
    if (s.isFloat(a[0]))
      return arith::CmpFOp::create(s.b, s.loc, F, a[0], a[1]);
    return arith::CmpIOp::create(s.b, s.loc, I, a[0], a[1]);
  }
};
template <>
struct ScalarFn<ONNXLessOp> : CompareFn<ONNXLessOp, arith::CmpFPredicate::OLT,
                                        arith::CmpIPredicate::slt> {};
template <>
struct ScalarFn<ONNXGreaterOp>
    : CompareFn<ONNXGreaterOp, arith::CmpFPredicate::OGT,
                arith::CmpIPredicate::sgt> {};
template <>
struct ScalarFn<ONNXEqualOp> : CompareFn<ONNXEqualOp, arith::CmpFPredicate::OEQ,
                                         arith::CmpIPredicate::eq> {};

/// Lowers an elementwise op with multidirectional broadcasting: a static
/// operand dim of 1 against a larger result dim reads index 0; other dims
/// map one to one.
template <typename Op> struct ElementwiseToGeneric : OpConversionPattern<Op> {
  using OpConversionPattern<Op>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Op op, typename Op::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = getLowerableType(op.getType());
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "result is not lowerable");
    int64_t rank = resultType.getRank();
    SmallVector<AffineMap> maps;
    // Each dynamic result dim is read from an operand whose dim is dynamic.
    SmallVector<Value> dynamicDims(rank);
    for (Value operand : adaptor.getOperands()) {
      RankedTensorType type = getLowerableType(operand.getType());
      if (!type)
        return rewriter.notifyMatchFailure(op, "operand is not lowerable");
      int64_t offset = rank - type.getRank();
      SmallVector<AffineExpr> exprs;
      for (int64_t i = 0; i < type.getRank(); ++i) {
        int64_t d = type.getDimSize(i);
        if (d == 1 && resultType.getDimSize(offset + i) != 1)
          exprs.push_back(rewriter.getAffineConstantExpr(0));
        else
          exprs.push_back(rewriter.getAffineDimExpr(offset + i));
      }
      maps.push_back(AffineMap::get(rank, 0, exprs, rewriter.getContext()));
      for (int64_t i = 0; i < type.getRank(); ++i)
        if (type.isDynamicDim(i) && !dynamicDims[offset + i])
          dynamicDims[offset + i] =
              tensor::DimOp::create(rewriter, loc, operand, i);
    }
    SmallVector<Value> sizes;
    for (int64_t i = 0; i < rank; ++i) {
      if (!resultType.isDynamicDim(i))
        continue;
      if (!dynamicDims[i])
        return rewriter.notifyMatchFailure(op, "no operand gives a dim");
      sizes.push_back(dynamicDims[i]);
    }
    maps.push_back(rewriter.getMultiDimIdentityMap(rank));
    Value init = tensor::EmptyOp::create(rewriter, loc, resultType, sizes);
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultType, adaptor.getOperands(), init, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Scalar s{b, l};
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
