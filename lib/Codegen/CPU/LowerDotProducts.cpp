//===- LowerDotProducts.cpp - kiln's dot-product ops as intrinsics --------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln {
#define GEN_PASS_DEF_LOWERDOTPRODUCTSPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
struct LowerDotProductsPass
    : kiln::impl::LowerDotProductsPassBase<LowerDotProductsPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    getOperation().walk([&](kiln::DotU8S8Op op) {
      VectorType type = op.getAcc().getType();
      int64_t bits = type.getNumElements() * 32;
      rewriter.setInsertionPoint(op);
      auto call = LLVM::CallIntrinsicOp::create(
          rewriter, op.getLoc(), type,
          rewriter.getStringAttr("llvm.x86.avx512.vpdpbusd." +
                                 std::to_string(bits)),
          ValueRange{op.getAcc(), op.getA(), op.getB()});
      rewriter.replaceOp(op, call.getResults());
    });
  }
};
} // namespace
