//===- OutlineSegments.cpp - a long graph function as segments ------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "NoinlineFunction.h"
#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace kiln {
#define GEN_PASS_DEF_OUTLINESEGMENTSPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
/// A call to a function without results, as kiln-outline-kernels makes.
bool isKernelCall(Operation *op) {
  auto call = dyn_cast<func::CallOp>(op);
  return call && call.getNumResults() == 0;
}

/// Ops a segment recomputes instead of taking as arguments.
bool isRematerializable(Operation *op) {
  return op->getNumRegions() == 0 && isPure(op);
}

/// Builds one segment: the body clones `calls` and, on demand, the pure ops
/// that compute their operands; anything else they use is an argument.
class SegmentBuilder {
public:
  SegmentBuilder(Block *body, OpBuilder &builder)
      : body(body), builder(builder) {}

  Value get(Value value) {
    if (Value mapped = mapping.lookupOrNull(value))
      return mapped;
    Operation *def = value.getDefiningOp();
    if (def && isRematerializable(def)) {
      for (Value operand : def->getOperands())
        get(operand);
      builder.clone(*def, mapping);
      return mapping.lookup(value);
    }
    arguments.push_back(value);
    Value argument = body->addArgument(value.getType(), value.getLoc());
    mapping.map(value, argument);
    return argument;
  }

  void add(Operation *call) {
    for (Value operand : call->getOperands())
      get(operand);
    builder.clone(*call, mapping);
  }

  SmallVector<Value> arguments;

private:
  Block *body;
  OpBuilder &builder;
  IRMapping mapping;
};

struct OutlineSegmentsPass
    : kiln::impl::OutlineSegmentsPassBase<OutlineSegmentsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    for (auto func : llvm::to_vector(module.getOps<func::FuncOp>())) {
      if (func.isExternal() || func.isPrivate() ||
          !func.getBody().hasOneBlock())
        continue;
      unsigned index = 0;
      for (SmallVector<Operation *> &calls : getSegments(func))
        outline(func, calls, index++, symbols);
    }
  }

  /// Runs of at most callsPerSegment kernel calls with only pure ops
  /// between them, in body order; a run of one call stays as it is.
  SmallVector<SmallVector<Operation *>> getSegments(func::FuncOp func) {
    SmallVector<SmallVector<Operation *>> segments(1);
    for (Operation &op : func.getBody().front()) {
      if (isKernelCall(&op)) {
        if ((int64_t)segments.back().size() == callsPerSegment)
          segments.emplace_back();
        segments.back().push_back(&op);
      } else if (!isRematerializable(&op) && !segments.back().empty()) {
        segments.emplace_back();
      }
    }
    llvm::erase_if(segments, [](auto &calls) { return calls.size() < 2; });
    return segments;
  }

  void outline(func::FuncOp func, ArrayRef<Operation *> calls, unsigned index,
               SymbolTable &symbols) {
    MLIRContext *ctx = func.getContext();
    auto moduleBuilder =
        OpBuilder::atBlockEnd(func->getParentOfType<ModuleOp>().getBody());
    std::string name = (func.getName() + "_segment" + Twine(index)).str();
    func::FuncOp segment = kiln::createNoinlineFunction(
        moduleBuilder, func.getLoc(), name, FunctionType::get(ctx, {}, {}));
    Block *body = &segment.getBody().front();
    OpBuilder builder = OpBuilder::atBlockBegin(body);
    SegmentBuilder segmentBuilder(body, builder);
    for (Operation *call : calls)
      segmentBuilder.add(call);
    func::ReturnOp::create(builder, func.getLoc());
    segment.setType(FunctionType::get(ctx, body->getArgumentTypes(), {}));
    symbols.insert(segment);

    OpBuilder callBuilder(calls.front());
    func::CallOp::create(callBuilder, func.getLoc(), segment,
                         segmentBuilder.arguments);
    for (Operation *call : calls)
      call->erase();
  }
};
} // namespace
