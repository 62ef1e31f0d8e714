//===- ShapeInference.cpp - refine onnx result types ----------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"
#include "kiln/Dialect/ONNX/Transforms/Passes.h"

#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "onnx-shape-inference"

namespace kiln::onnx {
#define GEN_PASS_DEF_ONNXSHAPEINFERENCEPASS
#include "kiln/Dialect/ONNX/Transforms/Passes.h.inc"
} // namespace kiln::onnx

using namespace mlir;
using namespace kiln::onnx;

namespace {
struct ONNXShapeInferencePass
    : kiln::onnx::impl::ONNXShapeInferencePassBase<ONNXShapeInferencePass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    WalkResult walk = func.walk([](ShapeInferenceOpInterface op) {
      SmallVector<Type> inferred;
      if (failed(op.inferResultTypes(inferred)))
        return WalkResult::interrupt();
      for (auto [result, type] : llvm::zip(op->getResults(), inferred)) {
        if (isa<NoneType>(result.getType()))
          continue;
        if (!areCompatibleTypes(result.getType(), type)) {
          op->emitOpError() << "result has type " << result.getType()
                            << ", incompatible with the inferred type " << type;
          return WalkResult::interrupt();
        }
        Type refined = refineType(result.getType(), type);
        LLVM_DEBUG(if (refined != result.getType()) llvm::dbgs()
                   << "refine " << result.getType() << " -> " << refined
                   << "\n");
        result.setType(refined);
      }
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();

    // Refine the signature to what the graph returns.
    Operation *terminator = func.getBody().back().getTerminator();
    SmallVector<Type> results;
    for (auto [declared, returned] :
         llvm::zip(func.getFunctionType().getResults(),
                   terminator->getOperandTypes()))
      results.push_back(areCompatibleTypes(declared, returned)
                            ? refineType(declared, returned)
                            : declared);
    func.setFunctionType(FunctionType::get(
        func.getContext(), func.getFunctionType().getInputs(), results));
  }
};
} // namespace
