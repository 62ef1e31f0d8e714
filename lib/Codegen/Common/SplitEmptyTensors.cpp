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
/// Gives each of `uses` of `op` a clone of `op` placed right before its user
/// (`op` dominates the user, so its operands do too), and erases `op` once
/// nothing uses it.
void cloneBeforeUsers(Operation *op, ArrayRef<OpOperand *> uses) {
  for (OpOperand *use : uses) {
    OpBuilder builder(use->getOwner());
    use->set(builder.clone(*op)->getResult(0));
  }
  if (op->use_empty())
    op->erase();
}

/// Gives each use of `empty` its own clone, so that a buffer's live range
/// starts where it is first written.
void split(tensor::EmptyOp empty) {
  cloneBeforeUsers(empty,
                   llvm::map_to_vector(empty->getUses(),
                                       [](OpOperand &use) { return &use; }));
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
  cloneBeforeUsers(fill, inits);
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
