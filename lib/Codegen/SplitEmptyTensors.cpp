//===- SplitEmptyTensors.cpp - one tensor.empty per use -------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace kiln {
#define GEN_PASS_DEF_SPLITEMPTYTENSORSPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
struct SplitEmptyTensorsPass
    : kiln::impl::SplitEmptyTensorsPassBase<SplitEmptyTensorsPass> {
  void runOnOperation() override {
    getOperation().walk([](tensor::EmptyOp empty) {
      OpBuilder builder(empty);
      // Every use but the first gets a clone placed at the original, which
      // dominates all of them.
      SmallVector<OpOperand *> uses = llvm::map_to_vector(
          empty->getUses(), [](OpOperand &use) { return &use; });
      for (OpOperand *use : llvm::drop_begin(uses))
        use->set(builder.clone(*empty)->getResult(0));
    });
  }
};
} // namespace
