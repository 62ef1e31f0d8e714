//===- SelectLoweringConfig.cpp - the codegen phase's policy pass ---------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"
#include "kiln/Dialect/ONNX/IR/ONNXDialect.h"
#include "kiln/Tuning/LoweringConfigAdvisor.h"

#include "llvm/ADT/StringMap.h"

namespace kiln {
#define GEN_PASS_DEF_SELECTLOWERINGCONFIGPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
struct SelectLoweringConfigPass
    : kiln::impl::SelectLoweringConfigPassBase<SelectLoweringConfigPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<std::unique_ptr<kiln::LoweringConfigAdvisor>> advisor =
        createAdvisor();
    if (failed(advisor))
      return signalPassFailure();
    kiln::TargetInfo target = kiln::TargetInfo::get(module);
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isExternal())
        decideFunction(func, **advisor, target);
  }

  FailureOr<std::unique_ptr<kiln::LoweringConfigAdvisor>> createAdvisor() {
    std::unique_ptr<kiln::LoweringConfigAdvisor> heuristic =
        kiln::createHeuristicAdvisor();
    if (tuningDB.empty())
      return heuristic;
    auto replay = kiln::createReplayAdvisor(tuningDB, &getContext(),
                                            std::move(heuristic));
    if (!replay) {
      getOperation().emitError(llvm::toString(replay.takeError()));
      return failure();
    }
    return std::move(*replay);
  }

  void decideFunction(func::FuncOp func, kiln::LoweringConfigAdvisor &advisor,
                      const kiln::TargetInfo &target) {
    llvm::StringMap<unsigned> counts;
    bool decided = false;
    func.walk([&](linalg::LinalgOp op) {
      if (!op.hasPureTensorSemantics() ||
          op->hasAttr(kiln::KilnDialect::kLoweringConfigAttrName))
        return;
      kiln::OpKey key{kiln::onnx::ONNXDialect::getNodeName(op->getLoc()),
                      op->getName().getStringRef().str(), 0};
      key.index = counts[key.node + "\n" + key.opName]++;
      kiln::LoweringDecision decision = advisor.decide(op, key, target);
      op->setAttr(kiln::KilnDialect::kLoweringConfigAttrName, decision.config);
      if (explain)
        op->emitRemark() << "lowering " << key.opName << " #" << key.index
                         << ": " << decision.config << ": " << decision.reason;
      decided = true;
    });
    if (decided && !func->hasAttr(kiln::KilnDialect::kTranslationInfoAttrName))
      func->setAttr(kiln::KilnDialect::kTranslationInfoAttrName,
                    kiln::TranslationInfoAttr::get(
                        func.getContext(),
                        StringAttr::get(func.getContext(), "cpu-tile-loops"),
                        StringAttr::get(func.getContext(), advisor.getName())));
  }
};
} // namespace
