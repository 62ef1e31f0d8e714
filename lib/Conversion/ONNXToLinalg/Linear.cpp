//===- Linear.cpp - MatMul and Gemm to linalg -----------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "PopulatePatterns.h"
#include "Utils.h"

#include "kiln/Dialect/ONNX/IR/EinsumEquation.h"
#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace kiln::onnx;

namespace kiln::onnx_to_linalg {
namespace {

/// A zero-filled accumulator of `type` with dynamic dims from `dims`.
Value createZeroAccumulator(OpBuilder &b, Location loc, RankedTensorType type,
                            ArrayRef<std::pair<Value, int64_t>> dims) {
  SmallVector<Value> sizes;
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (type.isDynamicDim(i))
      sizes.push_back(
          tensor::DimOp::create(b, loc, dims[i].first, dims[i].second));
  return createFilled(b, loc, type,
                      cast<TypedAttr>(b.getZeroAttr(type.getElementType())),
                      sizes);
}

/// A's K (its last dim) must be B's (its second last) unless known equal.
void requireInnerDims(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  int64_t ra = cast<RankedTensorType>(lhs.getType()).getRank();
  int64_t rb = cast<RankedTensorType>(rhs.getType()).getRank();
  if (areDimsKnownEqual(lhs, ra - 1, rhs, rb - 2))
    return;
  Value ok = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                   getDimValue(b, loc, lhs, ra - 1),
                                   getDimValue(b, loc, rhs, rb - 2));
  requireShape(b, loc, ok, "the inner dims of MatMul differ");
}

/// Groups [0..lead), then each of the remaining `rest` dims alone.
SmallVector<ReassociationIndices> leadingGroups(int64_t lead, int64_t rest) {
  SmallVector<ReassociationIndices> groups(1);
  for (int64_t i = 0; i < lead; ++i)
    groups[0].push_back(i);
  for (int64_t i = 0; i < rest; ++i)
    groups.push_back({lead + i});
  return groups;
}

/// How a product's elements multiply: as they are (MatMul), or widened to
/// the accumulator's type by their signedness (MatMulInteger's 8-bit
/// operands, whose products sum in i32).
struct ProductBody {
  bool widen = false;
  bool aUnsigned = false, bUnsigned = false;

  static ProductBody get(ONNXMatMulOp) { return {}; }
  static ProductBody get(ONNXMatMulIntegerOp op) {
    return {true, isUnsignedTensor(op.getA().getType()),
            isUnsignedTensor(op.getB().getType())};
  }

  /// The body of a contraction generic: acc + a * b.
  void build(OpBuilder &b, Location loc, ValueRange args) const {
    if (widen)
      return buildWidenedProductSum(b, loc, args, aUnsigned, bUnsigned);
    yieldValue(b, loc,
               createAdd(b, loc, createMul(b, loc, args[0], args[1]), args[2]));
  }

