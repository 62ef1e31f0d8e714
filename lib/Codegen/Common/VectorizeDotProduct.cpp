//===- VectorizeDotProduct.cpp - the u8 x s8 dot-product microkernel ------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// linalg's vectorizer makes a u8 x s8 contraction a vector.contract of
// widened operands, which LLVM turns into 32-bit multiplies: no faster than
// f32. VNNI's vpdpbusd sums 4 products of u8 and s8 into each i32 lane, 64
// multiply-adds per instruction on AVX-512; upstream MLIR has no op for it
// (x86vector's dot.i8 is AVX-VNNI-INT8's signed vpdpbssd), so the tile is
// written here with kiln.dot_u8s8, in the layout kiln-pack-by-config gave
// B.
//
//===----------------------------------------------------------------------===//

#include "VectorizeDotProduct.h"

#include "kiln/Dialect/Kiln/IR/KilnDialect.h"
#include "kiln/Target/Info/TargetInfo.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

namespace kiln {

namespace {
/// K per i32 lane of vpdpbusd.
constexpr int64_t kGroup = 4;

/// The loops of a dot-product tile: K's inner group, N's lanes, and the
/// row loop (none when the tile has one row).
struct DotTile {
  unsigned kInner = 0, nInner = 0;
  std::optional<unsigned> m;
  int64_t rows = 1, columns = 0;
};

std::optional<unsigned> getResultDim(AffineMap map, unsigned fromEnd) {
  unsigned n = map.getNumResults();
  if (n <= fromEnd)
    return std::nullopt;
  auto dim = dyn_cast<AffineDimExpr>(map.getResult(n - 1 - fromEnd));
  if (!dim)
    return std::nullopt;
  return dim.getPosition();
}

/// Records in `tile.m` the one loop longer than 1 among `map`'s results
/// but its last `skip`; false if there are two.
bool collectRowLoop(AffineMap map, unsigned skip, ArrayRef<int64_t> ranges,
                    DotTile &tile) {
  for (AffineExpr expr : map.getResults().drop_back(skip)) {
    unsigned d = cast<AffineDimExpr>(expr).getPosition();
    if (ranges[d] == 1)
      continue;
    if (tile.m && *tile.m != d)
      return false;
    tile.m = d;
  }
  return true;
}

/// A's map ends in K's group, B's in (N's lanes, K's group), C's in N's
/// lanes; every other loop is 1 but one row loop of A and C.
FailureOr<DotTile> matchTile(linalg::LinalgOp op, unsigned lanes) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      llvm::any_of(ranges, ShapedType::isDynamic) ||
      !op.hasPureTensorSemantics())
    return failure();
  AffineMap a = op.getMatchingIndexingMap(op.getDpsInputOperand(0));
  AffineMap b = op.getMatchingIndexingMap(op.getDpsInputOperand(1));
  AffineMap c = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (!a.isProjectedPermutation() || !b.isProjectedPermutation() ||
      !c.isProjectedPermutation())
    return failure();
  DotTile tile;
  std::optional<unsigned> k = getResultDim(a, 0), n = getResultDim(c, 0);
  if (!k || !n || getResultDim(b, 0) != k || getResultDim(b, 1) != n ||
      ranges[*k] != kGroup || ranges[*n] % lanes != 0)
    return failure();
  tile.kInner = *k;
  tile.nInner = *n;
  tile.columns = ranges[*n];
  for (AffineExpr expr : b.getResults().drop_back(2))
    if (ranges[cast<AffineDimExpr>(expr).getPosition()] != 1)
      return failure();
  if (!collectRowLoop(a, 1, ranges, tile) ||
      !collectRowLoop(c, 1, ranges, tile))
    return failure();
  if (tile.m)
    tile.rows = ranges[*tile.m];
  return tile;
}

/// The indices of an operand read through `map`: `row` on the row loop,
/// `offset` on `dim`, 0 elsewhere.
SmallVector<Value> getIndices(OpBuilder &b, Location loc, AffineMap map,
                              const DotTile &tile, int64_t row, unsigned dim,
                              int64_t offset) {
  SmallVector<Value> indices;
  for (AffineExpr expr : map.getResults()) {
    unsigned d = cast<AffineDimExpr>(expr).getPosition();
    int64_t at = tile.m && d == *tile.m ? row : d == dim ? offset : 0;
    indices.push_back(arith::ConstantIndexOp::create(b, loc, at));
  }
  return indices;
}

/// Row `row`'s 4 bytes of A in every i32 lane, as bytes.
Value broadcastRow(OpBuilder &b, Location loc, Value a, AffineMap map,
                   const DotTile &tile, int64_t row, unsigned lanes) {
  Type i8 = b.getI8Type(), i32 = b.getI32Type();
  Value pad = arith::ConstantIntOp::create(b, loc, i8, 0);
  Value bytes = vector::TransferReadOp::create(
      b, loc, VectorType::get({kGroup}, i8), a,
      getIndices(b, loc, map, tile, row, tile.kInner, 0), pad,
      ArrayRef<bool>{true});
  Value word = vector::ExtractOp::create(
      b, loc,
      vector::BitCastOp::create(b, loc, VectorType::get({1}, i32), bytes),
      ArrayRef<int64_t>{0});
  Value splat =
      vector::BroadcastOp::create(b, loc, VectorType::get({lanes}, i32), word);
  return vector::BitCastOp::create(
      b, loc, VectorType::get({lanes * kGroup}, i8), splat);
}

