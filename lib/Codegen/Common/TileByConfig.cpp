//===- TileByConfig.cpp - tile ops as their lowering config says ----------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/SCF/Transforms/Patterns.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {
#define GEN_PASS_DEF_TILEBYCONFIGPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
/// Marks the loops this pass made until their partial tiles are peeled.
constexpr llvm::StringLiteral kPeelAttrName = "__kiln_peel";

/// The tile sizes of `level` of `op`'s config, one per loop; empty if the
/// level tiles nothing.
SmallVector<int64_t> getLevelSizes(linalg::LinalgOp op, unsigned level) {
  auto config = op->getAttrOfType<kiln::LoweringConfigAttr>(
      kiln::KilnDialect::kLoweringConfigAttrName);
  if (!config)
    return {};
  SmallVector<int64_t> sizes = config.getTileSizes(level);
  sizes.resize(op.getNumLoops(), 0);
  if (llvm::all_of(sizes, [](int64_t s) { return s == 0; }))
    return {};
  return sizes;
}

unsigned getNumLevels(linalg::LinalgOp op) {
  auto config = op->getAttrOfType<kiln::LoweringConfigAttr>(
      kiln::KilnDialect::kLoweringConfigAttrName);
  return config ? config.getNumTilingLevels() : 0;
}

struct TileByConfigPass : kiln::impl::TileByConfigPassBase<TileByConfigPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op.hasPureTensorSemantics() && getNumLevels(op) > 0)
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops)
      for (unsigned level = 0, e = getNumLevels(op); level < e; ++level)
        if (failed(tileLevel(rewriter, op, level)))
          return signalPassFailure();
    peelPartialTiles(rewriter);
    // Tile sizes that are min(step, ub - iv) of a whole-tile loop are its
    // step.
    RewritePatternSet patterns(&getContext());
    scf::populateSCFForLoopCanonicalizationPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }

  /// Splits each tile loop whose step does not divide its static range into
  /// the whole tiles and one partial tile, so that every whole tile keeps
  /// the static shape of its level (the shape the config vectorizes). Outer
  /// loops first; the loops a peel copies into the partial tile are peeled
  /// in the next round.
  void peelPartialTiles(IRRewriter &rewriter) {
    for (bool changed = true; changed;) {
      changed = false;
      SmallVector<scf::ForOp> loops;
      getOperation().walk<WalkOrder::PreOrder>([&](scf::ForOp loop) {
        if (loop->hasAttr(kPeelAttrName))
          loops.push_back(loop);
      });
      for (scf::ForOp loop : loops) {
        loop->removeAttr(kPeelAttrName);
        changed = true;
        std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound()),
                               ub = getConstantIntValue(loop.getUpperBound()),
                               step = getConstantIntValue(loop.getStep());
        if (!lb || !ub || !step || *ub - *lb <= *step ||
            (*ub - *lb) % *step == 0)
          continue;
        scf::ForOp partial;
        rewriter.setInsertionPoint(loop);
        (void)scf::peelForLoopAndSimplifyBounds(rewriter, loop, partial);
      }
    }
  }

  /// Tiles `op` by `level`; `op` becomes the tiled op inside the loops.
  LogicalResult tileLevel(IRRewriter &rewriter, linalg::LinalgOp &op,
                          unsigned level) {
    SmallVector<int64_t> sizes = getLevelSizes(op, level);
    if (sizes.empty())
      return success();
    scf::SCFTilingOptions options;
    options.setTileSizes(getAsIndexOpFoldResult(&getContext(), sizes));
    options.setLoopType(scf::SCFTilingOptions::LoopType::ForOp);
    rewriter.setInsertionPoint(op);
    FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(op.getOperation()), options);
    if (failed(tiled))
      return op->emitError("cannot tile by level ")
             << level << " of its #kiln.lowering_config";
    for (LoopLikeOpInterface loop : tiled->loops)
      loop->setAttr(kPeelAttrName, rewriter.getUnitAttr());
    rewriter.replaceOp(op, tiled->replacements);
    op = cast<linalg::LinalgOp>(tiled->tiledOps.front());
    return success();
  }
};
} // namespace
