//===- Pipelines.cpp - kiln's compilation phases --------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Pipelines/Pipelines.h"
#include "kiln/Codegen/Passes.h"
#include "kiln/Conversion/Passes.h"
#include "kiln/Dialect/ONNX/Transforms/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/BufferizationToMemRef/BufferizationToMemRef.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/ConvertToLLVM/ToLLVMPass.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
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
      .Case("bufferize", Phase::Bufferize)
      .Case("llvm", Phase::LLVM)
      .Default(std::nullopt);
}

void buildGraphPipeline(OpPassManager &pm,
                        const GraphPipelineOptions &options) {
  OpPassManager &fpm = pm.nest<func::FuncOp>();
  fpm.addPass(onnx::createONNXDecomposePass());
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

void buildBufferizePipeline(OpPassManager &pm) {
  pm.addNestedPass<func::FuncOp>(createDistinctResultsPass());
  pm.addNestedPass<func::FuncOp>(createSplitEmptyTensorsPass());
  pm.addPass(createGlobalizeConstantsPass());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  pm.addPass(createCanonicalizerPass());
  // Sizes first, while the results are still returned: the dims function
  // (what `query` calls), then the workspace (inputs, workspace, outputs).
  pm.addPass(createOutlineDimsPass());
  pm.addPass(createPlanWorkspacePass());
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.hoistDynamicAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  pm.addPass(createCanonicalizerPass());
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createConvertBufferizationToMemRefPass());
  pm.addPass(createCanonicalizerPass());
}

void buildLLVMPipeline(OpPassManager &pm) {
  // Weights as one blob of bytes, not a nested LLVM constant per row.
  pm.addPass(createPackWeightsPass());
  // One function per kernel keeps LLVM's work linear in the graph.
  pm.addPass(createOutlineKernelsPass());
  pm.addPass(createOutlineSegmentsPass());
  OpPassManager &fpm = pm.nest<func::FuncOp>();
  fpm.addPass(createLowerStridedCopiesPass());
  fpm.addPass(createLowerDynamicExpandShapePass());
  fpm.addPass(createConvertLinalgToLoopsPass());
  fpm.addPass(createLowerAffinePass());
  fpm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  // bf16 arithmetic runs in f32, and bf16 conversions become integer code
  // instead of libgcc calls.
  arith::ArithEmulateUnsupportedFloatsOptions emulate;
  emulate.sourceTypeStrs = {"bf16"};
  pm.addPass(arith::createArithEmulateUnsupportedFloats(emulate));
  pm.addPass(math::createMathExtendToSupportedTypes());
  arith::ArithExpandOpsPassOptions expand;
  expand.includeBf16 = true;
  pm.addPass(arith::createArithExpandOpsPass(expand));
  // float8/float4 conversions and narrow-float selects as integer code.
  pm.addNestedPass<func::FuncOp>(createExpandNarrowFloatsPass());
  // Intrinsics where LLVM has them (sqrt, exp, fma, ...); libm for the rest.
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

llvm::StringRef getPhaseName(Phase phase) {
  switch (phase) {
  case Phase::Import:
    return "import";
  case Phase::Graph:
    return "graph";
  case Phase::Linalg:
    return "linalg";
  case Phase::Bufferize:
    return "bufferize";
  case Phase::LLVM:
    return "llvm";
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
  case Phase::Bufferize:
    return buildBufferizePipeline(pm);
  case Phase::LLVM:
    return buildLLVMPipeline(pm);
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
  PassPipelineRegistration<>(
      "kiln-bufferize-pipeline",
      "The bufferize phase: caller-owned outputs, a planned workspace",
      buildBufferizePipeline);
  PassPipelineRegistration<>(
      "kiln-llvm-pipeline",
      "The llvm phase: loops and upstream conversions to the LLVM dialect",
      buildLLVMPipeline);
}

} // namespace kiln
