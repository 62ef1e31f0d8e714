//===- FoldConstantLayouts.cpp - packs and transposes of constants --------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "FoldConstantLayouts.h"

#include "StoredBytes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

namespace {
/// `source`, a constant, with element i of `type` taken from its element
/// `sourceIndex(i)`; failure for values not stored as whole bytes.
FailureOr<Attribute>
relayoutConstant(Value source, RankedTensorType type, StringRef name,
                 function_ref<int64_t(int64_t)> sourceIndex) {
  Attribute value;
  if (!matchPattern(source, m_Constant(&value)) || !type.hasStaticShape() ||
      !type.getElementType().isIntOrFloat() ||
      type.getElementTypeBitWidth() % 8)
    return failure();
  std::optional<ArrayRef<char>> bytes = kiln::getStoredBytes(value);
  size_t width = type.getElementTypeBitWidth() / 8;
  int64_t count = type.getNumElements();
  if (!bytes || (int64_t)bytes->size() != count * (int64_t)width)
    return failure();
  AsmResourceBlob blob = HeapAsmResourceBlob::allocate(bytes->size(), width,
                                                       /*dataIsMutable=*/true);
  MutableArrayRef<char> out = blob.getMutableData();
  for (int64_t i = 0; i < count; ++i)
    std::memcpy(&out[i * width], &(*bytes)[sourceIndex(i) * width], width);
  return Attribute(DenseResourceElementsAttr::get(type, name, std::move(blob)));
}

/// Where each element of a pack's result comes from in its source.
struct PackIndexer {
  explicit PackIndexer(linalg::PackOp pack)
      : resultShape(pack.getDestType().getShape()),
        sourceShape(pack.getSourceType().getShape()),
        outerPerm(pack.getOuterDimsPerm()), innerDims(pack.getInnerDimsPos()),
        tiles(pack.getStaticTiles()), position(resultShape.size()),
        source(sourceShape.size()) {}

  /// Whether every tiled dim is static and a whole number of tiles.
  bool isExact() const {
    for (auto [dim, tile] : llvm::zip(innerDims, tiles))
      if (ShapedType::isDynamic(tile) ||
          ShapedType::isDynamic(sourceShape[dim]) || sourceShape[dim] % tile)
        return false;
    return true;
  }

  /// The linear source index of the result's element `index`.
  int64_t getSourceIndex(int64_t index) {
    for (int64_t d = resultShape.size() - 1; d >= 0; --d) {
      position[d] = index % resultShape[d];
      index /= resultShape[d];
    }
    int64_t rank = sourceShape.size();
    for (int64_t d = 0; d < rank; ++d)
      source[outerPerm.empty() ? d : outerPerm[d]] = position[d];
    for (auto [i, dim] : llvm::enumerate(innerDims))
      source[dim] = source[dim] * tiles[i] + position[rank + i];
    int64_t linear = 0;
    for (int64_t d = 0; d < rank; ++d)
      linear = linear * sourceShape[d] + source[d];
    return linear;
  }

  ArrayRef<int64_t> resultShape, sourceShape, outerPerm, innerDims;
  SmallVector<int64_t> tiles, position, source;
};

/// A pack of a constant that needs no padding is the packed constant.
struct FoldConstantPack : OpRewritePattern<linalg::PackOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::PackOp pack,
                                PatternRewriter &rewriter) const override {
    PackIndexer indexer(pack);
    if (!indexer.isExact())
      return failure();
    FailureOr<Attribute> packed =
        relayoutConstant(pack.getSource(), pack.getDestType(), "packed",
                         [&](int64_t i) { return indexer.getSourceIndex(i); });
    if (failed(packed))
      return failure();
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(pack,
                                                   cast<TypedAttr>(*packed));
    return success();
  }
};

/// A permutation of a constant (Gemm's transB of its weights) is the
/// permuted constant, so that a pack of it folds too.
struct FoldConstantTranspose : OpRewritePattern<linalg::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::TransposeOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics())
      return failure();
    auto type = cast<RankedTensorType>(op.getResult()[0].getType());
    auto sourceType = cast<RankedTensorType>(op.getInput().getType());
    // A constant has a static shape; a dynamic one is no constant's.
    if (!sourceType.hasStaticShape() || !type.hasStaticShape())
      return failure();
    // The source stride of each result dim.
    ArrayRef<int64_t> perm = op.getPermutation();
    SmallVector<int64_t> sourceStrides(perm.size()), strides(perm.size());
    for (int64_t d = perm.size() - 1, stride = 1; d >= 0; --d) {
      sourceStrides[d] = stride;
      stride *= sourceType.getDimSize(d);
    }
    for (auto [i, d] : llvm::enumerate(perm))
      strides[i] = sourceStrides[d];
    FailureOr<Attribute> permuted =
        relayoutConstant(op.getInput(), type, "transposed", [&](int64_t index) {
          int64_t from = 0;
          for (int64_t d = type.getRank() - 1; d >= 0; --d) {
            from += (index % type.getDimSize(d)) * strides[d];
            index /= type.getDimSize(d);
          }
          return from;
        });
    if (failed(permuted))
      return failure();
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op,
                                                   cast<TypedAttr>(*permuted));
    return success();
  }
};

/// A reshape of a constant (a convolution's filters as a matrix) is the
/// constant with the new shape, so that a pack of it folds too.
template <typename ReshapeOp>
struct FoldConstantReshape : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern<ReshapeOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<Attribute> reshaped =
        relayoutConstant(op.getSrc(), op.getResultType(), "reshaped",
                         [](int64_t index) { return index; });
    if (failed(reshaped))
      return failure();
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op,
                                                   cast<TypedAttr>(*reshaped));
    return success();
  }
};
} // namespace

void kiln::populateFoldConstantTransposePatterns(RewritePatternSet &patterns) {
  patterns.add<FoldConstantTranspose>(patterns.getContext());
}

void kiln::populateFoldConstantLayoutPatterns(RewritePatternSet &patterns) {
  patterns.add<FoldConstantPack, FoldConstantTranspose,
               FoldConstantReshape<tensor::CollapseShapeOp>,
               FoldConstantReshape<tensor::ExpandShapeOp>>(
      patterns.getContext());
}
