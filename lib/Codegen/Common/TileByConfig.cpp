//===- TileByConfig.cpp - tile ops as their lowering config says ----------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/SCF/Transforms/Patterns.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
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
  auto config = kiln::LoweringConfigAttr::lookup(op);
  if (!config)
    return {};
  SmallVector<int64_t> sizes = config.getTileSizes(level);
  sizes.resize(op.getNumLoops(), 0);
  if (llvm::all_of(sizes, [](int64_t s) { return s == 0; }))
    return {};
  return sizes;
}

/// The loop order of `level`'s tile loops; empty for loop order.
SmallVector<int64_t> getLevelInterchange(linalg::LinalgOp op, unsigned level) {
  auto config = kiln::LoweringConfigAttr::lookup(op);
  SmallVector<int64_t> order =
      config ? config.getTileInterchange(level) : SmallVector<int64_t>();
  if (order.size() != op.getNumLoops())
    return {};
  return order;
}

/// The dims of `op`'s loops at `level`, outermost first: those with a tile
/// size, in the level's interchange order.
SmallVector<int64_t> getLoopDims(ArrayRef<int64_t> sizes,
                                 ArrayRef<int64_t> interchange) {
  SmallVector<int64_t> order =
      interchange.empty() ? llvm::to_vector(llvm::seq<int64_t>(0, sizes.size()))
                          : llvm::to_vector(interchange);
  return llvm::filter_to_vector(order, [&](int64_t d) { return sizes[d]; });
}

unsigned getNumLevels(linalg::LinalgOp op) {
  auto config = kiln::LoweringConfigAttr::lookup(op);
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
  }

  /// Splits each tile loop whose step does not divide its static range into
  /// the whole tiles and one partial tile, so that every whole tile keeps
  /// the static shape of its level (the shape the config vectorizes). Outer
  /// loops first; after each round the bounds are folded, so the loops a
  /// peel copied into a partial tile get static bounds for the next.
  void peelPartialTiles(IRRewriter &rewriter) {
    for (bool progress = true; progress;) {
      progress = false;
      SmallVector<scf::ForOp> loops;
      getOperation().walk<WalkOrder::PreOrder>([&](scf::ForOp loop) {
        if (loop->hasAttr(kPeelAttrName))
          loops.push_back(loop);
      });
      for (scf::ForOp loop : loops)
        progress |= peelIfStatic(rewriter, loop);
      if (failed(simplifyBounds()))
        return signalPassFailure();
    }
    getOperation().walk(
        [](scf::ForOp loop) { loop->removeAttr(kPeelAttrName); });
  }

  /// Peels `loop` if its bounds are static and its step does not divide
  /// its range; false while its bounds are not static yet.
  bool peelIfStatic(IRRewriter &rewriter, scf::ForOp loop) {
    std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound()),
                           ub = getConstantIntValue(loop.getUpperBound()),
                           step = getConstantIntValue(loop.getStep());
    if (!lb || !ub || !step)
      return false;
    loop->removeAttr(kPeelAttrName);
    if (*ub - *lb > *step && (*ub - *lb) % *step != 0) {
      scf::ForOp partial;
      rewriter.setInsertionPoint(loop);
      (void)scf::peelForLoopAndSimplifyBounds(rewriter, loop, partial);
    }
    return true;
  }

  /// Tile sizes min(step, ub - iv) of whole-tile loops become the step, and
  /// single-iteration loops their body.
  LogicalResult simplifyBounds() {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    scf::populateSCFForLoopCanonicalizationPatterns(patterns);
    scf::ForOp::getCanonicalizationPatterns(patterns, ctx);
    affine::AffineMinOp::getCanonicalizationPatterns(patterns, ctx);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, ctx);
    // A fused producer's slice of its tensor.empty becomes its own, the
    // size of a tile (a buffer per tile, not a slice of a whole one).
    tensor::populateFoldTensorEmptyPatterns(patterns);
    return applyPatternsGreedily(getOperation(), std::move(patterns));
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
    options.setInterchange(getLevelInterchange(op, level));
    rewriter.setInsertionPoint(op);
    FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(op.getOperation()), options);
    if (failed(tiled))
      return op->emitError("cannot tile by level ")
             << level << " of its #kiln.lowering_config";
    for (LoopLikeOpInterface loop : tiled->loops)
      loop->setAttr(kPeelAttrName, rewriter.getUnitAttr());
    markParallelLoops(op, tiled->loops,
                      getLoopDims(sizes, options.interchangeVector));
    rewriter.replaceOp(op, tiled->replacements);
    op = cast<linalg::LinalgOp>(tiled->tiledOps.front());
    if (level == 0)
      fuseProducers(rewriter, op, tiled->loops, sizes);
    return success();
  }

  /// Marks the tile loops over the config's `parallel_dims`: loops whose
  /// iterations write disjoint tiles, which may run on several threads
  /// (kiln-outline-parallel-loops picks the outermost that runs more than
  /// once; a cache tile often covers a whole dim).
  void markParallelLoops(linalg::LinalgOp op,
                         MutableArrayRef<LoopLikeOpInterface> loops,
                         ArrayRef<int64_t> dims) {
    auto config = kiln::LoweringConfigAttr::lookup(op);
    if (!config || !config.getParallelDims() || loops.size() != dims.size())
      return;
    ArrayRef<int64_t> parallel = config.getParallelDims().asArrayRef();
    for (auto [loop, dim] : llvm::zip(loops, dims))
      if (llvm::is_contained(parallel, dim))
        loop->setAttr(kiln::KilnDialect::kParallelAttrName,
                      UnitAttr::get(op->getContext()));
  }

  /// Whether `op` computes each element of its results alone: all loops
  /// parallel, each result written through a projected permutation.
  static bool isTileableCopy(linalg::LinalgOp op) {
    return op.getNumParallelLoops() == op.getNumLoops() &&
           llvm::all_of(op.getDpsInitsMutable(), [&](OpOperand &init) {
             return op.getMatchingIndexingMap(&init).isProjectedPermutation();
           });
  }

  /// Pads the tiled `op` reads are computed inside the loops of its first
  /// level, a tile at a time (a convolution's padded channel plane stays in
  /// cache between its copy and its use, and no padded copy of the whole
  /// input is made); so are untiled linalg producers (their configs leave
  /// them to their consumer: an im2col panel copy) that only this op reads
  /// and whose slices the tile loops never read twice, so fusing computes
  /// nothing again.
  void fuseProducers(IRRewriter &rewriter, linalg::LinalgOp op,
                     MutableArrayRef<LoopLikeOpInterface> loops,
                     ArrayRef<int64_t> sizes) {
    if (loops.empty())
      return;
    for (OpOperand *input : op.getDpsInputOperands()) {
      auto slice = input->get().getDefiningOp<tensor::ExtractSliceOp>();
      if (!slice)
        continue;
      Operation *producer = slice.getSource().getDefiningOp();
      auto linalgProducer = dyn_cast_or_null<linalg::LinalgOp>(producer);
      bool disjoint =
          linalgProducer && getNumLevels(linalgProducer) == 0 &&
          isTileableCopy(linalgProducer) && slice.getSource().hasOneUse() &&
          llvm::all_of(llvm::seq<unsigned>(0, sizes.size()), [&](unsigned d) {
            return !sizes[d] ||
                   op.getMatchingIndexingMap(input).isFunctionOfDim(d);
          });
      if (isa_and_nonnull<tensor::PadOp>(producer) || disjoint)
        (void)scf::tileAndFuseProducerOfSlice(rewriter, slice, loops);
    }
  }
};
} // namespace
