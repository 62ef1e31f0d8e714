//===- Dropout.cpp - Dropout at inference and in training -----------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "PopulatePatterns.h"
#include "Utils.h"

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace kiln::onnx;

namespace kiln::onnx_to_linalg {
namespace {

/// Whether training_mode is absent or a constant false.
bool isInference(ONNXDropoutOp op) {
  if (isNoValue(op.getTrainingMode()))
    return true;
  auto training = getConstantInts(op.getTrainingMode());
  return training && training->size() == 1 && (*training)[0] == 0;
}

/// A uniform number in [0, 1) from a 64-bit hash (SplitMix64's finaliser)
/// of `index` and `seed`: f32 from the hash's top 24 bits.
Value hashToUnit(OpBuilder &b, Location loc, Value index, uint64_t seed) {
  Type i64 = b.getI64Type();
  auto c = [&](uint64_t v) {
    return arith::ConstantOp::create(b, loc, b.getIntegerAttr(i64, v));
  };
  auto mixStep = [&](Value z, uint64_t shift, uint64_t mul) -> Value {
    Value shifted = arith::ShRUIOp::create(b, loc, z, c(shift));
    Value mixed = arith::XOrIOp::create(b, loc, z, shifted);
    return mul ? arith::MulIOp::create(b, loc, mixed, c(mul)).getResult()
               : mixed;
  };
  Value z = arith::IndexCastUIOp::create(b, loc, i64, index);
  z = arith::AddIOp::create(
      b, loc, z, c(seed * 0x9E3779B97F4A7C15ull + 0x9E3779B97F4A7C15ull));
  z = mixStep(z, 30, 0xBF58476D1CE4E5B9ull);
  z = mixStep(z, 27, 0x94D049BB133111EBull);
  z = mixStep(z, 31, 0);
  Value top = arith::ShRUIOp::create(b, loc, z, c(40));
  Value f = arith::UIToFPOp::create(b, loc, b.getF32Type(), top);
  return arith::MulFOp::create(
      b, loc, f, arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0x1p-24)));
}

/// The row-major linear index of the current linalg iteration.
Value linearIndex(OpBuilder &b, Location loc, ArrayRef<Value> sizes) {
  Value linear = cIndex(b, loc, 0);
  for (auto [d, size] : llvm::enumerate(sizes)) {
    Value i = linalg::IndexOp::create(b, loc, d);
    linear = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, linear, size), i);
  }
  return linear;
}

/// Dropout at inference: the data, and a mask of all true.
LogicalResult lowerInference(ONNXDropoutOp op, Value data,
                             ConversionPatternRewriter &rewriter) {
  SmallVector<Value> mask;
  if (!isa<NoneType>(op.getMask().getType())) {
    auto maskType = dyn_cast<RankedTensorType>(op.getMask().getType());
    if (!maskType)
      return notifyUnsupported(rewriter, op, "unranked mask");
    mask.push_back(createFilled(
        rewriter, op.getLoc(), maskType, rewriter.getBoolAttr(true),
        getDynamicSizes(rewriter, op.getLoc(), maskType, [&](int64_t d) {
          return getDimValue(rewriter, op.getLoc(), data, d);
        })));
  }
  rewriter.replaceOpWithMultiple(op, {{data}, mask});
  return success();
}

