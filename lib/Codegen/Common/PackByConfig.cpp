//===- PackByConfig.cpp - pack ops as their lowering config says ----------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Data tiling: an op whose config has `packing` is rewritten by upstream's
// linalg::pack into an op on packed operands. A constant operand is packed
// here, at compile time, with its packed loops outermost, so each panel the
// inner kernel reads is contiguous; packs and unpacks that only reshape
// become reshapes; what is left is lowered to copies.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "FoldConstantLayouts.h"

#include "kiln/Tuning/Weights.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {
#define GEN_PASS_DEF_PACKBYCONFIGPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
/// The inner tile of each loop, 0 for loops the config leaves unpacked (a
/// packing of 1); empty if it packs nothing.
SmallVector<int64_t> getPackedSizes(linalg::LinalgOp op) {
  kiln::LoweringConfigAttr config = kiln::LoweringConfigAttr::lookup(op);
  if (!config || !config.getPacking())
    return {};
  SmallVector<int64_t> sizes(config.getPacking().asArrayRef());
  sizes.resize(op.getNumLoops(), 1);
  for (int64_t &size : sizes)
    size = size == 1 ? 0 : size;
  if (llvm::all_of(sizes, [](int64_t s) { return s == 0; }))
    return {};
  return sizes;
}

/// Sizes given per loop of the unpacked op, for the packed op: a packed
/// loop counts tiles of its packing, and the inner loops linalg::pack
/// appends (one per packed loop, in loop order) get `inner(packing)`.
DenseI64ArrayAttr mapSizes(MLIRContext *ctx, ArrayRef<int64_t> sizes,
                           ArrayRef<int64_t> packed,
                           function_ref<int64_t(int64_t)> inner) {
  SmallVector<int64_t> result;
  for (auto [size, pack] : llvm::zip(sizes, packed))
    result.push_back(pack ? llvm::divideCeil(size, pack) : size);
  for (int64_t pack : packed)
    if (pack)
      result.push_back(inner(pack));
  return DenseI64ArrayAttr::get(ctx, result);
}

/// The config of the packed op: the same decisions in its loops.
kiln::LoweringConfigAttr mapConfig(kiln::LoweringConfigAttr config,
                                   ArrayRef<int64_t> packed) {
  MLIRContext *ctx = config.getContext();
  SmallVector<Attribute> levels;
  for (unsigned l = 0, e = config.getNumTilingLevels(); l < e; ++l) {
    SmallVector<int64_t> sizes = config.getTileSizes(l);
    sizes.resize(packed.size(), 0);
    // A whole inner tile per step of its outer loop.
    levels.push_back(mapSizes(ctx, sizes, packed, [](int64_t) { return 0; }));
  }
  DenseI64ArrayAttr vector;
  if (DenseI64ArrayAttr sizes = config.getVectorSizes())
    vector = mapSizes(ctx, sizes.asArrayRef(), packed,
                      [](int64_t pack) { return pack; });
  // Loop orders: the appended inner loops last, in order.
  int64_t inner = llvm::count_if(packed, [](int64_t p) { return p != 0; });
  SmallVector<Attribute> orders;
  for (unsigned l = 0, e = config.getNumTilingLevels(); l < e; ++l) {
    SmallVector<int64_t> order = config.getTileInterchange(l);
    if (!order.empty())
      for (int64_t i = 0; i < inner; ++i)
        order.push_back(packed.size() + i);
    orders.push_back(DenseI64ArrayAttr::get(ctx, order));
  }
  ArrayAttr interchange;
  if (config.getTileInterchange())
    interchange = ArrayAttr::get(ctx, orders);
  return kiln::LoweringConfigAttr::get(
      ctx, levels.empty() ? nullptr : ArrayAttr::get(ctx, levels), vector,
      /*packing=*/nullptr, config.getMicrokernel(), config.getParallelDims(),
      /*strategy=*/nullptr, interchange);
}

/// The outer-dims order that puts a pack's tiled dims first (in the order
/// they are tiled), so each of its tiles is one contiguous panel.
SmallVector<int64_t> getPanelsFirst(linalg::PackOp pack) {
  SmallVector<int64_t> perm(pack.getInnerDimsPos());
  for (int64_t d = 0, e = pack.getSourceRank(); d < e; ++d)
    if (!llvm::is_contained(pack.getInnerDimsPos(), d))
      perm.push_back(d);
  return perm;
}

/// Packs `op` as its config says; constant operands in panels.
LogicalResult packOp(RewriterBase &rewriter, linalg::LinalgOp op) {
  SmallVector<int64_t> packed = getPackedSizes(op);
  kiln::LoweringConfigAttr config = kiln::LoweringConfigAttr::lookup(op);
  rewriter.setInsertionPoint(op);
  FailureOr<linalg::PackResult> result = linalg::pack(
      rewriter, op, getAsIndexOpFoldResult(op->getContext(), packed));
  if (failed(result))
    return op->emitError("cannot pack by its #kiln.lowering_config");
  linalg::LinalgOp packedOp = result->packedLinalgOp;
  for (linalg::PackOp pack : result->packOps) {
    SmallVector<int64_t> perm = getPanelsFirst(pack);
    if (!kiln::isWeights(pack.getSource()) || isIdentityPermutation(perm))
      continue;
    FailureOr<linalg::PackTransposeResult> transposed = linalg::packTranspose(
        rewriter, pack, packedOp, /*maybeUnPackOp=*/nullptr, perm, {});
    if (failed(transposed))
      return op->emitError("cannot lay its constant operand out in panels");
    packedOp = transposed->transposedLinalgOp;
  }
  packedOp->setAttr(kiln::KilnDialect::kLoweringConfigAttrName,
                    mapConfig(config, packed));
  return success();
}

struct PackByConfigPass : kiln::impl::PackByConfigPassBase<PackByConfigPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op.hasPureTensorSemantics() && !getPackedSizes(op).empty())
        ops.push_back(op);
    });
    if (ops.empty())
      return;
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops)
      if (failed(packOp(rewriter, op)))
        return signalPassFailure();
    if (failed(foldPacks()) || failed(lowerPacks()))
      return signalPassFailure();
  }

  /// Constant packs fold; packs that only reshape become reshapes.
  LogicalResult foldPacks() {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    kiln::populateFoldConstantLayoutPatterns(patterns);
    linalg::populateSimplifyPackAndUnpackPatterns(patterns);
    linalg::populateFoldPackUnpackIntoTensorEmptyPatterns(patterns);
    linalg::FillOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, ctx);
    return applyPatternsGreedily(getOperation(), std::move(patterns));
  }

  /// The packs of run-time values left: pads, reshapes and transposes.
  LogicalResult lowerPacks() {
    IRRewriter rewriter(&getContext());
    SmallVector<Operation *> left;
    getOperation().walk([&](Operation *op) {
      if (isa<linalg::PackOp, linalg::UnPackOp>(op))
        left.push_back(op);
    });
    for (Operation *op : left) {
      rewriter.setInsertionPoint(op);
      if (auto pack = dyn_cast<linalg::PackOp>(op)) {
        if (failed(linalg::lowerPack(rewriter, pack)))
          return op->emitError("cannot lower the pack");
      } else if (failed(linalg::lowerUnPack(rewriter,
                                            cast<linalg::UnPackOp>(op)))) {
        return op->emitError("cannot lower the unpack");
      }
    }
    return success();
  }
};
} // namespace