  /// (batch) matmul of `lhs` and `rhs` into `acc`: the named op, or for
  /// widened operands a generic with the same loops.
  Value create(OpBuilder &b, Location loc, Value lhs, Value rhs, Value acc,
               bool batched) const {
    if (!widen && batched)
      return linalg::BatchMatmulOp::create(b, loc, ValueRange{lhs, rhs},
                                           ValueRange{acc})
          .getResult(0);
    if (!widen)
      return linalg::MatmulOp::create(b, loc, ValueRange{lhs, rhs},
                                      ValueRange{acc})
          .getResult(0);
    MLIRContext *ctx = b.getContext();
    int64_t lead = batched ? 1 : 0;
    auto d = [&](int64_t i) { return getAffineDimExpr(lead + i, ctx); };
    SmallVector<AffineExpr> batch;
    if (batched)
      batch.push_back(getAffineDimExpr(0, ctx));
    auto map = [&](AffineExpr x, AffineExpr y) {
      SmallVector<AffineExpr> exprs(batch);
      exprs.append({x, y});
      return AffineMap::get(lead + 3, 0, exprs, ctx);
    };
    SmallVector<utils::IteratorType> iterators(lead + 2,
                                               utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    return linalg::GenericOp::create(
               b, loc, acc.getType(), ValueRange{lhs, rhs}, ValueRange{acc},
               ArrayRef<AffineMap>{map(d(0), d(2)), map(d(2), d(1)),
                                   map(d(0), d(1))},
               iterators,
               [&](OpBuilder &bb, Location l, ValueRange args) {
                 build(bb, l, args);
               })
        .getResult(0);
  }
};

/// MatMul as linalg.matmul or linalg.batch_matmul on collapsed operands:
/// A[..., M, K] x B[K, N] multiplies (prod(...) * M, K) by (K, N);
/// A[..., M, K] x B[..., K, N] with batch dims known to be equal (static,
/// or the same dynamic dim) is a batch_matmul over prod(...). The result
/// is expanded back, its dynamic dims taken from the operands.
template <typename OpT> struct MatMulToLinalg : OpConversionPattern<OpT> {
  using OpConversionPattern<OpT>::OpConversionPattern;
  using OpAdaptor = typename OpT::Adaptor;
  LogicalResult
  matchAndRewrite(OpT op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType a = getLowerableType(adaptor.getA().getType());
    RankedTensorType b = getLowerableType(adaptor.getB().getType());
    RankedTensorType result = getLowerableType(op.getType());
    if (!a || !b || !result || a.getRank() < 2 || b.getRank() < 2)
      return notifyUnsupported(rewriter, op, "needs 2-D or more operands");
    int64_t ra = a.getRank(), rb = b.getRank();
    Value lhs = adaptor.getA(), rhs = adaptor.getB();
    bool batched = rb > 2;
    if (batched) {
      if (ra != rb)
        return notifyUnsupported(rewriter, op, "batch ranks differ");
      for (int64_t i = 0; i < ra - 2; ++i)
        if (!areDimsKnownEqual(lhs, i, rhs, i))
          return notifyUnsupported(rewriter, op, "batch dims may differ");
    }
    Location loc = op.getLoc();
    requireInnerDims(rewriter, loc, lhs, rhs);
    SmallVector<ReassociationIndices> aGroups =
        batched ? leadingGroups(ra - 2, 2) : leadingGroups(ra - 1, 1);
    Value lhsFlat = collapseGroups(rewriter, loc, lhs, aGroups);
    Value rhsFlat =
        batched ? collapseGroups(rewriter, loc, rhs, leadingGroups(rb - 2, 2))
                : rhs;
    auto flatA = cast<RankedTensorType>(lhsFlat.getType());
    auto flatB = cast<RankedTensorType>(rhsFlat.getType());
    int64_t fr = flatA.getRank();
    SmallVector<int64_t> shape(flatA.getShape().drop_back());
    shape.push_back(flatB.getShape().back());
    auto flatResult = result.clone(shape);
    SmallVector<std::pair<Value, int64_t>> dims;
    for (int64_t i = 0; i < fr - 1; ++i)
      dims.push_back({lhsFlat, i});
    dims.push_back({rhsFlat, flatB.getRank() - 1});
    Value acc = createZeroAccumulator(rewriter, loc, flatResult, dims);
    Value mm = ProductBody::get(op).create(rewriter, loc, lhsFlat, rhsFlat, acc,
                                           batched);
    if (flatResult == result) {
      rewriter.replaceOp(op, mm);
      return success();
    }
    SmallVector<OpFoldResult> sizes;
    for (int64_t i = 0; i < ra - 1; ++i)
      sizes.push_back(
          a.isDynamicDim(i)
              ? OpFoldResult(tensor::DimOp::create(rewriter, loc, lhs, i))
              : rewriter.getIndexAttr(a.getDimSize(i)));
    sizes.push_back(
        b.isDynamicDim(rb - 1)
            ? OpFoldResult(tensor::DimOp::create(rewriter, loc, rhs, rb - 1))
            : rewriter.getIndexAttr(b.getDimSize(rb - 1)));
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(op, result, mm, aGroups,
                                                       sizes);
    return success();
  }
};

/// Any other static MatMul (1-D operands, broadcast batch dims) as one
/// linalg.generic: loops over the result's batch dims, M, N, then K.
template <typename OpT> struct MatMulToGeneric : OpConversionPattern<OpT> {
  using OpConversionPattern<OpT>::OpConversionPattern;
  using OpAdaptor = typename OpT::Adaptor;
  LogicalResult
  matchAndRewrite(OpT op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType a = getLowerableType(adaptor.getA().getType());
    RankedTensorType b = getLowerableType(adaptor.getB().getType());
    RankedTensorType result = getLowerableType(op.getType());
    if (!a || !b || !result || !a.hasStaticShape() || !b.hasStaticShape() ||
        !result.hasStaticShape() || a.getRank() == 0 || b.getRank() == 0)
      return notifyUnsupported(rewriter, op, "static matmuls only");
    bool hasM = a.getRank() >= 2, hasN = b.getRank() >= 2;
    int64_t batch = result.getRank() - hasM - hasN;
    int64_t m = batch, n = batch + hasM, k = batch + hasM + hasN;
    int64_t loops = k + 1;
    MLIRContext *ctx = rewriter.getContext();
    auto d = [&](int64_t i) { return rewriter.getAffineDimExpr(i); };
    // Batch dims of an operand, right-aligned with the result's.
    auto batchExprs = [&](RankedTensorType t, int64_t own) {
      SmallVector<AffineExpr> exprs;
      for (int64_t i = 0; i < own; ++i) {
        int64_t r = batch - own + i;
        exprs.push_back(t.getDimSize(i) == 1 && result.getDimSize(r) != 1
                            ? rewriter.getAffineConstantExpr(0)
                            : d(r));
      }
      return exprs;
    };
    SmallVector<AffineExpr> aExprs = batchExprs(a, hasM ? a.getRank() - 2 : 0);
    if (hasM)
      aExprs.push_back(d(m));
    aExprs.push_back(d(k));
    SmallVector<AffineExpr> bExprs = batchExprs(b, hasN ? b.getRank() - 2 : 0);
    bExprs.push_back(d(k));
    if (hasN)
      bExprs.push_back(d(n));
    SmallVector<AffineExpr> outExprs;
    for (int64_t i = 0; i < k; ++i)
      outExprs.push_back(d(i));
    Type elt = result.getElementType();
    Value acc = createFilled(rewriter, op.getLoc(), result,
                             cast<TypedAttr>(rewriter.getZeroAttr(elt)));
    SmallVector<utils::IteratorType> iterators(k,
                                               utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    Value mm = linalg::GenericOp::create(
                   rewriter, op.getLoc(), result,
                   ValueRange{adaptor.getA(), adaptor.getB()}, acc,
                   ArrayRef<AffineMap>{AffineMap::get(loops, 0, aExprs, ctx),
                                       AffineMap::get(loops, 0, bExprs, ctx),
                                       AffineMap::get(loops, 0, outExprs, ctx)},
                   iterators,
                   [&, body = ProductBody::get(op)](OpBuilder &bb, Location l,
                                                    ValueRange v) {
                     body.build(bb, l, v);
                   })
                   .getResult(0);
    rewriter.replaceOp(op, mm);
    return success();
  }
};

/// A dynamic MatMul whose batch dims may broadcast at run time: each
/// result element loops over K, reading index 0 of an operand's batch dim
/// when that dim is 1. Slower than the named ops; only taken when kiln
/// cannot tell that the batch dims are equal.
struct MatMulToLoops : OpConversionPattern<ONNXMatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXMatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType a = getLowerableType(adaptor.getA().getType());
    RankedTensorType b = getLowerableType(adaptor.getB().getType());
    RankedTensorType result = getLowerableType(op.getType());
    if (!a || !b || !result || a.getRank() < 2 || b.getRank() < 2 ||
        result.hasStaticShape())
      return notifyUnsupported(rewriter, op, "dynamic 2-D+ matmuls only");
    Location loc = op.getLoc();
    Value lhs = adaptor.getA(), rhs = adaptor.getB();
    requireInnerDims(rewriter, loc, lhs, rhs);
    int64_t rank = result.getRank(), ra = a.getRank(), rb = b.getRank();
    int64_t batch = rank - 2;
    SmallVector<Value> aDims, bDims;
    for (int64_t d = 0; d < ra; ++d)
      aDims.push_back(getDimValue(rewriter, loc, lhs, d));
    for (int64_t d = 0; d < rb; ++d)
      bDims.push_back(getDimValue(rewriter, loc, rhs, d));
    // Batch dims broadcast: the larger of the two (one of them is 1).
    SmallVector<Value> out;
    for (int64_t i = 0; i < batch; ++i) {
      int64_t ia = i - (batch - (ra - 2)), ib = i - (batch - (rb - 2));
      Value size = cIndex(rewriter, loc, 1);
      if (ia >= 0)
        size = arith::MaxUIOp::create(rewriter, loc, size, aDims[ia]);
      if (ib >= 0)
        size = arith::MaxUIOp::create(rewriter, loc, size, bDims[ib]);
      out.push_back(size);
    }
    out.push_back(aDims[ra - 2]);
    out.push_back(bDims[rb - 1]);
    Type elt = result.getElementType();
    Value mm = buildFromIndices(
        rewriter, loc, result,
        [&](OpBuilder &bb, Location l, ArrayRef<Value> idx) -> Value {
          auto batchIndex = [&](int64_t own, ArrayRef<Value> dims) {
            SmallVector<Value> at;
            for (int64_t j = 0; j < own; ++j) {
              Value i = idx[batch - own + j];
              Value isOne = arith::CmpIOp::create(
                  bb, l, arith::CmpIPredicate::eq, dims[j], cIndex(bb, l, 1));
              at.push_back(
                  arith::SelectOp::create(bb, l, isOne, cIndex(bb, l, 0), i));
            }
            return at;
          };
          SmallVector<Value> aAt = batchIndex(ra - 2, aDims),
                             bAt = batchIndex(rb - 2, bDims);
          Value zero = arith::ConstantOp::create(
              bb, l, cast<TypedAttr>(bb.getZeroAttr(elt)));
          auto loop = scf::ForOp::create(
              bb, l, cIndex(bb, l, 0), aDims[ra - 1], cIndex(bb, l, 1),
              ValueRange{zero},
              [&](OpBuilder &lb, Location ll, Value k, ValueRange acc) {
                SmallVector<Value> ai(aAt), bi(bAt);
                ai.append({idx[batch], k});
                bi.append({k, idx[batch + 1]});
                Value x = tensor::ExtractOp::create(lb, ll, lhs, ai);
                Value y = tensor::ExtractOp::create(lb, ll, rhs, bi);
                scf::YieldOp::create(
                    lb, ll, createAdd(lb, ll, acc[0], createMul(lb, ll, x, y)));
              });
          return loop.getResult(0);
        },
        getDynamicSizes(rewriter, loc, result,
                        [&](int64_t d) { return out[d]; }));
    rewriter.replaceOp(op, mm);
    return success();
  }
};

/// Gemm: transposes, a matmul, and one generic for alpha * AB + beta * C.
struct GemmToLinalg : OpConversionPattern<ONNXGemmOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXGemmOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType result = getLowerableType(op.getType());
    if (!result || !isa<FloatType>(result.getElementType()) ||
        !getLowerableType(adaptor.getA().getType()) ||
        !getLowerableType(adaptor.getB().getType()))
      return notifyUnsupported(rewriter, op, "float 2-D Gemm only");
    Location loc = op.getLoc();
    auto transpose = [&](Value v) -> Value {
      auto t = cast<RankedTensorType>(v.getType());
      auto type = RankedTensorType::get({t.getDimSize(1), t.getDimSize(0)},
                                        t.getElementType());
      Value init = tensor::EmptyOp::create(rewriter, loc, type, [&] {
        SmallVector<Value> sizes;
        if (type.isDynamicDim(0))
          sizes.push_back(tensor::DimOp::create(rewriter, loc, v, 1));
        if (type.isDynamicDim(1))
          sizes.push_back(tensor::DimOp::create(rewriter, loc, v, 0));
        return sizes;
      }());
      return linalg::TransposeOp::create(rewriter, loc, v, init,
                                         ArrayRef<int64_t>{1, 0})
          .getResult()[0];
    };
    Value a = op.getTransA() ? transpose(adaptor.getA()) : adaptor.getA();
    Value b = op.getTransB() ? transpose(adaptor.getB()) : adaptor.getB();
    requireInnerDims(rewriter, loc, a, b);
    Value acc = createZeroAccumulator(rewriter, loc, result, {{a, 0}, {b, 1}});
    Value ab = linalg::MatmulOp::create(rewriter, loc, ValueRange{a, b},
                                        ValueRange{acc})
                   .getResult(0);

