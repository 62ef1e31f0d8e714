//===- Pipelines.cpp - kiln's compilation phases --------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Pipelines/Pipelines.h"
#include "kiln/Dialect/ONNX/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;

namespace kiln {

std::optional<Phase> parsePhase(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<Phase>>(name)
      .Case("import", Phase::Import)
      .Case("graph", Phase::Graph)
      .Default(std::nullopt);
}

void buildGraphPipeline(OpPassManager &pm,
                        const GraphPipelineOptions &options) {
  OpPassManager &fpm = pm.nest<func::FuncOp>();
  fpm.addPass(onnx::createONNXShapeInferencePass());
  fpm.addPass(createCanonicalizerPass());
  fpm.addPass(createCSEPass());
  // Folding may expose constants that refine more shapes.
  fpm.addPass(onnx::createONNXShapeInferencePass());
  if (options.verifyContract)
    pm.addPass(onnx::createONNXVerifyGraphContractPass());
}

void buildPipelineUpTo(OpPassManager &pm, Phase last) {
  if (last >= Phase::Graph)
    buildGraphPipeline(pm, GraphPipelineOptions());
}

void registerPipelines() {
  PassPipelineRegistration<GraphPipelineOptions>(
      "kiln-graph-pipeline",
      "The graph phase: shape inference, folding, canonicalisation",
      buildGraphPipeline);
}

} // namespace kiln
