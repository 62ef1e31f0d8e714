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
#include "mlir/IR/Dominance.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

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
    // The producers of inits fused into their consumers' tiles are tiled
    // last, by their own configs, where they are then.
    SmallVector<linalg::LinalgOp> inits;
    for (linalg::LinalgOp op : ops)
      if (linalg::LinalgOp producer = getFusedInit(op))
        inits.push_back(producer);
    llvm::erase_if(ops, [&](linalg::LinalgOp op) {
      return llvm::is_contained(inits, op);
    });
    IRRewriter rewriter(&getContext());
    for (auto *pending : {&ops, &inits})
      for (size_t i = 0; i < pending->size(); ++i) {
        linalg::LinalgOp op = (*pending)[i];
        for (unsigned level = 0, e = getNumLevels(op); level < e; ++level)
          if (failed(tileLevel(rewriter, op, level, *pending, inits)))
            return signalPassFailure();
      }
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
                          unsigned level,
                          SmallVectorImpl<linalg::LinalgOp> &pending,
                          SmallVectorImpl<linalg::LinalgOp> &inits) {
    SmallVector<int64_t> sizes = getLevelSizes(op, level);
    if (sizes.empty())
      return success();
    linalg::LinalgOp init = level == 0 ? getFusedInit(op) : nullptr;
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
    if (level == 0) {
      if (init)
        fuseInit(rewriter, op, init, tiled->loops, inits);
      fuseProducers(rewriter, op, tiled->loops, sizes);
      fuseConsumer(rewriter, op, tiled->loops,
                   getLoopDims(sizes, options.interchangeVector), pending);
    }
    return success();
  }

  /// The elementwise op that alone reads the result of `loops` (the tile
  /// loops of `op`) element for element, if any.
  static linalg::GenericOp getEpilogue(LoopLikeOpInterface outermost) {
    Operation *loop = outermost.getOperation();
    if (loop->getNumResults() != 1 || !loop->getResult(0).hasOneUse())
      return nullptr;
    OpOperand &use = *loop->getResult(0).getUses().begin();
    auto consumer = dyn_cast<linalg::GenericOp>(use.getOwner());
    if (!consumer || !consumer.hasPureTensorSemantics() ||
        consumer->getNumResults() != 1 || !consumer.isDpsInput(&use) ||
        consumer.getNumParallelLoops() != consumer.getNumLoops() ||
        !consumer.getMatchingIndexingMap(&use).isIdentity() ||
        !consumer.getMatchingIndexingMap(consumer.getDpsInitOperand(0))
             .isIdentity())
      return nullptr;
    return consumer;
  }

  /// Moves the side-effect-free op defining `value` (a tensor.empty, its
  /// reshapes) before `loop`, with the ops its operands need; false if
  /// something there cannot move.
  static bool hoistBefore(Value value, LoopLikeOpInterface loop,
                          DominanceInfo &dominance, unsigned depth = 0) {
    if (dominance.properlyDominates(value, loop))
      return true;
    Operation *def = value.getDefiningOp();
    if (!def || depth > 4 || def->getNumRegions() != 0 ||
        !isMemoryEffectFree(def) || def->getBlock() != loop->getBlock())
      return false;
    for (Value operand : def->getOperands())
      if (!hoistBefore(operand, loop, dominance, depth + 1))
        return false;
    def->moveBefore(loop);
    return true;
  }

  /// Whether every operand of `consumer` but `loop`'s result is defined
  /// before `loop`, once the side-effect-free ops that define them (its
  /// destination's tensor.empty) move there.
  static bool defineBefore(linalg::GenericOp consumer,
                           LoopLikeOpInterface loop) {
    DominanceInfo dominance(loop->getParentOp());
    return llvm::all_of(consumer->getOperands(), [&](Value operand) {
      return operand.getDefiningOp() == loop.getOperation() ||
             hoistBefore(operand, loop, dominance);
    });
  }

  /// Makes the reduction tile loop `loop` carry the tile of the result it
  /// accumulates instead of the whole result (its extract_slice and
  /// insert_slice move out of it), so that the loops around it yield whole
  /// tiles, as consumer fusion expects. The loop keeps its marks.
  static LogicalResult hoistTile(IRRewriter &rewriter,
                                 LoopLikeOpInterface &loop) {
    DictionaryAttr marks = loop->getDiscardableAttrDictionary();
    loop = hoistLoopInvariantSubsets(rewriter, loop);
    loop->setDiscardableAttrs(marks);
    // The whole result it now passes along unchanged is its init.
    auto forOp = dyn_cast<scf::ForOp>(loop.getOperation());
    if (!forOp)
      return failure();
    for (auto [result, init, arg, yielded] :
         llvm::zip(forOp.getResults(), forOp.getInitArgs(),
                   forOp.getRegionIterArgs(), forOp.getYieldedValues()))
      if (yielded == arg)
        rewriter.replaceAllUsesWith(result, init);
    return success();
  }

  /// Computes the elementwise op that reads `op`'s result (a bias, an
  /// activation, a residual add) inside the tile loops of its first level
  /// that precede any reduction loop, a whole tile at a time, while the
  /// tile is still in cache: an epilogue instead of another pass over
  /// memory. The fused op takes the place of the original in `pending`,
  /// and is tiled by its own config there.
  void fuseConsumer(IRRewriter &rewriter, linalg::LinalgOp op,
                    MutableArrayRef<LoopLikeOpInterface> loops,
                    ArrayRef<int64_t> dims,
                    SmallVectorImpl<linalg::LinalgOp> &pending) {
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    unsigned outer = 0;
    while (outer < loops.size() && outer < dims.size() &&
           iterators[dims[outer]] == utils::IteratorType::parallel)
      ++outer;
    if (outer == 0)
      return;
    linalg::GenericOp consumer = getEpilogue(loops.front());
    if (!consumer || !defineBefore(consumer, loops.front()))
      return;
    if (outer < loops.size() && failed(hoistTile(rewriter, loops[outer])))
      return;
    auto entry = llvm::find(pending, linalg::LinalgOp(consumer));
    // The loops are rebuilt with the consumer's result: they keep their
    // marks.
    SmallVector<DictionaryAttr> marks = llvm::map_to_vector(
        loops.take_front(outer), [](LoopLikeOpInterface loop) {
          return loop->getDiscardableAttrDictionary();
        });
    rewriter.setInsertionPoint(consumer);
    FailureOr<scf::SCFFuseConsumerOfSliceResult> fused =
        scf::tileAndFuseConsumer(rewriter, consumer, loops.take_front(outer));
    if (failed(fused) || fused->tiledOps.empty())
      return;
    for (auto [loop, attrs] : llvm::zip(loops, marks))
      loop->setDiscardableAttrs(attrs);
    auto tiled = cast<linalg::LinalgOp>(fused->tiledOps.front());
    if (entry != pending.end())
      *entry = tiled;
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

  /// The op that computes `op`'s init (a convolution's bias broadcast to
  /// its output) and that only `op` reads, if it can be computed a tile at
  /// a time inside the loops of `op`'s first level: it computes each
  /// element alone, and that level tiles no reduction loop (each tile of
  /// the init is read once, before any partial sum).
  static linalg::LinalgOp getFusedInit(linalg::LinalgOp op) {
    SmallVector<int64_t> sizes = getLevelSizes(op, 0);
    if (sizes.empty() || op.getNumDpsInits() != 1 ||
        op.getNumReductionLoops() == 0)
      return nullptr;
    for (auto [size, iterator] : llvm::zip(sizes, op.getIteratorTypesArray()))
      if (size && iterator == utils::IteratorType::reduction)
        return nullptr;
    Value init = op.getDpsInitOperand(0)->get();
    auto producer = init.getDefiningOp<linalg::LinalgOp>();
    if (!producer || !init.hasOneUse() || producer->getNumResults() != 1 ||
        !producer.hasPureTensorSemantics() || !isTileableCopy(producer) ||
        !getNumLevels(producer))
      return nullptr;
    return producer;
  }

  /// Computes `init`, the producer of the tiled `op`'s init, a tile at a
  /// time inside `loops`, into the tile the loops pass along (no buffer of
  /// its own, one pass over the result instead of two). Its fused tile
  /// takes its place in `inits`.
  void fuseInit(IRRewriter &rewriter, linalg::LinalgOp op,
                linalg::LinalgOp init,
                MutableArrayRef<LoopLikeOpInterface> loops,
                SmallVectorImpl<linalg::LinalgOp> &inits) {
    auto slice =
        op.getDpsInitOperand(0)->get().getDefiningOp<tensor::ExtractSliceOp>();
    if (!slice || loops.empty())
      return;
    std::optional<scf::SCFFuseProducerOfSliceResult> fused =
        scf::tileAndFuseProducerOfSlice(rewriter, slice, loops);
    if (!fused || fused->origProducer.getOwner() != init.getOperation())
      return;
    auto tiled = fused->tiledAndFusedProducer.getDefiningOp<linalg::LinalgOp>();
    auto *entry = llvm::find(inits, init);
    if (!tiled || entry == inits.end())
      return;
    *entry = tiled;
    if (init->use_empty())
      rewriter.eraseOp(init);
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
