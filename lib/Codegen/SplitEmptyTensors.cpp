//===- SplitEmptyTensors.cpp - one tensor.empty per use -------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace kiln {
#define GEN_PASS_DEF_SPLITEMPTYTENSORSPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
/// Gives each use of `empty` a clone placed right before its user (the
/// original dominates the user, so its sizes do too), then erases it: a
/// buffer's live range then starts where it is first written.
void split(tensor::EmptyOp empty) {
  SmallVector<OpOperand *> uses = llvm::map_to_vector(
      empty->getUses(), [](OpOperand &use) { return &use; });
  for (OpOperand *use : uses) {
    OpBuilder builder(use->getOwner());
    use->set(builder.clone(*empty)->getResult(0));
  }
  empty->erase();
}

/// The same for a `linalg.fill` of a `tensor.empty` (an accumulator that
/// CSE shared between matmuls): each op that writes into it (a destination
/// operand) gets its own fill, right before it, of its own tensor.empty
/// (split below); uses that only read it keep the original.
void split(linalg::FillOp fill) {
  if (fill->hasOneUse() || fill.getNumResults() != 1 ||
      !fill.getOutputs()[0].getDefiningOp<tensor::EmptyOp>())
    return;
  SmallVector<OpOperand *> inits;
  for (OpOperand &use : fill->getUses()) {
    auto dps = dyn_cast<DestinationStyleOpInterface>(use.getOwner());
    if (dps && dps.isDpsInit(&use))
      inits.push_back(&use);
  }
  for (OpOperand *use : inits) {
    OpBuilder builder(use->getOwner());
    use->set(builder.clone(*fill)->getResult(0));
  }
  if (fill->use_empty())
    fill->erase();
}

struct SplitEmptyTensorsPass
    : kiln::impl::SplitEmptyTensorsPassBase<SplitEmptyTensorsPass> {
  void runOnOperation() override {
    SmallVector<linalg::FillOp> fills;
    getOperation().walk([&](linalg::FillOp op) {
      if (op.hasPureTensorSemantics())
        fills.push_back(op);
    });
    for (linalg::FillOp fill : fills)
      split(fill);
    SmallVector<tensor::EmptyOp> empties;
    getOperation().walk([&](tensor::EmptyOp op) { empties.push_back(op); });
    for (tensor::EmptyOp empty : empties)
      split(empty);
  }
};
} // namespace
