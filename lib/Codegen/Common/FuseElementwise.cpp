//===- FuseElementwise.cpp - chains of elementwise ops as one loop --------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {
#define GEN_PASS_DEF_FUSEELEMENTWISEPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
/// Whether `op` computes each element from the same elements of its
/// operands with plain arithmetic: all loops parallel, no index or tensor
/// reads in its body.
bool isPlainElementwise(linalg::GenericOp op) {
  if (op.getNumParallelLoops() != op.getNumLoops() || op.hasIndexSemantics())
    return false;
  return llvm::none_of(op.getBody()->getOperations(), [](Operation &o) {
    return isa<tensor::ExtractOp>(o) || o.getNumRegions() > 0;
  });
}

/// The fusion rule: a plain elementwise producer with one user, read once
/// per element (a permutation of the consumer's loops). A splat constant read
/// by an all-parallel generic becomes a scalar in its body.
bool shouldFuse(OpOperand *operand) {
  auto consumer = dyn_cast<linalg::GenericOp>(operand->getOwner());
  if (!consumer)
    return false;
  if (matchPattern(operand->get(), m_Constant()))
    return consumer.getNumParallelLoops() == consumer.getNumLoops();
  auto producer = operand->get().getDefiningOp<linalg::GenericOp>();
  if (!producer || !producer->hasOneUse() || !isPlainElementwise(producer))
    return false;
  return consumer.getMatchingIndexingMap(operand).isPermutation();
}

struct FuseElementwisePass
    : kiln::impl::FuseElementwisePassBase<FuseElementwisePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    linalg::populateElementwiseOpsFusionPatterns(patterns, shouldFuse);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