    // Epilogue: alpha * ab (+ beta * C, C broadcast to (M, N)).
    Type elt = result.getElementType();
    double alpha = op.getAlpha().convertToDouble();
    double beta = op.getBeta().convertToDouble();
    Value c = adaptor.getC();
    bool hasC = !isa<NoneType>(c.getType()) && beta != 0;
    if (alpha == 1 && !hasC) {
      rewriter.replaceOp(op, ab);
      return success();
    }
    SmallVector<Value> inputs = {ab};
    if (hasC) {
      if (!getLowerableType(c.getType()))
        return notifyUnsupported(rewriter, op, "C is not lowerable");
      inputs.push_back(c);
    }
    SmallVector<AffineMap> maps;
    SmallVector<Value> sizes;
    if (failed(broadcastOperands(rewriter, loc, result, inputs, maps, sizes)))
      return notifyUnsupported(rewriter, op, "cannot broadcast C");
    maps.push_back(rewriter.getMultiDimIdentityMap(2));
    Value init = tensor::EmptyOp::create(rewriter, loc, result, sizes);
    SmallVector<utils::IteratorType> iterators(2,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, result, inputs, init, maps, iterators,
        [&](OpBuilder &bb, Location l, ValueRange args) {
          auto cst = [&](double v) {
            return arith::ConstantOp::create(bb, l, elt,
                                             bb.getFloatAttr(elt, v));
          };
          Value v = args[0];
          if (alpha != 1)
            v = arith::MulFOp::create(bb, l, v, cst(alpha));
          if (hasC) {
            Value cv = args[1];
            if (beta != 1)
              cv = arith::MulFOp::create(bb, l, cv, cst(beta));
            v = arith::AddFOp::create(bb, l, v, cv);
          }
          linalg::YieldOp::create(bb, l, v);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// Einsum: one linalg.generic whose loops are the equation's subscripts;
/// subscripts missing from the output are reductions, a repeated one in an
/// operand reads its diagonal, and a size-1 dim against a larger loop
/// broadcasts.
struct EinsumToGeneric : OpConversionPattern<ONNXEinsumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXEinsumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType result = getLowerableType(op.getType());
    if (!result)
      return notifyUnsupported(rewriter, op, "ranked result");
    SmallVector<RankedTensorType> types;
    SmallVector<int64_t> ranks;
    for (Value input : adaptor.getInputs()) {
      auto t = dyn_cast<RankedTensorType>(input.getType());
      if (!t || t.getElementType() != result.getElementType())
        return notifyUnsupported(rewriter, op, "ranked operands");
      types.push_back(t);
      ranks.push_back(t.getRank());
    }
    std::string error;
    FailureOr<EinsumEquation> eq = parseEinsum(op.getEquation(), ranks, error);
    if (failed(eq))
      return notifyUnsupported(rewriter, op, error);
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    // Each loop's static size where an operand gives one other than 1.
    SmallVector<int64_t> sizes(eq->numLoops, ShapedType::kDynamic);
    for (auto [dims, t] : llvm::zip(eq->inputs, types))
      for (auto [d, loop] : llvm::enumerate(dims))
        if (!t.isDynamicDim(d) &&
            (ShapedType::isDynamic(sizes[loop]) || sizes[loop] == 1))
          sizes[loop] = t.getDimSize(d);
    SmallVector<AffineMap> maps;
    for (auto [dims, t] : llvm::zip(eq->inputs, types)) {
      SmallVector<AffineExpr> exprs;
      for (auto [d, loop] : llvm::enumerate(dims))
        exprs.push_back(t.getDimSize(d) == 1 && sizes[loop] != 1
                            ? rewriter.getAffineConstantExpr(0)
                            : rewriter.getAffineDimExpr(loop));
      maps.push_back(AffineMap::get(eq->numLoops, 0, exprs, ctx));
    }
    SmallVector<AffineExpr> outExprs;
    for (int64_t loop : eq->output)
      outExprs.push_back(rewriter.getAffineDimExpr(loop));
    maps.push_back(AffineMap::get(eq->numLoops, 0, outExprs, ctx));
    SmallVector<utils::IteratorType> iterators(eq->numLoops,
                                               utils::IteratorType::reduction);
    for (int64_t loop : eq->output)
      iterators[loop] = utils::IteratorType::parallel;
    // A dynamic result dim takes its size from an operand dim of its loop
    // that does not broadcast.
    SmallVector<Value> dynamic;
    for (auto [r, loop] : llvm::enumerate(eq->output)) {
      if (!result.isDynamicDim(r))
        continue;
      Value size;
      for (auto [i, dims] : llvm::enumerate(eq->inputs))
        for (auto [d, l] : llvm::enumerate(dims))
          if (!size && l == loop && types[i].getDimSize(d) != 1)
            size = getDimValue(rewriter, loc, adaptor.getInputs()[i], d);
      if (!size)
        return notifyUnsupported(rewriter, op, "cannot size a result dim");
      dynamic.push_back(size);
    }
    Type elt = result.getElementType();
    Value init =
        linalg::FillOp::create(
            rewriter, loc,
            ValueRange{arith::ConstantOp::create(
                rewriter, loc, cast<TypedAttr>(rewriter.getZeroAttr(elt)))},
            ValueRange{tensor::EmptyOp::create(rewriter, loc, result.getShape(),
                                               elt, dynamic)})
            .getResult(0);
    Value y =
        linalg::GenericOp::create(
            rewriter, loc, result, adaptor.getInputs(), init, maps, iterators,
            [&](OpBuilder &b, Location l, ValueRange a) {
              Value product = a[0];
              for (Value v : a.drop_front().drop_back())
                product = createMul(b, l, product, v);
              yieldValue(b, l, createAdd(b, l, product, a.back()));
            })
            .getResult(0);
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void populateLinearPatterns(RewritePatternSet &patterns) {
  patterns.add<MatMulToLinalg<ONNXMatMulOp>,
               MatMulToLinalg<ONNXMatMulIntegerOp>, GemmToLinalg>(
      patterns.getContext(), /*benefit=*/2);
  patterns
      .add<MatMulToGeneric<ONNXMatMulOp>, MatMulToGeneric<ONNXMatMulIntegerOp>,
           MatMulToLoops, EinsumToGeneric>(patterns.getContext());
}

} // namespace kiln::onnx_to_linalg