/// Dropout with a training_mode known at run time: when training, an
/// element is kept when its hashed uniform number is at least the ratio,
/// and kept elements are scaled by 1 / (1 - ratio). A ratio of 0 keeps
/// every element unscaled, as ONNX defines; for other ratios the mask is
/// kiln's own (seeded by `seed`, 0 when absent), not numpy's.
LogicalResult lowerTraining(ONNXDropoutOp op, Value data, Value ratio,
                            Value training,
                            ConversionPatternRewriter &rewriter) {
  Location loc = op.getLoc();
  auto type = cast<RankedTensorType>(data.getType());
  auto elt = cast<FloatType>(type.getElementType());
  int64_t rank = type.getRank();
  MLIRContext *ctx = rewriter.getContext();
  AffineMap scalar = AffineMap::get(rank, 0, {}, ctx);
  AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
  SmallVector<Value> sizes, dynamic;
  for (int64_t d = 0; d < rank; ++d) {
    sizes.push_back(getDimValue(rewriter, loc, data, d));
    if (type.isDynamicDim(d))
      dynamic.push_back(sizes.back());
  }
  SmallVector<Value> inputs = {data, training};
  SmallVector<AffineMap> maps = {identity, scalar};
  if (ratio) {
    inputs.push_back(ratio);
    maps.push_back(scalar);
  }
  bool withMask = !isa<NoneType>(op.getMask().getType());
  SmallVector<Value> inits = {
      tensor::EmptyOp::create(rewriter, loc, type.getShape(), elt, dynamic)};
  if (withMask)
    inits.push_back(tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                            rewriter.getI1Type(), dynamic));
  maps.append(inits.size(), identity);
  uint64_t seed = op.getSeed().value_or(0);
  auto generic = linalg::GenericOp::create(
      rewriter, loc, TypeRange(ValueRange(inits)), inputs, inits, maps,
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value x = args[0], train = args[1];
        Value r = ratio
                      ? toF32(b, l, args[2])
                      : arith::ConstantOp::create(b, l, b.getF32FloatAttr(0.5))
                            .getResult();
        Value u = hashToUnit(b, l, linearIndex(b, l, sizes), seed);
        Value drawn =
            arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, u, r);
        Value keep = arith::OrIOp::create(
            b, l, drawn,
            arith::XOrIOp::create(
                b, l, train,
                arith::ConstantOp::create(b, l, b.getBoolAttr(true))));
        Value one = arith::ConstantOp::create(b, l, b.getF32FloatAttr(1.0));
        Value scale = arith::DivFOp::create(
            b, l, one, arith::SubFOp::create(b, l, one, r));
        scale = arith::SelectOp::create(b, l, train, scale, one);
        Value scaled =
            arith::MulFOp::create(b, l, x, castFloat(b, l, scale, elt));
        Value zero = arith::ConstantOp::create(b, l, b.getFloatAttr(elt, 0));
        SmallVector<Value> results = {
            arith::SelectOp::create(b, l, keep, scaled, zero)};
        if (withMask)
          results.push_back(keep);
        linalg::YieldOp::create(b, l, results);
      });
  SmallVector<SmallVector<Value>> replacements = {{generic.getResult(0)}, {}};
  if (withMask)
    replacements[1].push_back(generic.getResult(1));
  rewriter.replaceOpWithMultiple(op, replacements);
  return success();
}

struct DropoutToLinalg : OpConversionPattern<ONNXDropoutOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXDropoutOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value data = adaptor.getData();
    if (data.getType() != op.getOutput().getType())
      return notifyUnsupported(rewriter, op,
                               "the output's type differs from the data's");
    if (isInference(op))
      return lowerInference(op, data, rewriter);
    auto scalarType = [](Value v) {
      auto t = dyn_cast<RankedTensorType>(v.getType());
      return t && t.getNumElements() == 1 && t.hasStaticShape();
    };
    Value ratio =
        isNoValue(op.getRatio()) ? Value() : Value(adaptor.getRatio());
    if ((ratio && !scalarType(ratio)) || !scalarType(adaptor.getTrainingMode()))
      return notifyUnsupported(
          rewriter, op, "ratio and training_mode must be static scalars");
    auto collapse = [&](Value v) {
      return collapseGroups(rewriter, op.getLoc(), v, {});
    };
    return lowerTraining(op, data, ratio ? collapse(ratio) : Value(),
                         collapse(adaptor.getTrainingMode()), rewriter);
  }
};

} // namespace

void populateDropoutPatterns(RewritePatternSet &patterns) {
  patterns.add<DropoutToLinalg>(patterns.getContext());
}

} // namespace kiln::onnx_to_linalg
