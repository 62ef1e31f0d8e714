//===- ONNXToLinalgPass.cpp - the convert-onnx-to-linalg pass -------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "PopulatePatterns.h"
#include "Utils.h"

#include "kiln/Conversion/ONNXToLinalg/ONNXToLinalg.h"
#include "kiln/Conversion/Passes.h"
#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Diagnostics.h"

#include <thread>

namespace kiln {
#define GEN_PASS_DEF_CONVERTONNXTOLINALGPASS
#include "kiln/Conversion/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {

void populateONNXToLinalgPatterns(RewritePatternSet &patterns) {
  onnx_to_linalg::populateElementwisePatterns(patterns);
  onnx_to_linalg::populateLinearPatterns(patterns);
  onnx_to_linalg::populateDataMovementPatterns(patterns);
  onnx_to_linalg::populateDropoutPatterns(patterns);
  onnx_to_linalg::populateConvolutionPatterns(patterns);
  onnx_to_linalg::populateIntegerConvolutionPatterns(patterns);
  onnx_to_linalg::populatePoolingPatterns(patterns);
  onnx_to_linalg::populateNormalizationPatterns(patterns);
  onnx_to_linalg::populateReductionPatterns(patterns);
  onnx_to_linalg::populateIndexingPatterns(patterns);
  onnx_to_linalg::populateLossPatterns(patterns);
  onnx_to_linalg::populateScanPatterns(patterns);
  onnx_to_linalg::populateGridSamplePatterns(patterns);
  onnx_to_linalg::populateQuantizationPatterns(patterns);
  onnx_to_linalg::populateResizePatterns(patterns);
  onnx_to_linalg::populateShapePatterns(patterns);
}

namespace {
/// Runs a partial conversion and reports each op it leaves illegal as
/// "unsupported: cannot lower 'onnx.X': <the patterns' reasons>" in place
/// of the driver's generic "failed to legalize" error.
LogicalResult convertReportingCauses(Operation *root,
                                     const ConversionTarget &target,
                                     FrozenRewritePatternSet patterns) {
  onnx_to_linalg::MatchFailureLog log;
  onnx_to_linalg::MatchFailureLog::Scope scope(log);
  SmallVector<std::pair<Location, std::string>> illegal;
  std::thread::id thread = std::this_thread::get_id();
  LogicalResult result = success();
  {
    ScopedDiagnosticHandler handler(
        root->getContext(), [&](Diagnostic &diag) -> LogicalResult {
          llvm::StringRef prefix = "failed to legalize operation '";
          std::string message = diag.str();
          if (std::this_thread::get_id() != thread ||
              !llvm::StringRef(message).starts_with(prefix))
            return failure();
          llvm::StringRef name = llvm::StringRef(message)
                                     .drop_front(prefix.size())
                                     .split('\'')
                                     .first;
          illegal.push_back({diag.getLocation(), name.str()});
          return success();
        });
    result = applyPartialConversion(root, target, patterns);
  }
  for (auto &[loc, name] : illegal) {
    std::string reason = log.lookup(loc, name);
    emitError(loc) << "unsupported: cannot lower '" << name << "': "
                   << (reason.empty() ? "no lowering pattern applies" : reason);
  }
  return result;
}

struct ConvertONNXToLinalgPass
    : impl::ConvertONNXToLinalgPassBase<ConvertONNXToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    ConversionTarget target(*ctx);
    target.addLegalDialect<arith::ArithDialect, cf::ControlFlowDialect,
                           linalg::LinalgDialect, math::MathDialect,
                           scf::SCFDialect, tensor::TensorDialect>();
    target.addIllegalDialect<onnx::ONNXDialect>();
    // `none` values die with their users; they are erased below.
    target.addLegalOp<onnx::ONNXNoValueOp>();
    // Unsigned tensors become signless at function boundaries too.
    TypeConverter converter;
    converter.addConversion([](Type type) -> Type {
      if (auto ranked = dyn_cast<RankedTensorType>(type))
        return onnx_to_linalg::getLowerableType(ranked);
      return type;
    });
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp func) {
      return converter.isSignatureLegal(func.getFunctionType());
    });
    target.addDynamicallyLegalOp<func::ReturnOp>([&](func::ReturnOp op) {
      return converter.isLegal(op.getOperandTypes());
    });
    RewritePatternSet patterns(ctx);
    populateONNXToLinalgPatterns(patterns);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    if (failed(convertReportingCauses(getOperation(), target,
                                      std::move(patterns))))
      return signalPassFailure();
    getOperation().walk([](onnx::ONNXNoValueOp op) {
      if (op->use_empty())
        op->erase();
    });
  }
};
} // namespace

} // namespace kiln
