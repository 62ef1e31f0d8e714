//===- LowerParallelCalls.cpp - task calls through parallel_for -----------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// kiln-outline-parallel-loops leaves `call @task(0, n, captured...)`. On the
// LLVM dialect, where every captured value is a plain LLVM value, this pass
// packs them into a struct and calls the ABI runtime's
// `kiln_rt_parallel_for(n, fn, args)` with `fn` a `kiln_task_fn` that
// unpacks them.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/SymbolTable.h"

namespace kiln {
#define GEN_PASS_DEF_LOWERPARALLELCALLSPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
/// The runtime function (model_abi.c) that runs fn(args, begin, end) over
/// [0, n), through the model's hook or by itself.
constexpr llvm::StringLiteral kRuntimeName = "kiln_rt_parallel_for";

/// The captured values of a task: its arguments after (begin, end).
Type getArgsType(LLVM::LLVMFuncOp task) {
  ArrayRef<Type> params = task.getFunctionType().getParams();
  return LLVM::LLVMStructType::getLiteral(task.getContext(),
                                          params.drop_front(2));
}

/// The address of field `i` of the struct of type `argsType` at `args`.
Value getFieldAddress(OpBuilder &builder, Location loc, Type argsType,
                      Value args, unsigned i) {
  return LLVM::GEPOp::create(
      builder, loc, LLVM::LLVMPointerType::get(builder.getContext()), argsType,
      args, ArrayRef<LLVM::GEPArg>{0, static_cast<int32_t>(i)});
}

struct LowerParallelCallsPass
    : kiln::impl::LowerParallelCallsPassBase<LowerParallelCallsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    // The calls first: the entries built below call the tasks too.
    SmallVector<LLVM::CallOp> calls;
    module.walk([&](LLVM::CallOp call) {
      if (isTask(module.lookupSymbol(call.getCalleeAttr())))
        calls.push_back(call);
    });
    llvm::StringMap<LLVM::LLVMFuncOp> entries;
    for (auto task : llvm::to_vector(module.getOps<LLVM::LLVMFuncOp>()))
      if (isTask(task))
        entries[task.getName()] = buildEntry(task);
    if (calls.empty())
      return;
    LLVM::LLVMFuncOp runtime = declareRuntime(module);
    for (LLVM::CallOp call : calls)
      lowerCall(call, entries.lookup(*call.getCallee()), runtime);
  }

  static bool isTask(Operation *func) {
    return func && func->hasAttr(kiln::KilnDialect::kParallelTaskAttrName);
  }

  /// `void <task>_entry(ptr args, i64 begin, i64 end)`: loads the captured
  /// values and calls the task.
  LLVM::LLVMFuncOp buildEntry(LLVM::LLVMFuncOp task) {
    MLIRContext *ctx = task.getContext();
    Location loc = task.getLoc();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    auto i64 = IntegerType::get(ctx, 64);
    auto type = LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx),
                                            {ptr, i64, i64});
    OpBuilder builder(task);
    builder.setInsertionPointAfter(task);
    auto entry = LLVM::LLVMFuncOp::create(builder, loc,
                                          (task.getName() + "_entry").str(),
                                          type, LLVM::Linkage::Internal);
    Block *body = entry.addEntryBlock(builder);
    builder.setInsertionPointToStart(body);
    Type argsType = getArgsType(task);
    SmallVector<Value> operands = {body->getArgument(1), body->getArgument(2)};
    for (auto [i, fieldType] :
         llvm::enumerate(task.getFunctionType().getParams().drop_front(2))) {
      Value field =
          getFieldAddress(builder, loc, argsType, body->getArgument(0), i);
      operands.push_back(LLVM::LoadOp::create(builder, loc, fieldType, field));
    }
    LLVM::CallOp::create(builder, loc, task, operands);
    LLVM::ReturnOp::create(builder, loc, ValueRange());
    return entry;
  }

  LLVM::LLVMFuncOp declareRuntime(ModuleOp module) {
    if (auto existing = module.lookupSymbol<LLVM::LLVMFuncOp>(kRuntimeName))
      return existing;
    MLIRContext *ctx = module.getContext();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    auto type = LLVM::LLVMFunctionType::get(
        LLVM::LLVMVoidType::get(ctx), {IntegerType::get(ctx, 64), ptr, ptr});
    auto builder = OpBuilder::atBlockEnd(module.getBody());
    return LLVM::LLVMFuncOp::create(builder, module.getLoc(), kRuntimeName,
                                    type);
  }

  /// `call @task(0, n, captured...)` becomes the captured values stored in
  /// a struct on the caller's stack and `kiln_rt_parallel_for(n, entry,
  /// struct)`.
  void lowerCall(LLVM::CallOp call, LLVM::LLVMFuncOp entry,
                 LLVM::LLVMFuncOp runtime) {
    MLIRContext *ctx = call.getContext();
    Location loc = call.getLoc();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    auto task = SymbolTable::lookupNearestSymbolFrom<LLVM::LLVMFuncOp>(
        call, call.getCalleeAttr());
    Type argsType = getArgsType(task);
    auto caller = call->getParentOfType<LLVM::LLVMFuncOp>();
    OpBuilder builder = OpBuilder::atBlockBegin(&caller.getBody().front());
    Value one = LLVM::ConstantOp::create(builder, loc, builder.getI64Type(),
                                         builder.getI64IntegerAttr(1));
    Value args = LLVM::AllocaOp::create(builder, loc, ptr, argsType, one);
    builder.setInsertionPoint(call);
    for (auto [i, value] :
         llvm::enumerate(call.getArgOperands().drop_front(2))) {
      LLVM::StoreOp::create(builder, loc, value,
                            getFieldAddress(builder, loc, argsType, args, i));
    }
    Value fn = LLVM::AddressOfOp::create(builder, loc, entry);
    LLVM::CallOp::create(builder, loc, runtime,
                         ValueRange{call.getArgOperands()[1], fn, args});
    call.erase();
  }
};
} // namespace
