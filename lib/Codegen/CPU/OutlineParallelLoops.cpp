//===- OutlineParallelLoops.cpp - parallel tile loops as task functions ---===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// A tile loop whose iterations write disjoint data can run on the caller's
// threads. This pass moves the outermost such loop of each nest into a
// function that runs a range of its iterations; kiln-lower-parallel-calls
// then hands that function to the model's `parallel_for` hook.
//
//===----------------------------------------------------------------------===//

#include "NoinlineFunction.h"
#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/RegionUtils.h"

namespace kiln {
#define GEN_PASS_DEF_OUTLINEPARALLELLOOPSPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
/// The bytes of the static buffers `loop`'s body allocates, or nullopt if
/// one is dynamic (a task's scratch lives on its stack).
std::optional<int64_t> getScratchBytes(scf::ForOp loop) {
  int64_t bytes = 0;
  WalkResult walk = loop.getBody()->walk([&](memref::AllocOp alloc) {
    MemRefType type = alloc.getType();
    if (!type.hasStaticShape() || !type.getElementType().isIntOrFloat())
      return WalkResult::interrupt();
    bytes += type.getNumElements() *
             llvm::divideCeil(type.getElementTypeBitWidth(), 8);
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return std::nullopt;
  return bytes;
}

/// Whether `loop` runs more than once (or an unknown number of times).
bool runsMoreThanOnce(scf::ForOp loop) {
  std::optional<APInt> trips = loop.getStaticTripCount();
  return !trips || trips->getSExtValue() > 1;
}

struct OutlineParallelLoopsPass
    : kiln::impl::OutlineParallelLoopsPassBase<OutlineParallelLoopsPass> {
  using OutlineParallelLoopsPassBase::OutlineParallelLoopsPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    OpBuilder moduleBuilder = OpBuilder::atBlockEnd(module.getBody());
    for (auto func : llvm::to_vector(module.getOps<func::FuncOp>())) {
      if (func.isExternal() || func.isPrivate())
        continue;
      std::string prefix = (func.getName() + "_task").str();
      for (scf::ForOp loop : collectLoops(func))
        outline(loop, prefix, symbols, moduleBuilder);
    }
    module.walk([](scf::ForOp loop) {
      loop->removeAttr(kiln::KilnDialect::kParallelAttrName);
    });
  }

  /// The outermost marked loops that can be tasks.
  SmallVector<scf::ForOp> collectLoops(func::FuncOp func) {
    SmallVector<scf::ForOp> loops;
    func.walk<WalkOrder::PreOrder>([&](scf::ForOp loop) {
      if (!isTask(loop))
        return WalkResult::advance();
      loops.push_back(loop);
      return WalkResult::skip();
    });
    return loops;
  }

  bool isTask(scf::ForOp loop) {
    if (!loop->hasAttr(kiln::KilnDialect::kParallelAttrName) ||
        loop.getNumResults() != 0 || !runsMoreThanOnce(loop))
      return false;
    // A shape check inside stays with the graph function's own.
    if (loop.getBody()
            ->walk([](cf::AssertOp) { return WalkResult::interrupt(); })
            .wasInterrupted())
      return false;
    std::optional<int64_t> scratch = getScratchBytes(loop);
    return scratch && *scratch <= maxScratchBytes;
  }

  /// Moves `loop` into `@<prefix><N>(begin, end, captured...)` and calls
  /// it over every iteration.
  void outline(scf::ForOp loop, StringRef prefix, SymbolTable &symbols,
               OpBuilder &moduleBuilder) {
    Location loc = loop.getLoc();
    SetVector<Value> captured;
    captured.insert(loop.getLowerBound());
    captured.insert(loop.getStep());
    getUsedValuesDefinedAbove(loop.getRegion(), captured);
    SmallVector<Value> arguments;
    for (Value value : captured)
      if (!kiln::isClonableConstant(value))
        arguments.push_back(value);
    func::FuncOp task = buildTask(loop, (prefix + Twine(numTasks++)).str(),
                                  captured, arguments, moduleBuilder);
    symbols.insert(task);

    OpBuilder builder(loop);
    Value range = arith::SubIOp::create(builder, loc, loop.getUpperBound(),
                                        loop.getLowerBound());
    Value trips =
        arith::CeilDivSIOp::create(builder, loc, range, loop.getStep());
    SmallVector<Value> operands = {
        arith::ConstantIndexOp::create(builder, loc, 0), trips};
    llvm::append_range(operands, arguments);
    func::CallOp::create(builder, loc, task, operands);
    loop.erase();
  }

  func::FuncOp buildTask(scf::ForOp loop, StringRef name,
                         const SetVector<Value> &captured,
                         ArrayRef<Value> arguments, OpBuilder &moduleBuilder) {
    Location loc = loop.getLoc();
    Type index = moduleBuilder.getIndexType();
    SmallVector<Type> types = {index, index};
    llvm::append_range(types, ValueRange(arguments).getTypes());
    func::FuncOp task = kiln::createNoinlineFunction(
        moduleBuilder, loc, name, moduleBuilder.getFunctionType(types, {}));
    task->setAttr(kiln::KilnDialect::kParallelTaskAttrName,
                  moduleBuilder.getUnitAttr());
    Block *entry = &task.getBody().front();
    OpBuilder builder = OpBuilder::atBlockBegin(entry);
    IRMapping mapping;
    mapping.map(arguments, entry->getArguments().drop_front(2));
    for (Value value : captured)
      if (kiln::isClonableConstant(value))
        mapping.map(value, builder.clone(*value.getDefiningOp())->getResult(0));
    Value one = arith::ConstantIndexOp::create(builder, loc, 1);
    auto iterations = scf::ForOp::create(builder, loc, entry->getArgument(0),
                                         entry->getArgument(1), one);
    builder.setInsertionPointToStart(iterations.getBody());
    // iv = lb + i * step
    Value offset =
        arith::MulIOp::create(builder, loc, iterations.getInductionVar(),
                              mapping.lookup(loop.getStep()));
    mapping.map(loop.getInductionVar(),
                arith::AddIOp::create(builder, loc,
                                      mapping.lookup(loop.getLowerBound()),
                                      offset));
    for (Operation &op : loop.getBody()->without_terminator())
      builder.clone(op, mapping);
    builder.setInsertionPointToEnd(entry);
    func::ReturnOp::create(builder, loc);
    moveScratchToStack(task);
    return task;
  }

  /// Each task's buffers on its own stack, allocated once at its entry.
  void moveScratchToStack(func::FuncOp task) {
    SmallVector<memref::AllocOp> allocs;
    task.walk([&](memref::AllocOp alloc) { allocs.push_back(alloc); });
    OpBuilder builder = OpBuilder::atBlockBegin(&task.getBody().front());
    for (memref::AllocOp alloc : allocs) {
      auto alloca = memref::AllocaOp::create(
          builder, alloc.getLoc(), alloc.getType(), alloc.getAlignmentAttr());
      for (Operation *user : llvm::to_vector(alloc->getUsers()))
        if (isa<memref::DeallocOp>(user))
          user->erase();
      alloc.replaceAllUsesWith(alloca.getResult());
      alloc.erase();
    }
  }

  unsigned numTasks = 0;
};
} // namespace
