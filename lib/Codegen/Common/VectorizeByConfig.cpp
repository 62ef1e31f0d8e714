//===- VectorizeByConfig.cpp - vectorize ops tiled to their vector sizes --===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The innermost tile of a config with `vector_sizes` becomes vector code:
// linalg's vectorizer (kiln's own for depthwise convolutions in NCHW and
// for the dot_u8s8 microkernel),
// loop-invariant accumulators hoisted out of the reduction loop, and
// vector.contract as outer products (broadcast FMAs).
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"
#include "kiln/Tuning/VectorElements.h"

#include "VectorizeDepthwise.h"
#include "VectorizeDotProduct.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace kiln {
#define GEN_PASS_DEF_VECTORIZEBYCONFIGPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
/// Whether an operand holds integers narrower than a byte (i1, i4):
/// kiln::isSubByteInteger.
bool hasSubByteIntegers(linalg::LinalgOp op) {
  return llvm::any_of(op->getOperandTypes(), [](Type type) {
    return kiln::isSubByteInteger(getElementTypeOrSelf(type));
  });
}

/// Whether `op` is a tile of its config's vector sizes: exactly, or, for
/// a tiled contraction, all-parallel op or depthwise convolution, the
/// partial tile at the edge of its loops (static, and no larger), which
/// then vectorizes to its own shape.
bool isVectorTile(linalg::LinalgOp op) {
  auto config = kiln::LoweringConfigAttr::lookup(op);
  if (!config || !config.getVectorSizes() || !op.hasPureTensorSemantics() ||
      hasSubByteIntegers(op))
    return false;
  ArrayRef<int64_t> vector = config.getVectorSizes().asArrayRef();
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (llvm::equal(ranges, vector))
    return true;
  if (config.getNumTilingLevels() == 0)
    return false;
  return (linalg::isaContractionOpInterface(op) ||
          op.getNumReductionLoops() == 0 ||
          isa<linalg::DepthwiseConv2DNchwChwOp>(op.getOperation())) &&
         ranges.size() == vector.size() &&
         llvm::all_of(llvm::zip(ranges, vector), [](auto pair) {
           auto [range, size] = pair;
           return !ShapedType::isDynamic(range) && range <= size;
         });
}

/// A contraction generic as `linalg.contract`, which the vectorizer makes
/// a `vector.contract` (a generic's multiply and add stay two ops, and the
/// FMA is lost). A rank-0 result stays a generic: the vectorizer would
/// give `vector.contract` a 0-d vector accumulator, which it rejects.
linalg::LinalgOp asContract(RewriterBase &rewriter, linalg::LinalgOp op) {
  auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
  if (!generic || !linalg::isaContractionOpInterface(generic) ||
      generic.getRank(generic.getDpsInitOperand(0)) == 0)
    return op;
  rewriter.setInsertionPoint(generic);
  auto contract = linalg::ContractOp::create(
      rewriter, generic.getLoc(), generic.getResultTypes(),
      generic.getDpsInputs(), generic.getDpsInits(), generic.getIndexingMaps());
  rewriter.replaceOp(generic, contract->getResults());
  return contract;
}

struct VectorizeByConfigPass
    : kiln::impl::VectorizeByConfigPassBase<VectorizeByConfigPass> {
  void runOnOperation() override {
    if (failed(vectorizeTiles()))
      return signalPassFailure();
    if (failed(foldSubsetsIntoTransfers()))
      return signalPassFailure();
    hoistAccumulators();
    if (failed(lowerContractions()))
      return signalPassFailure();
  }

  LogicalResult vectorizeTiles() {
    SmallVector<linalg::LinalgOp> tiles;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (isVectorTile(op))
        tiles.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : tiles) {
      if (FailureOr<Value> dot = kiln::vectorizeDotProduct(rewriter, op);
          succeeded(dot)) {
        rewriter.replaceOp(op, *dot);
        continue;
      }
      if (FailureOr<Value> depthwise =
              kiln::vectorizeDepthwiseConv(rewriter, op);
          succeeded(depthwise)) {
        rewriter.replaceOp(op, *depthwise);
        continue;
      }
      op = asContract(rewriter, op);
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::VectorizationResult> result = linalg::vectorize(
          rewriter, op, /*inputVectorSizes=*/{}, /*inputScalableVecDims=*/{},
          /*vectorizeNDExtract=*/false, /*flatten1DDepthwiseConv=*/false,
          /*assumeDynamicDimsMatchVecSizes=*/false,
          /*createNamedContraction=*/true);
      // An op the vectorizer does not handle stays a scalar loop nest.
      if (failed(result))
        continue;
      rewriter.replaceOp(op, result->replacements);
    }
    return success();
  }

  /// transfer_read(extract_slice) reads the whole tensor, and
  /// insert_slice(transfer_write) writes it, so the hoisting below sees the
  /// accumulator's read and write on the loop's own iter_arg.
  LogicalResult foldSubsetsIntoTransfers() {
    RewritePatternSet patterns(&getContext());
    tensor::populateFoldTensorSubsetIntoVectorTransferPatterns(patterns);
    vector::TransferReadOp::getCanonicalizationPatterns(patterns,
                                                        &getContext());
    vector::TransferWriteOp::getCanonicalizationPatterns(patterns,
                                                         &getContext());
    return applyPatternsGreedily(getOperation(), std::move(patterns));
  }

  /// Innermost loops first, so an accumulator hoisted from the reduction
  /// loop can be hoisted again from the loops around it where invariant.
  void hoistAccumulators() {
    IRRewriter rewriter(&getContext());
    getOperation().walk([&](LoopLikeOpInterface loop) {
      hoistLoopInvariantSubsets(rewriter, loop);
    });
  }

  LogicalResult lowerContractions() {
    RewritePatternSet patterns(&getContext());
    vector::populateVectorContractLoweringPatterns(
        patterns, vector::VectorContractLowering::OuterProduct);
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    vector::populateCastAwayVectorLeadingOneDimPatterns(patterns);
    vector::populateSinkVectorOpsPatterns(patterns);
    return applyPatternsGreedily(getOperation(), std::move(patterns));
  }
};
} // namespace
