//===- HeuristicAdvisor.cpp - lowering configs from the op and target -----===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Tuning/LoweringConfigAdvisor.h"
#include "kiln/Tuning/VectorElements.h"

#include "ContractionTiles.h"
#include "DepthwiseTiles.h"
#include "Im2ColStrategy.h"

#include "llvm/ADT/SmallBitVector.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;

namespace kiln {

namespace {
/// Below this many output elements an op is not worth tiling.
constexpr int64_t kMinTiledElements = 64 * 64;

std::string formatShape(ArrayRef<int64_t> shape) {
  return llvm::join(llvm::map_range(shape,
                                    [](int64_t d) {
                                      return ShapedType::isDynamic(d)
                                                 ? std::string("?")
                                                 : std::to_string(d);
                                    }),
                    "x");
}

unsigned getElementBits(linalg::LinalgOp op) {
  for (OpOperand &init : op.getDpsInitsMutable())
    if (auto type = dyn_cast<ShapedType>(init.get().getType()))
      return type.getElementType().getIntOrFloatBitWidth();
  return 32;
}

/// The largest power of two T <= 128 (>= 8) with T*T output elements and
/// T rows and columns of every reduction's operands within half of L2.
int64_t chooseTile(int64_t reductionSize, unsigned bytes, unsigned l2Bytes) {
  int64_t tile = 128;
  while (tile > 8 &&
         (tile * tile + 2 * tile * reductionSize) * bytes > l2Bytes / 2)
    tile /= 2;
  return tile;
}

/// Whether every operand of `op` has plain vector elements
/// (isPlainVectorElement).
bool hasPlainOperands(linalg::LinalgOp op) {
  return llvm::all_of(op->getOperandTypes(), [](Type type) {
    return isPlainVectorElement(getElementTypeOrSelf(type));
  });
}

/// Whether `op` is a static, non-empty, all-parallel op on plain vector
/// types, whose body does not read its indices, and whose operands
/// linalg's vectorizer reads as vectors (projected permutations:
/// elementwise maps, broadcasts, transposes, reads of unit dims).
bool isVectorizableElementwise(linalg::LinalgOp op, ArrayRef<int64_t> ranges,
                               ArrayRef<int64_t> parallel) {
  if (ranges.empty() || parallel.size() != ranges.size() ||
      llvm::any_of(
          ranges,
          [](int64_t r) { return ShapedType::isDynamic(r) || r < 1; }) ||
      !op.hasPureTensorSemantics())
    return false;
  if (!hasPlainOperands(op))
    return false;
  // A body that reads its indices (linalg.index: a pool's border counts)
  // stays scalar: linalg's vectorizer can leave invalid transfers for it
  // (a fuzzed AveragePool with a dynamic dim).
  if (op.hasIndexSemantics())
    return false;
  // A body that reads a tensor at computed positions is a gather, not
  // elementwise: it stays a loop of scalar reads.
  if (llvm::any_of(*op.getBlock(),
                   [](Operation &o) { return isa<tensor::ExtractOp>(o); }))
    return false;
  // (A 0 in a map reads a unit dim of a broadcast operand, a per-channel
  // scale as [1, C, 1, 1]: the vectorizer broadcasts it.)
  return llvm::all_of(op.getIndexingMapsArray(), [](AffineMap map) {
    return map.isProjectedPermutation(/*allowZeroInResults=*/true);
  });
}

class HeuristicAdvisor : public LoweringConfigAdvisor {
public:
  LoweringDecision decide(linalg::LinalgOp op, const OpKey &,
                          const TargetInfo &target) override {
    MLIRContext *ctx = op->getContext();
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    unsigned bits = getElementBits(op);
    SmallVector<int64_t> parallel;
    for (auto [i, it] : llvm::enumerate(iterators))
      if (it == utils::IteratorType::parallel)
        parallel.push_back(i);
    // One vector on the innermost parallel loop.
    SmallVector<int64_t> vector(ranges.size(), 1);
    unsigned lanes = target.getLanes(std::max(8u, bits));
    if (!parallel.empty())
      vector[parallel.back()] = lanes;
    // An elementwise op shorter than a vector: one vector of its length.
    if (isVectorizableElementwise(op, ranges, parallel))
      vector.back() = std::min<int64_t>(ranges.back(), lanes);
    std::string reason, whyNot;
    if (std::optional<Im2ColChoice> im2col = chooseIm2Col(op, target))
      return decideIm2Col(op, *im2col, target);
    if (std::optional<std::string> transposed =
            chooseTransposedOutput(op, target))
      return decideStrategy(LoweringConfigAttr::kTransposedOutputStrategy,
                            *transposed, target, ctx);
    if (std::optional<DepthwiseTiles> depthwise =
            chooseDepthwiseTiles(op, target))
      return decideDepthwise(*depthwise, parallel, target, ctx);
    if (std::optional<ContractionTiles> contraction =
            chooseContractionTiles(op, target, whyNot))
      return decideContraction(op, *contraction, parallel, target);
    if (!linalg::isaContractionOpInterface(op) &&
        !linalg::isaConvolutionOpInterface(op) &&
        !isVectorizableElementwise(op, ranges, parallel))
      return decideRows(op, ranges, iterators, vector, parallel, target);
    ArrayAttr tiles = chooseTiles(op, ranges, iterators, parallel, vector, bits,
                                  target, reason);
    if (linalg::isaContractionOpInterface(op))
      reason += " (not register-tiled: " + whyNot + ")";
    reason += "; " + std::to_string(lanes) + " lanes of " +
              std::to_string(bits) + " bits (" + target.describe() + ")";
    auto config = LoweringConfigAttr::get(
        ctx, tiles, DenseI64ArrayAttr::get(ctx, vector), nullptr, nullptr,
        DenseI64ArrayAttr::get(ctx, parallel), nullptr, nullptr);
    return {config, reason};
  }

