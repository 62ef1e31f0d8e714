//===- Loss.cpp - loss ops to linalg --------------------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// NegativeLogLikelihoodLoss gathers -input[n, target, d...] (times the
// class weight; 0 where target is ignore_index) and reduces it (none, sum,
// or the weighted mean). SoftmaxCrossEntropyLoss decomposes into onnx
// LogSoftmax over the class axis and NegativeLogLikelihoodLoss, which the
// conversion then lowers in turn.
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

struct NLLLossToLinalg : OpConversionPattern<ONNXNegativeLogLikelihoodLossOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXNegativeLogLikelihoodLossOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType input = getLowerableType(adaptor.getInput().getType());
    RankedTensorType target = getLowerableType(adaptor.getTarget().getType());
    RankedTensorType result = getLowerableType(op.getType());
    StringRef reduction = op.getReduction();
    if (!input || !target || !result || input.getRank() < 2 ||
        (target.hasStaticShape() && target.getNumElements() == 0) ||
        (reduction != "none" && reduction != "sum" && reduction != "mean"))
      return notifyUnsupported(rewriter, op, "ranked, non-empty only");
    Location loc = op.getLoc();
    auto elt = cast<FloatType>(input.getElementType());
    Value lastClass = arith::SubIOp::create(
        rewriter, loc, getDimValue(rewriter, loc, adaptor.getInput(), 1),
        cIndex(rewriter, loc, 1));
    SmallVector<Value> sizes =
        getDynamicSizes(rewriter, loc, target, [&](int64_t d) {
          return getDimValue(rewriter, loc, adaptor.getTarget(), d);
        });
    bool hasWeight = !isNoValue(op.getWeight());
    std::optional<int64_t> ignore;
    if (op.getIgnoreIndex())
      ignore = (int64_t)*op.getIgnoreIndex();
    Value data = adaptor.getInput(), labels = adaptor.getTarget(),
          weight = adaptor.getWeight();
    auto lossType = RankedTensorType::get(target.getShape(), elt);
    // Per element: the class weight (0 when ignored) and -weight * input.
    auto perElement = [&](bool wantWeight) {
      return buildFromIndices(
          rewriter, loc, lossType,
          [&](OpBuilder &b, Location l, ArrayRef<Value> idx) -> Value {
            Value raw = tensor::ExtractOp::create(b, l, labels, idx);
            Value t64 =
                raw.getType().isInteger(64)
                    ? raw
                    : (Value)arith::ExtSIOp::create(b, l, b.getI64Type(), raw);
            Value keep = arith::ConstantOp::create(b, l, b.getBoolAttr(true));
            if (ignore)
              keep = arith::CmpIOp::create(
                  b, l, arith::CmpIPredicate::ne, t64,
                  arith::ConstantOp::create(b, l,
                                            b.getI64IntegerAttr(*ignore)));
            // A safe class index for the loads (ignored labels may be out
            // of range).
            Value cls = arith::IndexCastOp::create(b, l, b.getIndexType(), t64);
            Value zero = arith::ConstantIndexOp::create(b, l, 0);
            cls = arith::MinSIOp::create(
                b, l, arith::MaxSIOp::create(b, l, cls, zero), lastClass);
            Value w = arith::ConstantOp::create(b, l, b.getFloatAttr(elt, 1));
            if (hasWeight)
              w = tensor::ExtractOp::create(b, l, weight, ValueRange{cls});
            Value zeroF =
                arith::ConstantOp::create(b, l, b.getFloatAttr(elt, 0));
            w = arith::SelectOp::create(b, l, keep, w, zeroF);
            if (wantWeight)
              return w;
            SmallVector<Value> at = {idx[0], cls};
            llvm::append_range(at, idx.drop_front());
            Value x = tensor::ExtractOp::create(b, l, data, at);
            return arith::NegFOp::create(b, l,
                                         arith::MulFOp::create(b, l, x, w));
          },
          sizes);
    };
    Value loss = perElement(false);
    if (reduction == "none") {
      rewriter.replaceOp(op, loss);
      return success();
    }
    auto sumAll = [&](Value v) {
      SmallVector<bool> all(target.getRank(), true);
      return reduceDims(rewriter, loc, v, all, /*keepDims=*/false, result,
                        rewriter.getFloatAttr(elt, 0.0),
                        [](OpBuilder &b, Location l, Value x, Value acc) {
                          return (Value)arith::AddFOp::create(b, l, x, acc);
                        });
    };
    Value total = sumAll(loss);
    if (reduction == "mean") {
      Value weights = sumAll(perElement(true));
      total = linalg::GenericOp::create(
                  rewriter, loc, result, ValueRange{total, weights}, total,
                  SmallVector<AffineMap>(3, rewriter.getMultiDimIdentityMap(0)),
                  ArrayRef<utils::IteratorType>{},
                  [](OpBuilder &b, Location l, ValueRange a) {
                    yieldValue(b, l, arith::DivFOp::create(b, l, a[0], a[1]));
                  })
                  .getResult(0);
    }
    rewriter.replaceOp(op, total);
    return success();
  }
};

struct SoftmaxCrossEntropyToNLL
    : OpConversionPattern<ONNXSoftmaxCrossEntropyLossOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXSoftmaxCrossEntropyLossOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type scoresType = adaptor.getScores().getType();
    if (!getLowerableType(scoresType))
      return notifyUnsupported(rewriter, op, "ranked scores only");
    Location loc = op.getLoc();
    Value logProb =
        ONNXLogSoftmaxOp::create(rewriter, loc, scoresType, adaptor.getScores(),
                                 /*axis=*/uint64_t(1));
    Value loss = ONNXNegativeLogLikelihoodLossOp::create(
        rewriter, loc, op.getOutput().getType(), logProb, adaptor.getLabels(),
        adaptor.getWeights(), op.getIgnoreIndexAttr(), op.getReductionAttr());
    SmallVector<Value> logProbResult;
    if (!isa<NoneType>(op.getLogProb().getType()))
      logProbResult.push_back(logProb);
    rewriter.replaceOpWithMultiple(op, {{loss}, logProbResult});
    return success();
  }
};

} // namespace

void populateLossPatterns(RewritePatternSet &patterns) {
  patterns.add<NLLLossToLinalg, SoftmaxCrossEntropyToNLL>(
      patterns.getContext());
}

} // namespace kiln::onnx_to_linalg
