//===- ContractionTiles.cpp - register and cache tiles of a matmul --------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "ContractionTiles.h"

#include "kiln/Dialect/Kiln/IR/KilnDialect.h"
#include "kiln/Tuning/Weights.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"

#include <algorithm>

using namespace mlir;

namespace kiln {

namespace {
/// Below this fraction of the direct tile's estimated time a transposed
/// output pays for its transpose.
constexpr double kTransposedGain = 0.7;
/// A transposed output only for an N below this many vectors: a wider
/// one's remainder is a small part, and vectorized as a partial tile.
constexpr int64_t kTransposedMaxVectors = 8;
/// Or below this many, over a K of at least kTransposedMinWideK: the
/// transpose back costs a pass over the output, which only a long
/// reduction amortizes (a 3x3 convolution of 256 channels at 14x14: 8%
/// faster transposed; a 1x1 of 64 channels: twice as slow).
constexpr int64_t kTransposedMaxWideVectors = 16;
constexpr int64_t kTransposedMinWideK = 1024;

/// The register tile: `rows` rows of `vectors` vectors of accumulators,
/// and its estimated time per output (1: scalar code).
struct RegisterTile {
  int64_t rows = 0, vectors = 0;
  double cost = 1.0;
};

/// The fraction of `size` that whole tiles of `tile` cover.
double wholeFraction(int64_t size, int64_t tile) {
  return double(size / tile * tile) / double(size);
}

/// FMAs per load of a `rows` x `vectors` register tile: each step of K
/// loads `vectors` B vectors and broadcasts `rows` elements of A.
double getFmasPerLoad(int64_t rows, int64_t vectors) {
  return double(rows * vectors) / double(rows + vectors);
}

/// The register tile whose accumulators, B vectors and one broadcast fit
/// the registers, with the least estimated time per output: whole tiles
/// and the partial tile at the edge of M (a vector tile of fewer rows) at
/// `lanes` outputs per FMA, an FMA costing 1 / the FMAs per load (more
/// FMAs per load hide the loads better: on AVX-512, 6x4 vectors measured
/// 10% faster than 4x4 at 1024^3), the partial tile at the edge of N as
/// scalar code (about one load per FMA).
RegisterTile chooseRegisterTile(int64_t m, int64_t n, unsigned lanes,
                                unsigned registers) {
  RegisterTile best;
  // Powers of two: LLVM splits a vector<48xf32> accumulator badly.
  for (int64_t vectors = 1; vectors <= 4; vectors *= 2) {
    if (vectors * lanes > n)
      continue;
    for (int64_t rows = 1; rows <= std::min<int64_t>(16, m); ++rows) {
      if (rows * vectors + vectors + 1 > registers)
        continue;
      double wholeRows = wholeFraction(m, rows);
      double vectorCost =
          wholeRows / getFmasPerLoad(rows, vectors) +
          (1 - wholeRows) /
              getFmasPerLoad(std::max<int64_t>(1, m % rows), vectors);
      double wholeColumns = wholeFraction(n, vectors * lanes);
      double cost =
          wholeColumns * vectorCost / double(lanes) + (1 - wholeColumns);
      if (cost < best.cost)
        best = {rows, vectors, cost};
    }
  }
  return best;
}

} // namespace

int64_t chooseRegisterColumns(int64_t m, int64_t n, const TargetInfo &target) {
  RegisterTile tile = chooseRegisterTile(m, n, target.getLanes(32),
                                         std::max(8u, target.vectorRegisters));
  return tile.vectors * target.getLanes(32);
}

namespace {
/// The tile of `size` in steps of `step` up to `limit` (at least `step`),
/// preferring one that divides `size`, else as many tiles as `limit` gives
/// made about equal (no last tile of a few rows); 0 for the whole of `size`.
int64_t chooseCacheTile(int64_t size, int64_t step, int64_t limit) {
  limit = std::max(step, limit / step * step);
  if (size <= limit)
    return 0;
  for (int64_t t = limit; t >= std::max(step, limit / 2); t -= step)
    if (size % t == 0)
      return t;
  int64_t tiles = llvm::divideCeil(size, limit);
  return std::min<int64_t>(limit,
                           llvm::alignTo(llvm::divideCeil(size, tiles), step));
}

/// The operand index of B (the input indexed by N and K, not M).
std::optional<unsigned> getRhsIndex(linalg::LinalgOp op, unsigned m,
                                    unsigned n) {
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    if (!map.isFunctionOfDim(m) && map.isFunctionOfDim(n))
      return input->getOperandNumber();
  }
  return std::nullopt;
}

bool isInnermost(AffineMap map, unsigned dim) {
  return map.getNumResults() > 0 &&
         map.getResults().back() == getAffineDimExpr(dim, map.getContext());
}

/// The one loop of `dims` longer than 1 (the last if none is): the unit
/// loops are as batch loops (an im2col contraction's image loop).
std::optional<unsigned> getSingleLoop(ArrayRef<unsigned> dims,
                                      ArrayRef<int64_t> ranges) {
  SmallVector<unsigned> nonUnit;
  llvm::copy_if(dims, std::back_inserter(nonUnit),
                [&](unsigned d) { return ranges[d] != 1; });
  if (nonUnit.size() == 1)
    return nonUnit.front();
  if (nonUnit.empty() && !dims.empty())
    return dims.back();
  return std::nullopt;
}

/// The N loop: the one innermost in the result, if it is among `dims`;
/// the other N loops, in `outer`, are tiled by 1 as batch loops (blocks of
/// an im2col matrix's columns).
std::optional<unsigned> getInnermostLoop(ArrayRef<unsigned> dims,
                                         AffineMap result,
                                         SmallVectorImpl<unsigned> &outer) {
  if (result.getNumResults() == 0)
    return std::nullopt;
  auto last = dyn_cast<AffineDimExpr>(result.getResults().back());
  if (!last || !llvm::is_contained(dims, last.getPosition()))
    return std::nullopt;
  for (unsigned d : dims)
    if (d != last.getPosition())
      outer.push_back(d);
  return last.getPosition();
}

/// How a contraction's parallel loops split into tiles for threads: a
/// tile per iteration of each parallel loop but M and N, times the N
/// blocks, and whether it is large enough to be split into
/// kMinParallelTiles tiles.
struct ParallelSplit {
  ParallelSplit(linalg::LinalgOp op, ArrayRef<int64_t> ranges, unsigned m,
                unsigned n)
      : columns(ranges[n]) {
    int64_t flops = 2;
    for (auto [d, it] : llvm::enumerate(op.getIteratorTypesArray())) {
      flops *= ranges[d];
      if (it == utils::IteratorType::parallel && d != m && d != n)
        others *= ranges[d];
    }
    large = flops >= kMinParallelFlops;
  }