  StringRef getName() const override { return "heuristic"; }

private:
  /// A rewrite before tiling: only the strategy; the policy decides for
  /// the ops it makes when it runs again.
  LoweringDecision decideStrategy(StringRef strategy, StringRef reason,
                                  const TargetInfo &target, MLIRContext *ctx) {
    auto config = LoweringConfigAttr::get(
        ctx, nullptr, nullptr, nullptr, nullptr, nullptr,
        StringAttr::get(ctx, strategy), nullptr);
    return {config, (reason + " (" + target.describe() + ")").str()};
  }

  /// im2col, and the pixel panels as the packing of the output columns
  /// (loop 3 of a conv_2d_nchw_fchw).
  LoweringDecision decideIm2Col(linalg::LinalgOp op, const Im2ColChoice &choice,
                                const TargetInfo &target) {
    MLIRContext *ctx = op->getContext();
    DenseI64ArrayAttr packing;
    if (choice.panel) {
      SmallVector<int64_t> sizes(op.getNumLoops(), 1);
      sizes[3] = choice.panel;
      packing = DenseI64ArrayAttr::get(ctx, sizes);
    }
    auto config = LoweringConfigAttr::get(
        ctx, nullptr, nullptr, packing, nullptr, nullptr,
        StringAttr::get(ctx, LoweringConfigAttr::kIm2ColStrategy), nullptr);
    return {config, choice.reason + " (" + target.describe() + ")"};
  }

  /// Loops that are neither dense nor plain vectors: tiles of rows for
  /// threads (no vectors), or untiled.
  LoweringDecision decideRows(linalg::LinalgOp op, ArrayRef<int64_t> ranges,
                              ArrayRef<utils::IteratorType> iterators,
                              ArrayRef<int64_t> vector,
                              ArrayRef<int64_t> parallel,
                              const TargetInfo &target) {
    MLIRContext *ctx = op->getContext();
    std::string reason;
    if (isConsumedGather(op)) {
      auto config = LoweringConfigAttr::get(
          ctx, nullptr, nullptr, nullptr, nullptr,
          DenseI64ArrayAttr::get(ctx, parallel), nullptr, nullptr);
      return {config, "gather copy " + formatShape(ranges) +
                          ": untiled, each slice computed in the cache tile "
                          "of the op that reads it (" +
                          target.describe() + ")"};
    }
    ArrayAttr rows = chooseRowTiles(op, ranges, iterators, reason);
    // Vectors only on plain elements: an i1 vector is a bit mask in memory.
    bool plain = hasPlainOperands(op);
    auto config = LoweringConfigAttr::get(
        ctx, rows,
        rows || !plain ? nullptr : DenseI64ArrayAttr::get(ctx, vector), nullptr,
        nullptr, DenseI64ArrayAttr::get(ctx, parallel), nullptr, nullptr);
    return {config, reason + " (" + target.describe() + ")"};
  }

