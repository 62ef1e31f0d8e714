//===- TestInjectInvalidIR.cpp - a pass that breaks the verifier ----------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

namespace kiln {
#define GEN_PASS_DEF_TESTINJECTINVALIDIRPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {
struct TestInjectInvalidIRPass
    : impl::TestInjectInvalidIRPassBase<TestInjectInvalidIRPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    OpBuilder b = OpBuilder::atBlockBegin(&func.getBody().front());
    // Built from an OperationState: the builders would refuse it.
    OperationState state(func.getLoc(), arith::ConstantOp::getOperationName());
    state.addAttribute("value", b.getF32FloatAttr(1.0f));
    state.addTypes(b.getI32Type());
    b.create(state);
  }
};
} // namespace
} // namespace kiln