  /// The tiles with N in blocks of `nc` columns (0: whole).
  int64_t getTiles(int64_t nc) const {
    return others * (nc ? llvm::divideCeil(columns, nc) : 1);
  }

  int64_t columns, others = 1;
  bool large;
};

/// The N block: `nc`, or, for a large contraction with fewer rows than
/// columns and fewer than kMinParallelTiles tiles, narrower blocks of `nr`
/// columns (each task then reads its own part of B once; splitting M
/// instead would read all of B once per M block, and B is the larger).
int64_t getColumnBlock(const ParallelSplit &split, int64_t rows, int64_t nc,
                       int64_t nr) {
  if (!split.large || split.getTiles(nc) >= kMinParallelTiles ||
      rows >= split.columns)
    return nc;
  int64_t blocks = llvm::divideCeil(kMinParallelTiles, split.others);
  int64_t columns = std::max(nr, split.columns / blocks / nr * nr);
  return columns >= split.columns ? 0 : columns;
}

/// The most rows of an M block: kMaxCacheRows, or fewer where that leaves
/// a large contraction fewer than kMinParallelTiles tiles of its parallel
/// loops (an N block of `nc` columns), down to `registerRows` of the
/// `rows` rows.
int64_t getRowLimit(const ParallelSplit &split, int64_t rows, int64_t nc,
                    int64_t registerRows) {
  int64_t tiles = split.getTiles(nc);
  if (!split.large || tiles >= kMinParallelTiles)
    return kMaxCacheRows;
  int64_t blocks = llvm::divideCeil(kMinParallelTiles, tiles);
  return std::clamp<int64_t>(rows / blocks, registerRows, kMaxCacheRows);
}

bool allF32(linalg::LinalgOp op) {
  return llvm::all_of(op->getOperandTypes(), [](Type type) {
    auto shaped = dyn_cast<ShapedType>(type);
    return shaped && shaped.getElementType().isF32();
  });
}

/// Whether `v` is block argument `index` of `op`'s body, widened to i32
/// by `Ext` (arith.extui for u8, arith.extsi for s8).
template <typename Ext>
bool isWidenedArgument(Value v, linalg::LinalgOp op, unsigned index) {
  auto ext = v.getDefiningOp<Ext>();
  return ext && ext.getIn() == op.getBlock()->getArgument(index) &&
         ext.getIn().getType().isInteger(8) && ext.getType().isInteger(32);
}

/// Whether `op` sums u8 x s8 products in i32: yield(out + extui(a) *
/// extsi(b)), the form of MatMulInteger's kernel, or with a signed and b
/// unsigned.
bool isU8S8Product(linalg::LinalgOp op) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1)
    return false;
  auto yield = dyn_cast<linalg::YieldOp>(op.getBlock()->getTerminator());
  auto add = yield ? yield.getOperand(0).getDefiningOp<arith::AddIOp>()
                   : arith::AddIOp();
  if (!add)
    return false;
  Value out = op.getBlock()->getArgument(2);
  Value other = add.getLhs() == out ? add.getRhs() : add.getLhs();
  auto mul = other.getDefiningOp<arith::MulIOp>();
  if (!mul || (add.getLhs() != out && add.getRhs() != out))
    return false;
  // One operand u8, the other s8, either way round (an im2col contraction
  // has the s8 filter as A).
  auto matches = [&](Value x, Value y) {
    return (isWidenedArgument<arith::ExtUIOp>(x, op, 0) &&
            isWidenedArgument<arith::ExtSIOp>(y, op, 1)) ||
           (isWidenedArgument<arith::ExtSIOp>(x, op, 0) &&
            isWidenedArgument<arith::ExtUIOp>(y, op, 1));
  };
  return matches(mul.getLhs(), mul.getRhs()) ||
         matches(mul.getRhs(), mul.getLhs());
}
} // namespace