/// B's tile as one run of bytes (its panel: N's lanes of K's group each).
Value flattenPanel(OpBuilder &b, Location loc, Value panel) {
  auto type = cast<RankedTensorType>(panel.getType());
  ReassociationIndices all;
  for (int64_t d = 0; d < type.getRank(); ++d)
    all.push_back(d);
  if (type.getRank() == 1)
    return panel;
  return tensor::CollapseShapeOp::create(b, loc, panel,
                                         ArrayRef<ReassociationIndices>{all});
}
} // namespace

FailureOr<Value> vectorizeDotProduct(RewriterBase &rewriter,
                                     linalg::LinalgOp op) {
  auto config = LoweringConfigAttr::lookup(op);
  if (!config || !config.getMicrokernel() ||
      config.getMicrokernel().getValue() !=
          LoweringConfigAttr::kDotU8S8Microkernel)
    return failure();
  TargetInfo target = TargetInfo::get(op);
  if (!target.hasInt8Dot || target.vectorBits < 256)
    return failure();
  unsigned lanes = target.getLanes(32);
  FailureOr<DotTile> tile = matchTile(op, lanes);
  if (failed(tile))
    return failure();
  Location loc = op.getLoc();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  Value a = op.getDpsInputs()[0];
  Value panel = flattenPanel(rewriter, loc, op.getDpsInputs()[1]);
  Value acc = op.getDpsInits()[0];
  bool aUnsigned =
      llvm::any_of(op.getBlock()->getArgument(0).getUsers(),
                   [](Operation *user) { return isa<arith::ExtUIOp>(user); });
  AffineMap aMap = op.getMatchingIndexingMap(op.getDpsInputOperand(0));
  Type i8 = rewriter.getI8Type(), i32 = rewriter.getI32Type();
  auto bytesType = VectorType::get({lanes * kGroup}, i8);
  auto accType = VectorType::get({lanes}, i32);
  Value pad8 = arith::ConstantIntOp::create(rewriter, loc, i8, 0);
  Value pad32 = arith::ConstantIntOp::create(rewriter, loc, i32, 0);
  // B's vectors once, for every row.
  SmallVector<Value> columns;
  for (int64_t v = 0; v < tile->columns / lanes; ++v)
    columns.push_back(vector::TransferReadOp::create(
        rewriter, loc, bytesType, panel,
        ValueRange{
            arith::ConstantIndexOp::create(rewriter, loc, v * lanes * kGroup)},
        pad8, ArrayRef<bool>{true}));
  // The accumulators as one rows x N vector, read and written whole, so
  // that the reduction loops around the tile keep them in registers.
  // (Read in C's own shape: the transfers then fold into the loops'
  // tensors, and are hoisted.)
  auto accTensor = cast<RankedTensorType>(acc.getType());
  auto fullType = VectorType::get(accTensor.getShape(), i32);
  auto tileType = VectorType::get({tile->rows, tile->columns}, i32);
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  SmallVector<Value> origin(accTensor.getRank(), zero);
  SmallVector<bool> inBounds(accTensor.getRank(), true);
  Value sums = vector::ShapeCastOp::create(
      rewriter, loc, tileType,
      vector::TransferReadOp::create(rewriter, loc, fullType, acc, origin,
                                     pad32, inBounds));
  for (int64_t row = 0; row < tile->rows; ++row) {
    Value broadcast = broadcastRow(rewriter, loc, a, aMap, *tile, row, lanes);
    Value sumRow =
        vector::ExtractOp::create(rewriter, loc, sums, ArrayRef<int64_t>{row});
    for (auto [v, column] : llvm::enumerate(columns)) {
      int64_t offset = v * lanes;
      Value sum = vector::ExtractStridedSliceOp::create(
          rewriter, loc, sumRow, ArrayRef<int64_t>{offset},
          ArrayRef<int64_t>{lanes}, ArrayRef<int64_t>{1});
      // vpdpbusd reads its first operand unsigned.
      sum = aUnsigned ? DotU8S8Op::create(rewriter, loc, accType, sum,
                                          broadcast, column)
                      : DotU8S8Op::create(rewriter, loc, accType, sum, column,
                                          broadcast);
      sumRow = vector::InsertStridedSliceOp::create(rewriter, loc, sum, sumRow,
                                                    ArrayRef<int64_t>{offset},
                                                    ArrayRef<int64_t>{1});
    }
    sums = vector::InsertOp::create(rewriter, loc, sumRow, sums,
                                    ArrayRef<int64_t>{row});
  }
  sums = vector::ShapeCastOp::create(rewriter, loc, fullType, sums);
  return vector::TransferWriteOp::create(rewriter, loc, sums, acc, origin,
                                         inBounds)
      .getResult();
}

} // namespace kiln
