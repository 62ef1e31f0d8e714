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
#include "mlir/Conversion/UBToLLVM/UBToLLVM.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;

namespace kiln {

void buildGraphPipeline(OpPassManager &pm, const PhaseOptions &options) {
  OpPassManager &fpm = pm.nest<func::FuncOp>();
  fpm.addPass(onnx::createONNXQuantizePass());
  onnx::ONNXIntegerQDQPassOptions qdq;
  qdq.explain = options.explain;
  fpm.addPass(onnx::createONNXIntegerQDQPass(qdq));
  fpm.addPass(onnx::createONNXDecomposePass());
  fpm.addPass(onnx::createONNXShapeInferencePass());
  fpm.addPass(createCanonicalizerPass());
  fpm.addPass(createCSEPass());
  // Folding may expose constants that refine more shapes.
  fpm.addPass(onnx::createONNXShapeInferencePass());
  if (options.verifyContract)
    pm.addPass(onnx::createONNXVerifyGraphContractPass());
}

void buildLinalgPipeline(OpPassManager &pm, const PhaseOptions &) {
  OpPassManager &fpm = pm.nest<func::FuncOp>();
  fpm.addPass(createConvertONNXToLinalgPass());
  fpm.addPass(createCanonicalizerPass());
  fpm.addPass(createCSEPass());
  // Weights in the layout their users read, once.
  fpm.addPass(createFoldConstantTransposesPass());
  // Chains of elementwise ops (a GELU, a LayerNorm's arithmetic) as one
  // loop each.
  fpm.addPass(createFuseElementwisePass());
}

void buildCodegenPipeline(OpPassManager &pm, const PhaseOptions &options) {
  // Policy: a decision per compute op, written as an attribute.
  SelectLoweringConfigPassOptions select;
  select.tuningDB = options.tuningDB;
  select.explain = options.explain;
  pm.addPass(createSelectLoweringConfigPass(select));
  // Mechanism: the decisions applied. Convolutions lowered through im2col,
  // and contractions computed transposed, become ops the policy then
  // decides for.
  pm.addNestedPass<func::FuncOp>(createIm2ColByConfigPass());
  pm.addPass(createSelectLoweringConfigPass(select));
  pm.addNestedPass<func::FuncOp>(createTransposeOutputByConfigPass());
  pm.addPass(createSelectLoweringConfigPass(select));
  OpPassManager &fpm = pm.nest<func::FuncOp>();
  fpm.addPass(createPackByConfigPass());
  fpm.addPass(createTileByConfigPass());
  fpm.addPass(createCanonicalizerPass());
  fpm.addPass(createVectorizeByConfigPass());
  fpm.addPass(createCanonicalizerPass());
  fpm.addPass(createCSEPass());
}

void buildBufferizePipeline(OpPassManager &pm, const PhaseOptions &) {
  pm.addNestedPass<func::FuncOp>(createDistinctResultsPass());
  pm.addNestedPass<func::FuncOp>(createSplitEmptyTensorsPass());
  pm.addPass(createGlobalizeConstantsPass());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  pm.addPass(createCanonicalizerPass());
  // Parallel tile loops become task functions before their buffers are
  // hoisted: each task keeps its own scratch.
  pm.addPass(createOutlineParallelLoopsPass());
  // A buffer of a tile loop (a pad fused into it) is allocated once, so
  // that the workspace plan below gives it a place.
  pm.addNestedPass<func::FuncOp>(bufferization::createBufferLoopHoistingPass());
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

void buildLLVMPipeline(OpPassManager &pm, const PhaseOptions &options) {
  // Weights as one blob of bytes, not a nested LLVM constant per row.
  PackWeightsPassOptions packOptions;
  packOptions.releaseMoved = options.releaseWeights;
  pm.addPass(createPackWeightsPass(packOptions));
  // One function per kernel keeps LLVM's work linear in the graph.
  pm.addPass(createOutlineKernelsPass());
  pm.addPass(createOutlineSegmentsPass());
  OpPassManager &fpm = pm.nest<func::FuncOp>();
  fpm.addPass(createLowerStridedCopiesPass());
  fpm.addPass(createLowerDotProductsPass());
  fpm.addPass(createLowerDynamicExpandShapePass());
  // n-D vector transfers as unrolled 1-D ones, which become plain loads and
  // stores.
  fpm.addPass(createConvertVectorToSCFPass(
      VectorTransferToSCFOptions().enableFullUnroll()));
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
  // erf, tanh and exp on f32 vectors as polynomials, not a libm call per
  // lane.
  pm.addNestedPass<func::FuncOp>(createApproximateVectorMathPass());
  arith::ArithExpandOpsPassOptions expand;
  expand.includeBf16 = true;
  pm.addPass(arith::createArithExpandOpsPass(expand));
  // float8/float4 conversions and narrow-float selects as integer code.
  pm.addNestedPass<func::FuncOp>(createExpandNarrowFloatsPass());
  // Intrinsics where LLVM has them (sqrt, exp, fma, ...); libm for the rest.
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  ConvertVectorToLLVMPassOptions vectorToLLVM;
  vectorToLLVM.vectorContractLowering =
      vector::VectorContractLowering::OuterProduct;
  pm.addPass(createConvertVectorToLLVMPass(vectorToLLVM));
  // The vector lowering's undefined padding lanes.
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createLowerParallelCallsPass());
  pm.addPass(createCanonicalizerPass());
}

ArrayRef<PhaseInfo> getPhases() {
  static const PhaseInfo phases[] = {
      {Phase::Import, "import", "the ONNX model as onnx dialect ops", nullptr},
      {Phase::Graph, "graph",
       "shape inference, folding, canonicalisation; every shape known or "
       "symbolic",
       buildGraphPipeline},
      {Phase::Linalg, "linalg",
       "onnx ops lowered to linalg, tensor, arith and math on tensors",
       buildLinalgPipeline},
      {Phase::Codegen, "codegen",
       "a #kiln.lowering_config per compute op (heuristic or tuning "
       "database), then tiling by it",
       buildCodegenPipeline},
      {Phase::Bufferize, "bufferize",
       "buffers: caller-owned outputs, one planned workspace",
       buildBufferizePipeline},
      {Phase::LLVM, "llvm",
       "loops and upstream conversions to the LLVM dialect", buildLLVMPipeline},
  };
  return phases;
}

std::optional<Phase> parsePhase(StringRef name) {
  for (const PhaseInfo &info : getPhases())
    if (info.name == name)
      return info.phase;
  return std::nullopt;
}

StringRef getPhaseName(Phase phase) { return getPhases()[(int)phase].name; }

std::string getPhaseNameList() {
  SmallVector<StringRef> names;
  for (const PhaseInfo &info : getPhases())
    names.push_back(info.name);
  return llvm::join(names, ", ");
}

void buildPhase(OpPassManager &pm, Phase phase, const PhaseOptions &options) {
  if (auto build = getPhases()[(int)phase].build)
    build(pm, options);
}

void registerPipelines() {
  for (const PhaseInfo &info : getPhases()) {
    if (!info.build)
      continue;
    // The registry keeps the strings it is given by reference.
    static llvm::StringSet<> names;
    StringRef name =
        names.insert(("kiln-" + info.name + "-pipeline").str()).first->first();
    PassPipelineRegistration<PhaseOptions>(name, info.description, info.build);
  }
}

} // namespace kiln
