//===- OutlineKernels.cpp - one function per linalg op --------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "NoinlineFunction.h"
#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/RegionUtils.h"

namespace kiln {
#define GEN_PASS_DEF_OUTLINEKERNELSPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
/// The values `op` uses from outside itself, in first-use order.
SetVector<Value> getCapturedValues(Operation *op) {
  SetVector<Value> captured(op->operand_begin(), op->operand_end());
  for (Region &region : op->getRegions())
    getUsedValuesDefinedAbove(region, captured);
  return captured;
}

/// Builds `@name(arguments...)` running a clone of `op`; constants `op`
/// uses are cloned in, other captured values are `arguments`.
func::FuncOp buildKernel(Operation *op, StringRef name,
                         SmallVectorImpl<Value> &arguments,
                         OpBuilder &moduleBuilder) {
  SetVector<Value> captured = getCapturedValues(op);
  arguments = kiln::getOutlinedArguments(captured);
  auto type =
      FunctionType::get(op->getContext(), ValueRange(arguments).getTypes(), {});
  func::FuncOp kernel =
      kiln::createNoinlineFunction(moduleBuilder, op->getLoc(), name, type);
  Block *body = &kernel.getBody().front();
  OpBuilder builder = OpBuilder::atBlockBegin(body);
  IRMapping mapping;
  kiln::mapCapturedValues(builder, captured, arguments, body->getArguments(),
                          mapping);
  builder.clone(*op, mapping);
  func::ReturnOp::create(builder, op->getLoc());
  return kernel;
}

/// Kernels by a hash of their signature and op; identical ones are shared.
class KernelTable {
public:
  /// An existing kernel equivalent to `kernel`, or `kernel` after recording
  /// it.
  func::FuncOp unique(func::FuncOp kernel, Operation *op) {
    llvm::hash_code hash = llvm::hash_combine(
        kernel.getFunctionType(), OperationEquivalence::computeHash(
                                      op, OperationEquivalence::ignoreHashValue,
                                      OperationEquivalence::ignoreHashValue,
                                      OperationEquivalence::IgnoreLocations));
    SmallVector<func::FuncOp> &bucket = buckets[hash];
    for (func::FuncOp existing : bucket)
      if (existing.getFunctionType() == kernel.getFunctionType() &&
          OperationEquivalence::isRegionEquivalentTo(
              &existing.getBody(), &kernel.getBody(),
              OperationEquivalence::IgnoreLocations))
        return existing;
    bucket.push_back(kernel);
    return kernel;
  }

private:
  llvm::DenseMap<size_t, SmallVector<func::FuncOp>> buckets;
};

struct OutlineKernelsPass
    : kiln::impl::OutlineKernelsPassBase<OutlineKernelsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    OpBuilder moduleBuilder = OpBuilder::atBlockEnd(module.getBody());
    KernelTable table;
    for (auto func : llvm::to_vector(module.getOps<func::FuncOp>())) {
      if (func.isExternal() || func.isPrivate())
        continue;
      SmallVector<Operation *> ops;
      func.walk([&](linalg::LinalgOp op) {
        if (op.hasPureBufferSemantics())
          ops.push_back(op);
        return WalkResult::skip();
      });
      std::string prefix = (func.getName() + "_kernel").str();
      for (Operation *op : ops)
        outline(op, prefix, symbols, moduleBuilder, table);
    }
  }

  void outline(Operation *op, StringRef prefix, SymbolTable &symbols,
               OpBuilder &moduleBuilder, KernelTable &table) {
    SmallVector<Value> arguments;
    func::FuncOp kernel = buildKernel(op, (prefix + Twine(numKernels)).str(),
                                      arguments, moduleBuilder);
    func::FuncOp callee = table.unique(kernel, op);
    if (callee == kernel) {
      symbols.insert(kernel);
      ++numKernels;
    } else {
      kernel.erase();
    }
    OpBuilder builder(op);
    func::CallOp::create(builder, op->getLoc(), callee, arguments);
    op->erase();
  }

  unsigned numKernels = 0;
};
} // namespace
