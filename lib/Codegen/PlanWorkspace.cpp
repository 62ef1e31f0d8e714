//===- PlanWorkspace.cpp - static buffers into one workspace --------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Compiled models never call malloc on the hot path: every statically sized
// intermediate buffer gets a fixed offset in a workspace the caller (or the
// model's context) owns. Buffers that are never live at once share bytes.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/DataLayoutInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/STLExtras.h"

namespace kiln {
#define GEN_PASS_DEF_PLANWORKSPACEPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {

/// One buffer to place: its alloc, its live range in body order, its size.
struct Buffer {
  memref::AllocOp alloc;
  int64_t start, end;
  int64_t bytes, alignment;
  int64_t offset = 0;
};

int64_t alignTo(int64_t value, int64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

/// The index in `block` of the op that holds `op`, or -1.
int64_t getIndexInBlock(Operation *op, Block &block,
                        const DenseMap<Operation *, int64_t> &index) {
  Operation *ancestor = block.findAncestorOpInBlock(*op);
  if (!ancestor)
    return -1;
  return index.lookup(ancestor);
}

/// The last body index at which `value` or a memref derived from it is used;
/// nullopt when it escapes through the terminator.
std::optional<int64_t> getLastUse(Value value, Block &block,
                                  const DenseMap<Operation *, int64_t> &index) {
  int64_t last = -1;
  SmallVector<Value> worklist{value};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (Operation *user : v.getUsers()) {
      if (user->hasTrait<OpTrait::IsTerminator>() && user->getBlock() == &block)
        return std::nullopt;
      last = std::max(last, getIndexInBlock(user, block, index));
      // Anything that yields a memref may alias the buffer: follow it.
      for (Value result : user->getResults())
        if (isa<BaseMemRefType>(result.getType()))
          worklist.push_back(result);
    }
  }
  return last;
}

/// Greedy placement, biggest buffers first: each goes at the lowest aligned
/// offset that overlaps no placed buffer whose live range meets its own.
int64_t placeBuffers(MutableArrayRef<Buffer> buffers) {
  SmallVector<Buffer *> order;
  for (Buffer &b : buffers)
    order.push_back(&b);
  llvm::stable_sort(order,
                    [](Buffer *a, Buffer *b) { return a->bytes > b->bytes; });
  SmallVector<Buffer *> placed;
  int64_t total = 0;
  for (Buffer *b : order) {
    SmallVector<Buffer *> conflicts;
    for (Buffer *p : placed)
      if (p->start <= b->end && b->start <= p->end)
        conflicts.push_back(p);
    llvm::sort(conflicts,
               [](Buffer *x, Buffer *y) { return x->offset < y->offset; });
    int64_t offset = 0;
    for (Buffer *c : conflicts) {
      if (offset + b->bytes <= c->offset)
        break;
      offset = std::max(offset, alignTo(c->offset + c->bytes, b->alignment));
    }
    b->offset = offset;
    total = std::max(total, offset + b->bytes);
    placed.push_back(b);
  }
  return total;
}

struct PlanWorkspacePass
    : kiln::impl::PlanWorkspacePassBase<PlanWorkspacePass> {
  using PlanWorkspacePassBase::PlanWorkspacePassBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal() || func.isPrivate())
      return;
    if (alignment <= 0 || !llvm::isPowerOf2_64(alignment)) {
      func.emitError("workspace alignment must be a power of two");
      return signalPassFailure();
    }
    Block &body = func.getBody().front();
    DenseMap<Operation *, int64_t> index;
    for (auto [i, op] : llvm::enumerate(body))
      index[&op] = i;

    const DataLayout &layout = DataLayout::closest(func);
    SmallVector<Buffer> buffers;
    for (auto alloc : body.getOps<memref::AllocOp>()) {
      MemRefType type = alloc.getType();
      if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
          !alloc.getSymbolOperands().empty() || type.getMemorySpace())
        continue;
      std::optional<int64_t> last = getLastUse(alloc, body, index);
      if (!last)
        continue;
      int64_t elementBytes =
          layout.getTypeSize(type.getElementType()).getFixedValue();
      int64_t align = std::max<int64_t>(
          alignment, alloc.getAlignment() ? *alloc.getAlignment() : 0);
      buffers.push_back(
          {alloc, index[alloc], std::max(*last, index[alloc]),
           alignTo(std::max<int64_t>(type.getNumElements() * elementBytes, 1),
                   align),
           align});
    }
    int64_t total = placeBuffers(buffers);

    MLIRContext *ctx = &getContext();
    auto workspaceType = MemRefType::get({total}, IntegerType::get(ctx, 8));
    unsigned argIndex = func.getNumArguments();
    if (failed(func.insertArgument(
            argIndex, workspaceType,
            DictionaryAttr::get(
                ctx, {NamedAttribute(StringAttr::get(ctx, "kiln.workspace"),
                                     UnitAttr::get(ctx))}),
            func.getLoc()))) {
      func.emitError("cannot add the workspace argument");
      return signalPassFailure();
    }
    Value workspace = func.getArgument(argIndex);
    for (Buffer &b : buffers) {
      OpBuilder builder(b.alloc);
      Location loc = b.alloc.getLoc();
      Value offset = arith::ConstantIndexOp::create(builder, loc, b.offset);
      Value view = memref::ViewOp::create(builder, loc, b.alloc.getType(),
                                          workspace, offset, ValueRange());
      b.alloc.replaceAllUsesWith(view);
      b.alloc.erase();
    }
    func->setAttr(kiln::kWorkspaceBytesAttr,
                  IntegerAttr::get(IntegerType::get(ctx, 64), total));
  }
};

} // namespace