std::optional<ContractionKind> getContractionKind(linalg::LinalgOp op,
                                                  const TargetInfo &target) {
  if (allF32(op))
    return ContractionKind::F32;
  if (target.arch == TargetArch::X86_64 && target.hasInt8Dot &&
      target.vectorBits >= 256 && isU8S8Product(op))
    return ContractionKind::DotU8S8;
  return std::nullopt;
}

std::optional<ContractionTiles> chooseContractionTiles(linalg::LinalgOp op,
                                                       const TargetInfo &target,
                                                       std::string &whyNot) {
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  std::optional<ContractionKind> kind = getContractionKind(op, target);
  if (failed(dims) || op.getNumDpsInits() != 1 ||
      llvm::any_of(
          ranges,
          [](int64_t r) { return ShapedType::isDynamic(r) || r == 0; }) ||
      !kind) {
    whyNot = "not a static, non-empty f32 contraction, nor u8 x s8 "
             "products summed in i32 on a target with dot-product "
             "instructions";
    return std::nullopt;
  }
  bool dot = *kind == ContractionKind::DotU8S8;
  // Bytes per element of A and B; a dot product's register tile reads
  // kDotGroup of K per lane.
  int64_t bytes = dot ? 1 : 4, group = dot ? kDotGroup : 1;
  AffineMap result = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  SmallVector<unsigned> outerN;
  std::optional<unsigned> mLoop = getSingleLoop(dims->m, ranges),
                          nLoop = getInnermostLoop(dims->n, result, outerN),
                          kLoop = getSingleLoop(dims->k, ranges);
  if (!mLoop || !nLoop || !kLoop) {
    whyNot = "not one M, N and K loop longer than 1";
    return std::nullopt;
  }
  unsigned m = *mLoop, n = *nLoop, k = *kLoop;
  std::optional<unsigned> rhs = getRhsIndex(op, m, n);
  if (!rhs ||
      !isInnermost(op.getMatchingIndexingMap(op.getDpsInitOperand(0)), n)) {
    whyNot = "N is not contiguous in the result";
    return std::nullopt;
  }
  unsigned lanes = target.getLanes(32);
  RegisterTile tile = chooseRegisterTile(ranges[m], ranges[n], lanes,
                                         std::max(8u, target.vectorRegisters));
  if (!tile.rows) {
    whyNot = "N is narrower than a vector of " + std::to_string(lanes);
    return std::nullopt;
  }
  int64_t nr = tile.vectors * lanes;
  // Constant weights are packed into nr-wide panels at compile time,
  // whatever their layout; any other B must already have N innermost. A
  // dot product reads B only in its packed layout (nr lanes of `group` of
  // K), packed at run time if not constant.
  // (Packing pads a dot product's N to whole panels, its edge columns
  // computed on zeros and dropped, and K to whole groups of zeros, whose
  // products add nothing.)
  bool packB = dot || (isWeights(op->getOperand(*rhs)) && ranges[n] % nr == 0);
  if (!packB &&
      !isInnermost(op.getMatchingIndexingMap(&op->getOpOperand(*rhs)), n)) {
    whyNot = "N is not contiguous in B, and B is not packed";
    return std::nullopt;
  }
  // K in steps that keep an nr-wide panel of B in L1 across row tiles;
  // N in blocks whose K-step of B fits half of L2; M in row blocks.
  int64_t kc = ranges[k] <= kMaxWholeK * 4 / bytes
                   ? 0
                   : chooseCacheTile(ranges[k], group, kMaxK * 4 / bytes);
  ParallelSplit split(op, ranges, m, n);
  int64_t nc = getColumnBlock(
      split, ranges[m],
      chooseCacheTile(ranges[n], nr,
                      target.l2Bytes / 2 / ((kc ? kc : ranges[k]) * bytes)),
      nr);
  // M whole when it fits a block, though not a whole number of register
  // tiles: a block of the few rows left over would read all of B again.
  int64_t rowLimit = getRowLimit(split, ranges[m], nc, tile.rows);
  int64_t mc = ranges[m] <= rowLimit
                   ? 0
                   : chooseCacheTile(ranges[m], tile.rows, rowLimit);
  ContractionTiles tiles;
  tiles.cache.assign(ranges.size(), 0);
  tiles.registers.assign(ranges.size(), 1);
  for (unsigned b : llvm::concat<unsigned>(dims->batch, outerN))
    tiles.cache[b] = 1;
  tiles.cache[m] = mc;
  tiles.cache[n] = nc;
  tiles.cache[k] = kc;
  tiles.registers[m] = tile.rows;
  tiles.registers[n] = nr;
  tiles.registers[k] = group;
  if (packB) {
    tiles.packing.assign(ranges.size(), 1);
    tiles.packing[n] = nr;
    tiles.packing[k] = group;
  }
  if (dot)
    tiles.microkernel = LoweringConfigAttr::kDotU8S8Microkernel.str();

  auto whole = [](int64_t tile, int64_t size) {
    return std::to_string(tile ? tile : size);
  };
  tiles.reason = std::to_string(tile.rows) + "x" + std::to_string(nr) +
                 " register tile (" + std::to_string(tile.rows * tile.vectors) +
                 " accumulators of " + std::to_string(lanes) + " lanes), " +
                 whole(mc, ranges[m]) + "x" + whole(nc, ranges[n]) + "x" +
                 whole(kc, ranges[k]) + " cache tile (B block in half of L2, " +
                 std::to_string(target.l2Bytes / 1024) + " KiB)";
  if (dot)
    tiles.reason += ", u8 x s8 dot products (" + std::to_string(group) +
                    " of K per i32 lane), B packed into " + std::to_string(nr) +
                    "-column panels of " + std::to_string(group) + " of K";
  else if (packB)
    tiles.reason += ", constant B packed at compile time into " +
                    std::to_string(nr) + "-column panels";
  return tiles;
}