  /// An all-parallel copy that reads at offsets from constant tables (an
  /// im2col panel copy) and whose one result is read by one contraction
  /// through a projected permutation: the consumer's tiles compute its
  /// slices. (A Gather reads at run-time indices, and keeps row tiles.)
  bool isConsumedGather(linalg::LinalgOp op) {
    if (op->getNumResults() != 1 || !op->getResult(0).hasOneUse() ||
        op.getNumParallelLoops() != op.getNumLoops() ||
        !op.hasPureTensorSemantics() || op.getNumDpsInputs() == 0 ||
        llvm::none_of(*op.getBlock(),
                      [](Operation &o) { return isa<tensor::ExtractOp>(o); }))
      return false;
    bool constantTables = llvm::all_of(op.getDpsInputs(), [](Value v) {
      return v.getDefiningOp<arith::ConstantOp>() != nullptr;
    });
    OpOperand &use = *op->getResult(0).getUses().begin();
    auto consumer = dyn_cast<linalg::LinalgOp>(use.getOwner());
    return constantTables && consumer && consumer.isDpsInput(&use) &&
           linalg::isaContractionOpInterface(consumer) &&
           consumer.getMatchingIndexingMap(&use).isProjectedPermutation();
  }

  /// Cache and register tiles; the register tile is the vector shape.
  LoweringDecision decideContraction(linalg::LinalgOp op,
                                     const ContractionTiles &tiles,
                                     ArrayRef<int64_t> parallel,
                                     const TargetInfo &target) {
    MLIRContext *ctx = op->getContext();
    auto sizes =
        ArrayAttr::get(ctx, {DenseI64ArrayAttr::get(ctx, tiles.cache),
                             DenseI64ArrayAttr::get(ctx, tiles.registers)});
    DenseI64ArrayAttr packing;
    if (!tiles.packing.empty())
      packing = DenseI64ArrayAttr::get(ctx, tiles.packing);
    StringAttr microkernel;
    if (!tiles.microkernel.empty())
      microkernel = StringAttr::get(ctx, tiles.microkernel);
    auto config = LoweringConfigAttr::get(
        ctx, sizes, DenseI64ArrayAttr::get(ctx, tiles.registers), packing,
        microkernel, DenseI64ArrayAttr::get(ctx, parallel), nullptr, nullptr);
    return {config, "contraction " + formatShape(op.getStaticLoopRanges()) +
                        ": " + tiles.reason + " (" + target.describe() + ")"};
  }

  /// A channel plane, then a register block, which is the vector shape.
  LoweringDecision decideDepthwise(const DepthwiseTiles &tiles,
                                   ArrayRef<int64_t> parallel,
                                   const TargetInfo &target, MLIRContext *ctx) {
    auto sizes =
        ArrayAttr::get(ctx, {DenseI64ArrayAttr::get(ctx, tiles.plane),
                             DenseI64ArrayAttr::get(ctx, tiles.block)});
    auto config = LoweringConfigAttr::get(
        ctx, sizes, DenseI64ArrayAttr::get(ctx, tiles.vector), nullptr, nullptr,
        DenseI64ArrayAttr::get(ctx, parallel), nullptr, nullptr);
    return {config, tiles.reason + " (" + target.describe() + ")"};
  }

  /// Loops that are not a contraction: one iteration of each outer
  /// parallel loop per tile (a row of a softmax, say), so that they can run
  /// on several threads; the innermost loop stays whole. Null (untiled) if
  /// that tiles nothing.
  ArrayAttr chooseRowTiles(linalg::LinalgOp op, ArrayRef<int64_t> ranges,
                           ArrayRef<utils::IteratorType> iterators,
                           std::string &reason) {
    std::string shape = formatShape(ranges);
    SmallVector<int64_t> sizes(ranges.size(), 0);
    for (auto [i, it] : llvm::enumerate(iterators))
      if (it == utils::IteratorType::parallel && i + 1 < ranges.size() &&
          ranges[i] != 1)
        sizes[i] = 1;
    bool outputsTile = llvm::all_of(op.getDpsInitsMutable(), [&](OpOperand &o) {
      return op.getMatchingIndexingMap(&o).isProjectedPermutation();
    });
    bool empty = llvm::is_contained(ranges, 0);
    if (!outputsTile || empty ||
        llvm::all_of(sizes, [](int64_t s) { return !s; })) {
      reason = "loops " + shape +
               ", not a contraction or convolution, without outer parallel "
               "loops to split: untiled";
      return nullptr;
    }
    reason = "loops " + shape +
             ", not a contraction or convolution: a tile per iteration of "
             "the outer parallel loops (for threads), the rest as loops";
    MLIRContext *ctx = op->getContext();
    SmallVector<int64_t> planes = choosePaddedPlanes(op, sizes);
    if (planes.empty())
      return ArrayAttr::get(ctx, {DenseI64ArrayAttr::get(ctx, sizes)});
    reason += ", in tiles of whole padded planes first (each input plane "
              "padded once, not once per row)";
    return ArrayAttr::get(ctx, {DenseI64ArrayAttr::get(ctx, planes),
                                DenseI64ArrayAttr::get(ctx, sizes)});
  }

