//===- ApproximateVectorMath.cpp - vector math without libm calls ---------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {
#define GEN_PASS_DEF_APPROXIMATEVECTORMATHPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
/// The ops approximated: those LLVM would otherwise scalarize into libm
/// calls, lane by lane.
bool isApproximated(Operation *op) {
  auto vector = dyn_cast<VectorType>(op->getResultTypes().front());
  return isa<math::ErfOp, math::TanhOp, math::ExpOp>(op) && vector &&
         vector.getElementType().isF32();
}

/// A power with a constant exponent (GPT-2's GELU cubes through Pow 3):
/// upstream's algebraic simplification makes the small ones products and
/// square roots, where LLVM would call powf lane by lane.
bool isStrengthReduced(Operation *op) {
  auto pow = dyn_cast<math::PowFOp>(op);
  return pow && matchPattern(pow.getRhs(), m_Constant());
}

struct ApproximateVectorMathPass
    : kiln::impl::ApproximateVectorMathPassBase<ApproximateVectorMathPass> {
  void runOnOperation() override {
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (op->getNumResults() == 1 &&
          (isApproximated(op) || isStrengthReduced(op)))
        ops.push_back(op);
    });
    if (ops.empty())
      return;
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, [](StringRef name) {
      return name == math::ErfOp::getOperationName() ||
             name == math::TanhOp::getOperationName() ||
             name == math::ExpOp::getOperationName();
    });
    populateMathAlgebraicSimplificationPatterns(patterns);
    // Only these ops: the patterns would rewrite scalar ones too.
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingOps);
    if (failed(applyOpPatternsGreedily(ops, std::move(patterns), config)))
      return signalPassFailure();
  }
};
} // namespace