std::optional<std::string> chooseTransposedOutput(linalg::LinalgOp op,
                                                  const TargetInfo &target) {
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (failed(dims) || op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      llvm::any_of(ranges, ShapedType::isDynamic) || !allF32(op))
    return std::nullopt;
  std::optional<unsigned> m = getSingleLoop(dims->m, ranges),
                          n = getSingleLoop(dims->n, ranges);
  if (!m || !n)
    return std::nullopt;
  // The output ends in (M, N), and A (the input without N) is weights.
  AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  unsigned rank = out.getNumResults();
  if (rank < 2 ||
      out.getResult(rank - 2) != getAffineDimExpr(*m, op.getContext()) ||
      !isInnermost(out, *n))
    return std::nullopt;
  OpOperand *lhs = op.getDpsInputOperand(0);
  if (op.getMatchingIndexingMap(lhs).isFunctionOfDim(*n) ||
      !isWeights(lhs->get()))
    return std::nullopt;
  unsigned lanes = target.getLanes(32);
  int64_t reduction = 1;
  for (unsigned d : dims->k)
    reduction *= ranges[d];
  int64_t maxVectors = reduction >= kTransposedMinWideK
                           ? kTransposedMaxWideVectors
                           : kTransposedMaxVectors;
  if (ranges[*n] % lanes == 0 || ranges[*n] >= maxVectors * lanes)
    return std::nullopt;
  unsigned registers = std::max(8u, target.vectorRegisters);
  RegisterTile direct =
      chooseRegisterTile(ranges[*m], ranges[*n], lanes, registers);
  RegisterTile transposed =
      chooseRegisterTile(ranges[*n], ranges[*m], lanes, registers);
  if (!transposed.rows || transposed.cost >= kTransposedGain * direct.cost)
    return std::nullopt;
  auto tile = [&](const RegisterTile &t) {
    return std::to_string(t.rows) + "x" + std::to_string(t.vectors * lanes);
  };
  return "contraction with its output transposed: " +
         std::to_string(ranges[*n]) + "x" + std::to_string(ranges[*m]) +
         " in " + tile(transposed) + " register tiles, against " +
         std::to_string(ranges[*m]) + "x" + std::to_string(ranges[*n]) +
         (direct.rows ? " in " + tile(direct) : std::string(" in scalars"));
}

} // namespace kiln
