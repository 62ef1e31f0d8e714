//===- VerifyGraphContract.cpp - the graph phase's IR contract ------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"
#include "kiln/Dialect/ONNX/Transforms/Passes.h"

namespace kiln::onnx {
#define GEN_PASS_DEF_ONNXVERIFYGRAPHCONTRACTPASS
#include "kiln/Dialect/ONNX/Transforms/Passes.h.inc"
} // namespace kiln::onnx

using namespace mlir;
using namespace kiln::onnx;

namespace {
struct ONNXVerifyGraphContractPass
    : kiln::onnx::impl::ONNXVerifyGraphContractPassBase<
          ONNXVerifyGraphContractPass> {
  void runOnOperation() override {
    auto isAllowedType = [](Type t) { return isa<TensorType, NoneType>(t); };
    WalkResult walk = getOperation().walk([&](Operation *op) {
      if (isa<ModuleOp, func::FuncOp>(op))
        return WalkResult::advance();
      if (!isa<ONNXDialect>(op->getDialect()) && !isa<func::ReturnOp>(op)) {
        op->emitError() << "op '" << op->getName()
                        << "' is not allowed after the graph phase";
        return WalkResult::interrupt();
      }
      for (Type t : op->getResultTypes())
        if (!isAllowedType(t)) {
          op->emitError() << "value of type " << t
                          << " is not allowed after the graph phase";
          return WalkResult::interrupt();
        }
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      signalPassFailure();
  }
};
} // namespace