  /// For row tiles `rows` of an op that reads a tensor.pad: an outer
  /// level that tiles only the row loops indexing no padded dim of it (a
  /// convolution window copy's image and channel), so its padded plane
  /// is made once per tile; empty if no such loop or no pad.
  SmallVector<int64_t> choosePaddedPlanes(linalg::LinalgOp op,
                                          ArrayRef<int64_t> rows) {
    llvm::SmallBitVector padded(rows.size());
    bool anyPad = false;
    for (OpOperand *input : op.getDpsInputOperands()) {
      auto pad = input->get().getDefiningOp<tensor::PadOp>();
      if (!pad)
        continue;
      anyPad = true;
      AffineMap map = op.getMatchingIndexingMap(input);
      for (auto [expr, low, high] : llvm::zip(
               map.getResults(), pad.getMixedLowPad(), pad.getMixedHighPad()))
        if (!isConstantIntValue(low, 0) || !isConstantIntValue(high, 0))
          for (unsigned d = 0; d < rows.size(); ++d)
            if (expr.isFunctionOfDim(d))
              padded.set(d);
    }
    SmallVector<int64_t> planes(rows);
    for (unsigned d = 0; d < rows.size(); ++d)
      if (padded.test(d))
        planes[d] = 0;
    if (!anyPad || padded.none() ||
        llvm::all_of(planes, [](int64_t s) { return !s; }))
      return {};
    return planes;
  }

  /// Level-0 tile sizes, or null for an op left untiled; says why.
  ArrayAttr chooseTiles(linalg::LinalgOp op, ArrayRef<int64_t> ranges,
                        ArrayRef<utils::IteratorType> iterators,
                        ArrayRef<int64_t> parallel, ArrayRef<int64_t> vector,
                        unsigned bits, const TargetInfo &target,
                        std::string &reason) {
    std::string shape = formatShape(ranges);
    bool dense = linalg::isaContractionOpInterface(op) ||
                 linalg::isaConvolutionOpInterface(op);
    if (!dense && isVectorizableElementwise(op, ranges, parallel)) {
      reason = "elementwise " + shape + ": tiles of one vector";
      MLIRContext *ctx = op->getContext();
      return ArrayAttr::get(ctx, {DenseI64ArrayAttr::get(ctx, vector)});
    }
    if (llvm::any_of(ranges, ShapedType::isDynamic) || parallel.size() < 2) {
      reason = "contraction " + shape +
               " with dynamic or fewer than two "
               "parallel loops: untiled";
      return nullptr;
    }
    int64_t rows = ranges[parallel[parallel.size() - 2]];
    int64_t cols = ranges[parallel.back()];
    int64_t reduction = 1;
    for (auto [i, it] : llvm::enumerate(iterators))
      if (it == utils::IteratorType::reduction)
        reduction *= ranges[i];
    int64_t tile =
        chooseTile(reduction, std::max(1u, bits / 8), target.l2Bytes);
    if (rows * cols < kMinTiledElements || (rows <= tile && cols <= tile)) {
      reason = "contraction " + shape + ": its output fits one tile, untiled";
      return nullptr;
    }
    // Outer parallel loops one at a time; the two innermost in tiles.
    SmallVector<int64_t> sizes(ranges.size(), 0);
    for (int64_t p : parallel.drop_back(2))
      sizes[p] = 1;
    sizes[parallel[parallel.size() - 2]] = rows > tile ? tile : 0;
    sizes[parallel.back()] = cols > tile ? tile : 0;
    reason = "contraction " + shape + ": " + std::to_string(tile) + "x" +
             std::to_string(tile) + " output tiles keep a tile and its " +
             std::to_string(reduction) +
             "-long operand rows within half of L2 (" +
             std::to_string(target.l2Bytes / 1024) + " KiB)";
    MLIRContext *ctx = op->getContext();
    return ArrayAttr::get(ctx, {DenseI64ArrayAttr::get(ctx, sizes)});
  }
};
} // namespace

std::unique_ptr<LoweringConfigAdvisor> createHeuristicAdvisor() {
  return std::make_unique<HeuristicAdvisor>();
}

} // namespace kiln
