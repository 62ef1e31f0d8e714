//===- Im2ColByConfig.cpp - convolutions as im2col and a contraction ------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"
#include "kiln/Tuning/Convolution.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <limits>

namespace kiln {
#define GEN_PASS_DEF_IM2COLBYCONFIGPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
/// Whether `conv`'s operands are all static: the rewrite below needs it
/// (a config that says im2col for another conv leaves it a conv).
bool isStatic(kiln::Conv2DNchw conv) {
  return llvm::all_of(conv.op->getOperandTypes(), [](Type type) {
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
bool isPointwise(kiln::Conv2DNchw conv) {
  auto filter = cast<RankedTensorType>(conv.getFilter().getType());
  auto isOne = [](int64_t v) { return v == 1; };
  return filter.getDimSize(2) == 1 && filter.getDimSize(3) == 1 &&
         llvm::all_of(conv.strides, isOne) &&
         llvm::all_of(conv.dilations, isOne);
}

/// The im2col matrix of `conv`, [N, C*KH*KW, OH*OW]: a copy whose loops
/// are (image, channel, kernel row, kernel column, output row, output
/// column), so the innermost reads and writes a row of pixels in order.
Value buildWindows(RewriterBase &rewriter, kiln::Conv2DNchw conv) {
  Location loc = conv.op.getLoc();
  MLIRContext *ctx = rewriter.getContext();
  auto input = cast<RankedTensorType>(conv.getInput().getType());
  auto filter = cast<RankedTensorType>(conv.getFilter().getType());
  auto output = cast<RankedTensorType>(conv.getInit().getType());
  ArrayRef<int64_t> strides = conv.strides, dilations = conv.dilations;
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
      rewriter, loc, empty.getType(), conv.getInput(), empty, maps,
      SmallVector<utils::IteratorType>(6, utils::IteratorType::parallel),
      [](OpBuilder &b, Location l, ValueRange args) {
        linalg::YieldOp::create(b, l, args[0]);
      });
  return tensor::CollapseShapeOp::create(
      rewriter, loc, copy.getResult(0),
      SmallVector<ReassociationIndices>{{0}, {1, 2, 3}, {4, 5}});
}

/// The pixel panel width of `conv`'s config (the packing of its output
/// columns), if it divides the pixels; 0 for a plain im2col matrix.
int64_t getPanelWidth(kiln::Conv2DNchw conv) {
  auto config = kiln::LoweringConfigAttr::lookup(conv.op);
  if (!config || !config.getPacking() || config.getPacking().size() < 4)
    return 0;
  int64_t panel = config.getPacking()[3];
  auto output = cast<RankedTensorType>(conv.getInit().getType());
  int64_t pixels = output.getDimSize(2) * output.getDimSize(3);
  // The copy's offsets into an image are i32.
  auto input = cast<RankedTensorType>(conv.getInput().getType());
  if (input.getDimSize(1) * input.getDimSize(2) * input.getDimSize(3) >
      std::numeric_limits<int32_t>::max())
    return 0;
  return panel > 1 && pixels % panel == 0 ? panel : 0;
}

/// An i32 constant of `shape` holding `values`.
Value buildOffsets(RewriterBase &rewriter, Location loc,
                   ArrayRef<int64_t> shape, ArrayRef<int32_t> values) {
  auto type = RankedTensorType::get(shape, rewriter.getI32Type());
  return arith::ConstantOp::create(rewriter, loc,
                                   DenseElementsAttr::get(type, values));
}

/// The offset of each output pixel's window corner in an input channel
/// plane (oh * stride * W + ow * stride), as [OH*OW/panel, panel].
Value buildPixelOffsets(RewriterBase &rewriter, kiln::Conv2DNchw conv,
                        int64_t panel) {
  auto input = cast<RankedTensorType>(conv.getInput().getType());
  auto output = cast<RankedTensorType>(conv.getInit().getType());
  ArrayRef<int64_t> strides = conv.strides;
  int64_t oh = output.getDimSize(2), ow = output.getDimSize(3),
          width = input.getDimSize(3);
  SmallVector<int32_t> offsets;
  for (int64_t y = 0; y < oh; ++y)
    for (int64_t x = 0; x < ow; ++x)
      offsets.push_back(y * strides[0] * width + x * strides[1]);
  return buildOffsets(rewriter, conv.op.getLoc(), {oh * ow / panel, panel},
                      offsets);
}

/// The offset of each window element (c, kh, kw) in an input image (c * H
/// * W + kh * dilation * W + kw * dilation), as [C*KH*KW].
Value buildWindowOffsets(RewriterBase &rewriter, kiln::Conv2DNchw conv) {
  auto input = cast<RankedTensorType>(conv.getInput().getType());
  auto filter = cast<RankedTensorType>(conv.getFilter().getType());
  ArrayRef<int64_t> dilations = conv.dilations;
  int64_t height = input.getDimSize(2), width = input.getDimSize(3);
  SmallVector<int32_t> offsets;
  for (int64_t c = 0; c < filter.getDimSize(1); ++c)
    for (int64_t i = 0; i < filter.getDimSize(2); ++i)
      for (int64_t j = 0; j < filter.getDimSize(3); ++j)
        offsets.push_back(c * height * width + i * dilations[0] * width +
                          j * dilations[1]);
  return buildOffsets(rewriter, conv.op.getLoc(), {(int64_t)offsets.size()},
                      offsets);
}

/// The im2col matrix of `conv` in panels of `panel` pixels, [N,
/// OH*OW/panel, C*KH*KW, panel]: each panel, the columns the contraction's
/// register tile reads, contiguous. A copy whose loops are (image, panel,
/// window element, pixel in panel); each element is read from the image
/// at its window element's offset plus its pixel's, two constants read in
/// order (nothing is divided per element). Its output is the matrix
/// itself, so a tile of the contraction can compute its slice.
Value buildWindowPanels(RewriterBase &rewriter, kiln::Conv2DNchw conv,
                        int64_t panel) {
  Location loc = conv.op.getLoc();
  MLIRContext *ctx = rewriter.getContext();
  auto input = cast<RankedTensorType>(conv.getInput().getType());
  auto filter = cast<RankedTensorType>(conv.getFilter().getType());
  auto output = cast<RankedTensorType>(conv.getInit().getType());
  int64_t pixels = output.getDimSize(2) * output.getDimSize(3);
  SmallVector<int64_t> shape = {input.getDimSize(0), pixels / panel,
                                filter.getDimSize(1) * filter.getDimSize(2) *
                                    filter.getDimSize(3),
                                panel};
  Value images = tensor::CollapseShapeOp::create(
      rewriter, loc, conv.getInput(),
      SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
  Value windowOffsets = buildWindowOffsets(rewriter, conv);
  Value pixelOffsets = buildPixelOffsets(rewriter, conv, panel);
  Value empty =
      tensor::EmptyOp::create(rewriter, loc, shape, input.getElementType());
  SmallVector<AffineMap> maps = {
      AffineMap::getMultiDimMapWithTargets(4, {2}, ctx),
      AffineMap::getMultiDimMapWithTargets(4, {1, 3}, ctx),
      AffineMap::getMultiDimIdentityMap(4, ctx)};
  auto copy = linalg::GenericOp::create(
      rewriter, loc, empty.getType(), ValueRange{windowOffsets, pixelOffsets},
      empty, maps,
      SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
      [&](OpBuilder &b, Location l, ValueRange args) {
        Type index = b.getIndexType();
        Value at = arith::AddIOp::create(
            b, l, arith::IndexCastOp::create(b, l, index, args[0]),
            arith::IndexCastOp::create(b, l, index, args[1]));
        Value image = linalg::IndexOp::create(b, l, 0);
        linalg::YieldOp::create(
            b, l,
            tensor::ExtractOp::create(b, l, images, ValueRange{image, at})
                .getResult());
      });
  return copy.getResult(0);
}

/// `conv`'s own body, as the body of its contraction with arguments
/// (filter, window element, accumulator).
void cloneBody(OpBuilder &b, kiln::Conv2DNchw conv, ValueRange args) {
  Block *body = conv.op.getBlock();
  IRMapping mapping;
  mapping.map(body->getArgument(0), args[1]);
  mapping.map(body->getArgument(1), args[0]);
  mapping.map(body->getArgument(2), args[2]);
  for (Operation &op : body->without_terminator())
    b.clone(op, mapping);
  linalg::YieldOp::create(b, body->getTerminator()->getLoc(),
                          mapping.lookup(body->getTerminator()->getOperand(0)));
}

/// The contraction of `conv`'s filters, collapsed to [F, C*KH*KW], with
/// `windows` into `init`, over loops (image, filter, pixel loops..., window
/// element): `windowDims` and `initDims` are the loops of their dims.
Value buildFilterProduct(RewriterBase &rewriter, kiln::Conv2DNchw conv,
                         Value windows, Value init,
                         ArrayRef<unsigned> windowDims,
                         ArrayRef<unsigned> initDims) {
  Location loc = conv.op.getLoc();
  Value filter = tensor::CollapseShapeOp::create(
      rewriter, loc, conv.getFilter(),
      SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
  MLIRContext *ctx = rewriter.getContext();
  unsigned loops = initDims.size() + 1;
  auto map = [&](ArrayRef<unsigned> dims) {
    return AffineMap::getMultiDimMapWithTargets(loops, dims, ctx);
  };
  SmallVector<AffineMap> maps = {map({1, loops - 1}), map(windowDims),
                                 map(initDims)};
  SmallVector<utils::IteratorType> iterators(loops - 1,
                                             utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  auto product = linalg::GenericOp::create(
      rewriter, loc, init.getType(), ValueRange{filter, windows}, init, maps,
      iterators, [&](OpBuilder &b, Location l, ValueRange args) {
        cloneBody(b, conv, args);
      });
  return product.getResult(0);
}

/// `conv` as the contraction of its filters with its window panels [N,
/// P/panel, C*KH*KW, panel], into its output as [N, F, P/panel, panel].
void rewriteAsPanelContraction(RewriterBase &rewriter, kiln::Conv2DNchw conv,
                               Value panels, int64_t panel) {
  Location loc = conv.op.getLoc();
  Value init = collapsePixels(rewriter, loc, conv.getInit());
  auto flat = cast<RankedTensorType>(init.getType());
  auto blocked = RankedTensorType::get({flat.getDimSize(0), flat.getDimSize(1),
                                        flat.getDimSize(2) / panel, panel},
                                       flat.getElementType());
  SmallVector<ReassociationIndices> blocks = {{0}, {1}, {2, 3}};
  init = tensor::ExpandShapeOp::create(rewriter, loc, blocked, init, blocks);
  // (image, filter, panel, pixel in panel, window element).
  Value product = buildFilterProduct(rewriter, conv, panels, init, {0, 2, 4, 3},
                                     {0, 1, 2, 3});
  Value pixels =
      tensor::CollapseShapeOp::create(rewriter, loc, flat, product, blocks);
  rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
      conv.op, conv.op->getResultTypes()[0], pixels, getPixelDims());
}

/// `conv` as the contraction of its filters with `windows`, its im2col
/// matrix [N, C*KH*KW, OH*OW], into its output with the pixels collapsed.
void rewriteAsContraction(RewriterBase &rewriter, kiln::Conv2DNchw conv,
                          Value windows) {
  Value init = collapsePixels(rewriter, conv.op.getLoc(), conv.getInit());
  // (image, filter, pixel, window element).
  Value product =
      buildFilterProduct(rewriter, conv, windows, init, {0, 3, 2}, {0, 1, 2});
  rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
      conv.op, conv.op->getResultTypes()[0], product, getPixelDims());
}

/// Whether `operand`, read by an all-parallel generic, is a reshape of the
/// result of a contraction that nothing else reads (an im2col product seen
/// as NCHW).
bool isReshapedContraction(OpOperand *operand) {
  auto consumer = dyn_cast<linalg::GenericOp>(operand->getOwner());
  if (!consumer || consumer.getNumParallelLoops() != consumer.getNumLoops() ||
      consumer->getNumResults() != 1)
    return false;
  Value value = operand->get();
  while (isa_and_nonnull<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(
      value.getDefiningOp())) {
    if (!value.hasOneUse())
      return false;
    value = value.getDefiningOp()->getOperand(0);
  }
  auto producer = value.getDefiningOp<linalg::LinalgOp>();
  return producer && producer.getNumReductionLoops() > 0 && value.hasOneUse();
}

/// Whether `operand` is the source of a reshape into a contraction's init
/// that nothing else reads, made by an all-parallel op that only the
/// reshape reads (a convolution's bias broadcast to its output, seen as
/// the im2col product's shape).
bool isReshapedInit(OpOperand *operand) {
  auto reshape = operand->getOwner();
  if (!isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(reshape))
    return false;
  auto producer = operand->get().getDefiningOp<linalg::GenericOp>();
  if (!producer || !operand->get().hasOneUse() ||
      producer.getNumParallelLoops() != producer.getNumLoops() ||
      producer->getNumResults() != 1)
    return false;
  Value value = reshape->getResult(0);
  while (value.hasOneUse() &&
         isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(
             value.getUses().begin()->getOwner()))
    value = value.getUses().begin()->getOwner()->getResult(0);
  if (!value.hasOneUse())
    return false;
  OpOperand &use = *value.getUses().begin();
  auto consumer = dyn_cast<linalg::LinalgOp>(use.getOwner());
  return consumer && consumer.isDpsInit(&use) &&
         consumer.getNumReductionLoops() > 0;
}

/// What the reshape propagation below may move: the epilogue's reshapes
/// and the init's.
bool isEpilogueOrInit(OpOperand *operand) {
  return isReshapedContraction(operand) || isReshapedInit(operand);
}

/// The elementwise op that reads a rewritten convolution (its activation,
/// a residual add) iterates over the contraction's own shape instead of
/// NCHW, its other operands reshaped, so that it reads the contraction's
/// result in place and can be computed in the contraction's tiles. Its
/// loops change: it is left without a config, for the policy to decide.
LogicalResult propagateEpilogueShapes(func::FuncOp func) {
  // First its NCHW loops collapse onto the contraction's [N, F, OH*OW]
  // (the expand_shape it reads), then expand to a panel contraction's
  // [N, F, OH*OW/P, P] (the collapse_shape before that).
  // The init's reshapes move above the op that computes it, which then
  // iterates over the contraction's shape too.
  SmallVector<linalg::GenericOp> inits;
  func.walk([&](Operation *op) {
    if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(op) &&
        isReshapedInit(&op->getOpOperand(0)))
      inits.push_back(op->getOperand(0).getDefiningOp<linalg::GenericOp>());
  });
  for (linalg::GenericOp init : inits)
    init->removeAttr(kiln::KilnDialect::kLoweringConfigAttrName);
  RewritePatternSet collapsing(func.getContext());
  linalg::populateFoldReshapeOpsByCollapsingPatterns(collapsing,
                                                     isEpilogueOrInit);
  if (failed(applyPatternsGreedily(func, std::move(collapsing))))
    return failure();
  RewritePatternSet expanding(func.getContext());
  linalg::populateFoldReshapeOpsByExpansionPatterns(expanding,
                                                    isEpilogueOrInit);
  if (failed(applyPatternsGreedily(func, std::move(expanding))))
    return failure();
  func.walk([](linalg::GenericOp op) {
    if (llvm::any_of(op->getOpOperands(), [](OpOperand &operand) {
          return isReshapedContraction(&operand);
        }))
      op->removeAttr(kiln::KilnDialect::kLoweringConfigAttrName);
  });
  return success();
}

struct Im2ColByConfigPass
    : kiln::impl::Im2ColByConfigPassBase<Im2ColByConfigPass> {
  void runOnOperation() override {
    SmallVector<kiln::Conv2DNchw> convs;
    getOperation().walk([&](linalg::LinalgOp op) {
      std::optional<kiln::Conv2DNchw> conv = kiln::matchConv2DNchw(op);
      if (conv &&
          kiln::LoweringConfigAttr::hasStrategy(
              op, kiln::LoweringConfigAttr::kIm2ColStrategy) &&
          isStatic(*conv))
        convs.push_back(*conv);
    });
    IRRewriter rewriter(&getContext());
    for (kiln::Conv2DNchw conv : convs) {
      rewriter.setInsertionPoint(conv.op);
      if (int64_t panel = getPanelWidth(conv)) {
        rewriteAsPanelContraction(
            rewriter, conv, buildWindowPanels(rewriter, conv, panel), panel);
        continue;
      }
      Value windows =
          isPointwise(conv)
              ? collapsePixels(rewriter, conv.op.getLoc(), conv.getInput())
              : buildWindows(rewriter, conv);
      rewriteAsContraction(rewriter, conv, windows);
    }
    if (!convs.empty() && failed(propagateEpilogueShapes(getOperation())))
      return signalPassFailure();
  }
};
} // namespace
