//===- Pipelines.cpp - kiln's compilation phases --------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Pipelines/Pipelines.h"
#include "kiln/Conversion/Passes.h"
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
      .Case("linalg", Phase::Linalg)
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

void buildLinalgPipeline(OpPassManager &pm) {
  OpPassManager &fpm = pm.nest<func::FuncOp>();
  fpm.addPass(createConvertONNXToLinalgPass());
  fpm.addPass(createCanonicalizerPass());
  fpm.addPass(createCSEPass());
}

llvm::StringRef getPhaseName(Phase phase) {
  switch (phase) {
  case Phase::Import:
    return "import";
  case Phase::Graph:
    return "graph";
  case Phase::Linalg:
    return "linalg";
  }
  llvm_unreachable("unknown phase");
}

void buildPhase(OpPassManager &pm, Phase phase) {
  switch (phase) {
  case Phase::Import:
    return;
  case Phase::Graph:
    return buildGraphPipeline(pm, GraphPipelineOptions());
  case Phase::Linalg:
    return buildLinalgPipeline(pm);
  }
}

void buildPipelineUpTo(OpPassManager &pm, Phase last) {
  for (int p = (int)Phase::Graph; p <= (int)last; ++p)
    buildPhase(pm, Phase(p));
}

void registerPipelines() {
  PassPipelineRegistration<GraphPipelineOptions>(
      "kiln-graph-pipeline",
      "The graph phase: shape inference, folding, canonicalisation",
      buildGraphPipeline);
  PassPipelineRegistration<>(
      "kiln-linalg-pipeline",
      "The linalg phase: onnx ops lowered to linalg, tensor, arith, math",
      buildLinalgPipeline);
}

} // namespace kiln
