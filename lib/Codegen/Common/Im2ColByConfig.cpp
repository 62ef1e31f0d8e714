//===- Im2ColByConfig.cpp - convolutions as im2col and a contraction ------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/IR/AffineMap.h"

namespace kiln {
#define GEN_PASS_DEF_IM2COLBYCONFIGPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
/// Whether `conv`'s operands are all static: the rewrite below needs it
/// (a config that says im2col for another conv leaves it a conv).
bool isStatic(linalg::Conv2DNchwFchwOp conv) {
  return llvm::all_of(conv->getOperandTypes(), [](Type type) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    return tensor && tensor.hasStaticShape();
  });
}

/// NCHW with the pixels in one dim: [N, C, H*W].
SmallVector<ReassociationIndices> getPixelDims() { return {{0}, {1}, {2, 3}}; }

Value collapsePixels(RewriterBase &rewriter, Location loc, Value value) {
  return tensor::CollapseShapeOp::create(rewriter, loc, value, getPixelDims());
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

/// The im2col matrix of `conv`, [N, C*KH*KW, OH*OW]: a copy whose loops
/// are (image, channel, kernel row, kernel column, output row, output
/// column), so the innermost reads and writes a row of pixels in order.
Value buildWindows(RewriterBase &rewriter, linalg::Conv2DNchwFchwOp conv) {
  Location loc = conv.getLoc();
  MLIRContext *ctx = rewriter.getContext();
  auto input = cast<RankedTensorType>(conv.getInputs()[0].getType());
  auto filter = cast<RankedTensorType>(conv.getInputs()[1].getType());
  auto output = cast<RankedTensorType>(conv.getOutputs()[0].getType());
  SmallVector<int64_t> strides(conv.getStrides().getValues<int64_t>()),
      dilations(conv.getDilations().getValues<int64_t>());
  SmallVector<int64_t> shape = {input.getDimSize(0),  input.getDimSize(1),
                                filter.getDimSize(2), filter.getDimSize(3),
                                output.getDimSize(2), output.getDimSize(3)};
  AffineExpr n, c, kh, kw, oh, ow;
  bindDims(ctx, n, c, kh, kw, oh, ow);
  auto read = AffineMap::get(6, 0,
                             {n, c, oh * strides[0] + kh * dilations[0],
                              ow * strides[1] + kw * dilations[1]},
                             ctx);
  SmallVector<AffineMap> maps = {read,
                                 AffineMap::getMultiDimIdentityMap(6, ctx)};
  Value empty =
      tensor::EmptyOp::create(rewriter, loc, shape, input.getElementType());
  auto copy = linalg::GenericOp::create(
      rewriter, loc, empty.getType(), conv.getInputs()[0], empty, maps,
      SmallVector<utils::IteratorType>(6, utils::IteratorType::parallel),
      [](OpBuilder &b, Location l, ValueRange args) {
        linalg::YieldOp::create(b, l, args[0]);
      });
  return tensor::CollapseShapeOp::create(
      rewriter, loc, copy.getResult(0),
      SmallVector<ReassociationIndices>{{0}, {1, 2, 3}, {4, 5}});
}

/// `conv` as the contraction of its filters, [F, C*KH*KW], with `windows`,
/// its im2col matrix [N, C*KH*KW, OH*OW], into its output with the pixels
/// collapsed.
void rewriteAsContraction(RewriterBase &rewriter, linalg::Conv2DNchwFchwOp conv,
                          Value windows) {
  Location loc = conv.getLoc();
  Value filter = tensor::CollapseShapeOp::create(
      rewriter, loc, conv.getInputs()[1],
      SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
  Value init = collapsePixels(rewriter, loc, conv.getOutputs()[0]);
  // (image, filter, pixel, window element).
  MLIRContext *ctx = rewriter.getContext();
  auto map = [&](ArrayRef<unsigned> dims) {
    return AffineMap::getMultiDimMapWithTargets(4, dims, ctx);
  };
  SmallVector<AffineMap> maps = {map({1, 3}), map({0, 3, 2}), map({0, 1, 2})};
  SmallVector<utils::IteratorType> iterators(3, utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  auto product = linalg::GenericOp::create(
      rewriter, loc, init.getType(), ValueRange{filter, windows}, init, maps,
      iterators, [](OpBuilder &b, Location l, ValueRange args) {
        Value mul = arith::MulFOp::create(b, l, args[0], args[1]);
        Value sum = arith::AddFOp::create(b, l, mul, args[2]);
        linalg::YieldOp::create(b, l, sum);
      });
  rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
      conv, conv.getResultTypes()[0], product.getResult(0), getPixelDims());
}

struct Im2ColByConfigPass
    : kiln::impl::Im2ColByConfigPassBase<Im2ColByConfigPass> {
  void runOnOperation() override {
    SmallVector<linalg::Conv2DNchwFchwOp> convs;
    getOperation().walk([&](linalg::Conv2DNchwFchwOp conv) {
      if (kiln::LoweringConfigAttr::hasStrategy(
              conv, kiln::LoweringConfigAttr::kIm2ColStrategy) &&
          isStatic(conv))
        convs.push_back(conv);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::Conv2DNchwFchwOp conv : convs) {
      rewriter.setInsertionPoint(conv);
      Value windows =
          isPointwise(conv)
              ? collapsePixels(rewriter, conv.getLoc(), conv.getInputs()[0])
              : buildWindows(rewriter, conv);
      rewriteAsContraction(rewriter, conv, windows);
    }
  }
};
} // namespace
