//===- ShapeInference.cpp - refine onnx result types ----------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"
#include "kiln/Dialect/ONNX/Transforms/Passes.h"

#include "mlir/IR/Matchers.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "onnx-shape-inference"

namespace kiln::onnx {
#define GEN_PASS_DEF_ONNXSHAPEINFERENCEPASS
#include "kiln/Dialect/ONNX/Transforms/Passes.h.inc"
} // namespace kiln::onnx

using namespace mlir;
using namespace kiln::onnx;

namespace {
/// Replaces `op` by constants when its folder computes all its results from
/// constant operands, so that the ops after it see them: shape arithmetic
/// folds and refines in one walk. Returns whether `op` was erased.
bool foldToConstants(Operation *op) {
  SmallVector<Attribute> operands;
  bool anyConstant = false;
  for (Value operand : op->getOperands()) {
    Attribute value;
    anyConstant |= matchPattern(operand, m_Constant(&value));
    operands.push_back(value);
  }
  SmallVector<OpFoldResult> folded;
  if (!anyConstant || failed(op->fold(operands, folded)) || folded.empty())
    return false;
  OpBuilder builder(op);
  SmallVector<Value> replacements;
  for (auto [result, fold] : llvm::zip(op->getResults(), folded)) {
    auto value = dyn_cast_if_present<ElementsAttr>(dyn_cast<Attribute>(fold));
    if (value && value.getType() == result.getType())
      replacements.push_back(
          ONNXConstantOp::create(builder, op->getLoc(), value));
    else if (auto v = dyn_cast<Value>(fold);
             v && v.getType() == result.getType())
      replacements.push_back(v);
    else
      return false;
  }
  op->replaceAllUsesWith(replacements);
  op->erase();
  return true;
}

struct ONNXShapeInferencePass
    : kiln::onnx::impl::ONNXShapeInferencePassBase<ONNXShapeInferencePass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    SmallVector<ShapeInferenceOpInterface> ops;
    func.walk([&](ShapeInferenceOpInterface op) { ops.push_back(op); });
    for (ShapeInferenceOpInterface op : ops) {
      if (failed(refineResultTypes(op)))
        return signalPassFailure();
      foldToConstants(op);
    }
    refineSignature(func);
  }

  static LogicalResult refineResultTypes(ShapeInferenceOpInterface op) {
    SmallVector<Type> inferred;
    if (failed(op.inferResultTypes(inferred)))
      return failure();
    for (auto [result, type] : llvm::zip(op->getResults(), inferred)) {
      if (isa<NoneType>(result.getType()))
        continue;
      if (!areCompatibleTypes(result.getType(), type))
        return op->emitOpError()
               << "result has type " << result.getType()
               << ", incompatible with the inferred type " << type;
      Type refined = refineType(result.getType(), type);
      LLVM_DEBUG(if (refined != result.getType()) llvm::dbgs()
                 << "refine " << result.getType() << " -> " << refined << "\n");
      result.setType(refined);
    }
    return success();
  }

  /// Refines the signature to what the graph returns.
  static void refineSignature(func::FuncOp func) {
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
