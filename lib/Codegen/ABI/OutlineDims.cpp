//===- OutlineDims.cpp - a model's output dims from its inputs ------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Callers own the outputs of a compiled model, so they must learn the
// output dims before running it. For every public function this pass builds
// a second function that computes them from the inputs alone.
//
//===----------------------------------------------------------------------===//

#include "InputSlice.h"
#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace kiln {
#define GEN_PASS_DEF_OUTLINEDIMSPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {

struct OutlineDimsPass : kiln::impl::OutlineDimsPassBase<OutlineDimsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> funcs;
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isExternal() && func.isPublic() &&
          !func->hasAttr(kiln::KilnDialect::kDimsOfAttrName) &&
          !func->hasAttr(kiln::KilnDialect::kDimsFunctionAttrName))
        funcs.push_back(func);
    for (func::FuncOp func : funcs)
      if (failed(outline(module, func)))
        return signalPassFailure();
  }

  LogicalResult outline(ModuleOp module, func::FuncOp func) {
    MLIRContext *ctx = &getContext();
    Location loc = func.getLoc();
    SmallVector<Type> argTypes(func.getArgumentTypes());
    argTypes.push_back(
        MemRefType::get({ShapedType::kDynamic}, IntegerType::get(ctx, 64)));
    OpBuilder builder(func);
    builder.setInsertionPointAfter(func);
    auto dims =
        func::FuncOp::create(builder, loc, func.getName().str() + "_dims",
                             builder.getFunctionType(argTypes, {}));
    dims->setAttr(kiln::KilnDialect::kDimsOfAttrName, FlatSymbolRefAttr::get(func));
    SymbolTable(module).insert(dims);
    func->setAttr(kiln::KilnDialect::kDimsFunctionAttrName, FlatSymbolRefAttr::get(dims));

    Block *body = dims.addEntryBlock();
    builder.setInsertionPointToStart(body);
    Value result = body->getArguments().back();
    auto store = [&](Value index, int64_t position) {
      Value value =
          arith::IndexCastOp::create(builder, loc, builder.getI64Type(), index);
      Value at = arith::ConstantIndexOp::create(builder, loc, position);
      memref::StoreOp::create(builder, loc, value, result, at);
    };
    store(arith::ConstantIndexOp::create(builder, loc, 0), 0);

    kiln::InputSliceCloner cloner(func, dims, func.getNumArguments(), builder);
    auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
    int64_t position = 1;
    for (auto [index, value] : llvm::enumerate(ret.getOperands())) {
      auto type = dyn_cast<MemRefType>(value.getType());
      if (!type)
        return func.emitError() << "result " << index << " is not a memref";
      for (int64_t d = 0; d < type.getRank(); ++d) {
        FailureOr<Value> size = cloner.cloneDim(value, d);
        if (failed(size))
          return func.emitError()
                 << "unsupported: dim " << d << " of result " << index
                 << " depends on values the model computes; kiln cannot "
                    "size it before running the model";
        store(*size, position++);
      }
    }
    // Shape requirements the lowering asserted (cf.assert) become checks
    // here: the last slot holds 0, or 1 + the index of the first one that
    // fails. Inside the graph function they are dropped, never aborting.
    SmallVector<Attribute> messages;
    Value status = arith::ConstantIndexOp::create(builder, loc, 0);
    SmallVector<cf::AssertOp> asserts;
    func.walk([&](cf::AssertOp op) { asserts.push_back(op); });
    for (cf::AssertOp op : asserts) {
      FailureOr<Value> holds = failure();
      if (op->getBlock() == &func.getBody().front())
        holds = cloner.clone(op.getArg());
      if (succeeded(holds)) {
        Value code =
            arith::ConstantIndexOp::create(builder, loc, messages.size() + 1);
        Value first = arith::CmpIOp::create(
            builder, loc, arith::CmpIPredicate::eq, status,
            arith::ConstantIndexOp::create(builder, loc, 0));
        Value failing = arith::AndIOp::create(
            builder, loc, first,
            arith::XOrIOp::create(
                builder, loc, *holds,
                arith::ConstantIntOp::create(builder, loc, 1, 1)));
        status = arith::SelectOp::create(builder, loc, failing, code, status);
        messages.push_back(op.getMsgAttr());
      }
      op.erase();
    }
    store(status, position);
    dims->setAttr(kiln::KilnDialect::kShapeChecksAttrName, ArrayAttr::get(ctx, messages));
    func::ReturnOp::create(builder, loc);
    return success();
  }
};

} // namespace
