//===- Im2ColByConfig.cpp - convolutions as im2col and a contraction ------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/AffineMap.h"

namespace kiln {
#define GEN_PASS_DEF_IM2COLBYCONFIGPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
bool hasIm2ColStrategy(Operation *op) {
  auto config = op->getAttrOfType<kiln::LoweringConfigAttr>(
      kiln::KilnDialect::kLoweringConfigAttrName);
  return config && config.getStrategy() &&
         config.getStrategy().getValue() ==
             kiln::LoweringConfigAttr::kIm2ColStrategy;
}

/// Whether `conv` reads each input pixel once, in place: a 1x1 filter,
/// unit strides and dilations. Its im2col matrix is its input.
bool isPointwise(linalg::Conv2DNchwFchwOp conv) {
  auto filter = cast<RankedTensorType>(conv.getInputs()[1].getType());
  auto isOne = [](APInt v) { return v.isOne(); };
  return filter.getDimSize(2) == 1 && filter.getDimSize(3) == 1 &&
         llvm::all_of(conv.getStrides().getValues<APInt>(), isOne) &&
         llvm::all_of(conv.getDilations().getValues<APInt>(), isOne);
}

/// A pointwise conv as the contraction im2col makes, on the input and
/// output with their pixels collapsed into one dim: no copy.
void rewritePointwise(RewriterBase &rewriter, linalg::Conv2DNchwFchwOp conv) {
  Location loc = conv.getLoc();
  SmallVector<ReassociationIndices> pixels = {{0}, {1}, {2, 3}};
  Value input = tensor::CollapseShapeOp::create(rewriter, loc,
                                                conv.getInputs()[0], pixels);
  Value filter = tensor::CollapseShapeOp::create(
      rewriter, loc, conv.getInputs()[1],
      SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
  Value init = tensor::CollapseShapeOp::create(rewriter, loc,
                                               conv.getOutputs()[0], pixels);
  // (image, filter, pixel, channel).
  MLIRContext *ctx = rewriter.getContext();
  auto map = [&](ArrayRef<unsigned> dims) {
    return AffineMap::getMultiDimMapWithTargets(4, dims, ctx);
  };
  SmallVector<AffineMap> maps = {map({1, 3}), map({0, 3, 2}), map({0, 1, 2})};
  SmallVector<utils::IteratorType> iterators(3, utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  auto product = linalg::GenericOp::create(
      rewriter, loc, init.getType(), ValueRange{filter, input}, init, maps,
      iterators, [](OpBuilder &b, Location l, ValueRange args) {
        Value mul = arith::MulFOp::create(b, l, args[0], args[1]);
        Value sum = arith::AddFOp::create(b, l, mul, args[2]);
        linalg::YieldOp::create(b, l, sum);
      });
  rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
      conv, conv.getResultTypes()[0], product.getResult(0), pixels);
}

struct Im2ColByConfigPass
    : kiln::impl::Im2ColByConfigPassBase<Im2ColByConfigPass> {
  void runOnOperation() override {
    SmallVector<linalg::Conv2DNchwFchwOp> convs;
    getOperation().walk([&](linalg::Conv2DNchwFchwOp conv) {
      if (hasIm2ColStrategy(conv))
        convs.push_back(conv);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::Conv2DNchwFchwOp conv : convs) {
      rewriter.setInsertionPoint(conv);
      if (isPointwise(conv)) {
        rewritePointwise(rewriter, conv);
        continue;
      }
      if (failed(linalg::rewriteInIm2Col(rewriter, conv))) {
        conv->emitError("cannot lower through im2col as its "
                        "#kiln.lowering_config says");
        return signalPassFailure();
      }
    }
  }
};
} // namespace
