//===- GlobalizeConstants.cpp - tensor constants as memref.globals --------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/SymbolTable.h"

namespace kiln {
#define GEN_PASS_DEF_GLOBALIZECONSTANTSPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
struct GlobalizeConstantsPass
    : kiln::impl::GlobalizeConstantsPassBase<GlobalizeConstantsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<arith::ConstantOp> constants;
    module.walk([&](arith::ConstantOp op) {
      if (isa<RankedTensorType>(op.getType()))
        constants.push_back(op);
    });
    OpBuilder moduleBuilder = OpBuilder::atBlockBegin(module.getBody());
    for (arith::ConstantOp op : constants)
      globalize(op, symbols, moduleBuilder);
  }

  void globalize(arith::ConstantOp op, SymbolTable &symbols,
                 OpBuilder &moduleBuilder) {
    auto type = cast<RankedTensorType>(op.getType());
    auto memrefType = MemRefType::get(type.getShape(), type.getElementType());
    auto global = memref::GlobalOp::create(
        moduleBuilder, op.getLoc(), "__constant",
        moduleBuilder.getStringAttr("private"), memrefType, op.getValue(),
        /*constant=*/true, moduleBuilder.getI64IntegerAttr(alignment));
    symbols.insert(global);
    SmallVector<OpOperand *> uses =
        llvm::map_to_vector(op->getUses(), [](OpOperand &use) { return &use; });
    for (OpOperand *use : uses) {
      OpBuilder builder(use->getOwner());
      Value buffer = memref::GetGlobalOp::create(
          builder, op.getLoc(), memrefType, global.getSymName());
      use->set(bufferization::ToTensorOp::create(builder, op.getLoc(), type,
                                                 buffer, /*restrict=*/true,
                                                 /*writable=*/false));
    }
    op.erase();
  }
};
} // namespace
