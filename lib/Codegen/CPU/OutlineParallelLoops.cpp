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
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
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

  /// Moves `loop` and the band of loops perfectly nested in it into
  /// `@<prefix><N>(begin, end, captured...)`, which runs a range of their
  /// collapsed iterations, and calls it over all of them.
  void outline(scf::ForOp loop, StringRef prefix, SymbolTable &symbols,
               OpBuilder &moduleBuilder) {
    Location loc = loop.getLoc();
    SmallVector<scf::ForOp> band = getBand(loop);
    SetVector<Value> captured;
    captured.insert(loop.getLowerBound());
    captured.insert(loop.getStep());
    getUsedValuesDefinedAbove(loop.getRegion(), captured);
    SmallVector<Value> arguments = kiln::getOutlinedArguments(captured);
    func::FuncOp task = buildTask(band, (prefix + Twine(numTasks++)).str(),
                                  captured, arguments, moduleBuilder);
    symbols.insert(task);

    OpBuilder builder(loop);
    Value range = arith::SubIOp::create(builder, loc, loop.getUpperBound(),
                                        loop.getLowerBound());
    Value trips =
        arith::CeilDivSIOp::create(builder, loc, range, loop.getStep());
    for (scf::ForOp inner : llvm::drop_begin(band))
      trips = arith::MulIOp::create(
          builder, loc, trips,
          arith::ConstantIndexOp::create(builder, loc, getTrips(inner)));
    SmallVector<Value> operands = {
        arith::ConstantIndexOp::create(builder, loc, 0), trips};
    llvm::append_range(operands, arguments);
    func::CallOp::create(builder, loc, task, operands);
    loop.erase();
  }

  /// `loop`, then each marked loop with constant bounds that is the only
  /// op with memory effects in the body of the one before: their
  /// iterations collapse into one range, which splits more evenly than
  /// the outer loop's few.
  static SmallVector<scf::ForOp> getBand(scf::ForOp loop) {
    SmallVector<scf::ForOp> band = {loop};
    while (scf::ForOp inner = getNestedParallelLoop(band.back()))
      band.push_back(inner);
    return band;
  }

  static scf::ForOp getNestedParallelLoop(scf::ForOp loop) {
    scf::ForOp inner;
    for (Operation &op : loop.getBody()->without_terminator()) {
      auto nested = dyn_cast<scf::ForOp>(op);
      if (nested && !inner)
        inner = nested;
      else if (!isMemoryEffectFree(&op))
        return nullptr;
    }
    if (!inner || !inner->hasAttr(kiln::KilnDialect::kParallelAttrName) ||
        inner.getNumResults() != 0 || !inner.getStaticTripCount() ||
        !getConstantIntValue(inner.getLowerBound()) ||
        !getConstantIntValue(inner.getStep()))
      return nullptr;
    return inner;
  }

  static int64_t getTrips(scf::ForOp loop) {
    return loop.getStaticTripCount()->getSExtValue();
  }

  func::FuncOp buildTask(MutableArrayRef<scf::ForOp> band, StringRef name,
                         const SetVector<Value> &captured,
                         ArrayRef<Value> arguments, OpBuilder &moduleBuilder) {
    Location loc = band.front().getLoc();
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
    kiln::mapCapturedValues(builder, captured, arguments,
                            entry->getArguments().drop_front(2), mapping);
    Value one = arith::ConstantIndexOp::create(builder, loc, 1);
    auto iterations = scf::ForOp::create(builder, loc, entry->getArgument(0),
                                         entry->getArgument(1), one);
    builder.setInsertionPointToStart(iterations.getBody());
    mapInductionVars(builder, band, iterations.getInductionVar(), mapping);
    for (auto [i, loop] : llvm::enumerate(band))
      for (Operation &op : loop.getBody()->without_terminator())
        if (i + 1 == band.size() || &op != band[i + 1].getOperation())
          builder.clone(op, mapping);
    builder.setInsertionPointToEnd(entry);
    func::ReturnOp::create(builder, loc);
    moveScratchToStack(task);
    return task;
  }

  /// Maps each band loop's induction variable to lb + i * step, with i
  /// its digit of the collapsed iteration `flat` (the innermost fastest).
  static void mapInductionVars(OpBuilder &builder,
                               MutableArrayRef<scf::ForOp> band, Value flat,
                               IRMapping &mapping) {
    Location loc = band.front().getLoc();
    for (scf::ForOp loop : llvm::reverse(band)) {
      Value i = flat, lb, step;
      if (loop == band.front()) {
        lb = mapping.lookup(loop.getLowerBound());
        step = mapping.lookup(loop.getStep());
      } else {
        auto constant = [&](int64_t value) -> Value {
          return arith::ConstantIndexOp::create(builder, loc, value);
        };
        Value trips = constant(getTrips(loop));
        i = arith::RemUIOp::create(builder, loc, flat, trips);
        flat = arith::DivUIOp::create(builder, loc, flat, trips);
        lb = constant(*getConstantIntValue(loop.getLowerBound()));
        step = constant(*getConstantIntValue(loop.getStep()));
      }
      Value offset = arith::MulIOp::create(builder, loc, i, step);
      mapping.map(loop.getInductionVar(),
                  arith::AddIOp::create(builder, loc, lb, offset));
    }
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
