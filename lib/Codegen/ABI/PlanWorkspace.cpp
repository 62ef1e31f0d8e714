//===- PlanWorkspace.cpp - static buffers into one workspace --------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Compiled models never call malloc on the hot path: every statically sized
// intermediate buffer gets a fixed offset in a workspace the caller (or the
// model's context) owns, and buffers that are never live at once share
// bytes. Dynamically sized buffers follow them at offsets computed at run
// time; the model's dims function computes the total from the inputs.
//
//===----------------------------------------------------------------------===//

#include "InputSlice.h"
#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/DataLayoutInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/STLExtras.h"

#include <map>

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

/// The placed buffers, found by live range. Short-lived buffers (most of
/// them) are indexed by start, so finding those that meet a live range
/// looks at a window of starts, not at every placed buffer; the few
/// long-lived ones are always checked.
class PlacedBuffers {
public:
  void add(Buffer *b) {
    if (b->end - b->start > kShortRange)
      longLived.push_back(b);
    else
      byStart[b->start].push_back(b);
  }

  /// The placed buffers whose live ranges meet `b`'s, by offset.
  SmallVector<Buffer *> getConflicts(const Buffer &b) const {
    SmallVector<Buffer *> conflicts;
    auto meets = [&](Buffer *p) {
      return p->start <= b.end && b.start <= p->end;
    };
    llvm::copy_if(longLived, std::back_inserter(conflicts), meets);
    for (auto it = byStart.lower_bound(b.start - kShortRange),
              end = byStart.upper_bound(b.end);
         it != end; ++it)
      llvm::copy_if(it->second, std::back_inserter(conflicts), meets);
    llvm::sort(conflicts,
               [](Buffer *x, Buffer *y) { return x->offset < y->offset; });
    return conflicts;
  }

private:
  static constexpr int64_t kShortRange = 64;
  std::map<int64_t, SmallVector<Buffer *, 1>> byStart;
  SmallVector<Buffer *> longLived;
};

/// Greedy placement, biggest buffers first: each goes at the lowest aligned
/// offset that overlaps no placed buffer whose live range meets its own.
int64_t placeBuffers(MutableArrayRef<Buffer> buffers) {
  SmallVector<Buffer *> order;
  for (Buffer &b : buffers)
    order.push_back(&b);
  llvm::stable_sort(order,
                    [](Buffer *a, Buffer *b) { return a->bytes > b->bytes; });
  PlacedBuffers placed;
  int64_t total = 0;
  for (Buffer *b : order) {
    int64_t offset = 0;
    for (Buffer *c : placed.getConflicts(*b)) {
      if (offset + b->bytes <= c->offset)
        break;
      offset = std::max(offset, alignTo(c->offset + c->bytes, b->alignment));
    }
    b->offset = offset;
    total = std::max(total, offset + b->bytes);
    placed.add(b);
  }
  return total;
}

struct PlanWorkspacePass
    : kiln::impl::PlanWorkspacePassBase<PlanWorkspacePass> {
  using PlanWorkspacePassBase::PlanWorkspacePassBase;

  void runOnOperation() override {
    if (alignment <= 0 || !llvm::isPowerOf2_64(alignment)) {
      getOperation().emitError("workspace alignment must be a power of two");
      return signalPassFailure();
    }
    SmallVector<func::FuncOp> funcs;
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (!func.isExternal() && func.isPublic() &&
          !func->hasAttr(kiln::KilnDialect::kDimsOfAttrName))
        funcs.push_back(func);
    for (func::FuncOp func : funcs)
      if (failed(plan(func)))
        return signalPassFailure();
  }

  /// The function's dims function, if it has one.
  func::FuncOp getDimsFunction(func::FuncOp func) {
    auto name = func->getAttrOfType<FlatSymbolRefAttr>(kiln::KilnDialect::kDimsFunctionAttrName);
    if (!name)
      return nullptr;
    return getOperation().lookupSymbol<func::FuncOp>(name.getValue());
  }

  LogicalResult plan(func::FuncOp func) {
    Block &body = func.getBody().front();
    DenseMap<Operation *, int64_t> index;
    for (auto [i, op] : llvm::enumerate(body))
      index[&op] = i;

    const DataLayout &layout = DataLayout::closest(func);
    unsigned numInputs = func.getNumArguments();
    func::FuncOp dimsFunc = getDimsFunction(func);
    std::optional<OpBuilder> dimsBuilder;
    std::optional<kiln::InputSliceCloner> cloner;
    if (dimsFunc) {
      dimsBuilder.emplace(dimsFunc.getBody().front().getTerminator());
      cloner.emplace(func, dimsFunc, numInputs, *dimsBuilder);
    }

    SmallVector<Buffer> buffers;
    SmallVector<memref::AllocOp> dynamicAllocs;
    SmallVector<Value> dynamicBytes; // in the dims function
    for (auto alloc : body.getOps<memref::AllocOp>()) {
      MemRefType type = alloc.getType();
      if (!type.getLayout().isIdentity() ||
          !alloc.getSymbolOperands().empty() || type.getMemorySpace())
        continue;
      std::optional<int64_t> last = getLastUse(alloc, body, index);
      if (!last)
        continue;
      int64_t elementBytes =
          layout.getTypeSize(type.getElementType()).getFixedValue();
      if (!type.hasStaticShape()) {
        // Placed only if the dims function can size it from the inputs.
        if (!cloner)
          continue;
        FailureOr<Value> bytes =
            getBytes(*cloner, *dimsBuilder, alloc, elementBytes);
        if (failed(bytes))
          continue;
        dynamicAllocs.push_back(alloc);
        dynamicBytes.push_back(*bytes);
        continue;
      }
      int64_t align = std::max<int64_t>(
          alignment, alloc.getAlignment() ? *alloc.getAlignment() : 0);
      buffers.push_back(
          {alloc, index[alloc], std::max(*last, index[alloc]),
           alignTo(std::max<int64_t>(type.getNumElements() * elementBytes, 1),
                   align),
           align});
    }
    int64_t total = alignTo(placeBuffers(buffers), alignment);

    MLIRContext *ctx = &getContext();
    auto workspaceType =
        MemRefType::get({dynamicAllocs.empty() ? total : ShapedType::kDynamic},
                        IntegerType::get(ctx, 8));
    unsigned argIndex = func.getNumArguments();
    if (failed(func.insertArgument(
            argIndex, workspaceType,
            DictionaryAttr::get(
                ctx, {NamedAttribute(StringAttr::get(ctx, kiln::KilnDialect::kWorkspaceAttrName),
                                     UnitAttr::get(ctx))}),
            func.getLoc())))
      return func.emitError("cannot add the workspace argument");
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

    // Dynamic buffers, in body order, each after the ones before it.
    Value offset;
    for (memref::AllocOp alloc : dynamicAllocs) {
      OpBuilder builder(alloc);
      Location loc = alloc.getLoc();
      if (!offset)
        offset = arith::ConstantIndexOp::create(builder, loc, total);
      int64_t elementBytes =
          layout.getTypeSize(alloc.getType().getElementType()).getFixedValue();
      Value bytes =
          getBytes(builder, alloc, alloc.getDynamicSizes(), elementBytes);
      Value view =
          memref::ViewOp::create(builder, loc, alloc.getType(), workspace,
                                 offset, alloc.getDynamicSizes());
      offset = arith::AddIOp::create(builder, loc, offset, bytes);
      alloc.replaceAllUsesWith(view);
      alloc.erase();
    }
    func->setAttr(kiln::KilnDialect::kWorkspaceBytesAttrName,
                  IntegerAttr::get(IntegerType::get(ctx, 64), total));
    if (!dimsFunc)
      return success();

    // The dims function stores the whole size at %dims[0].
    OpBuilder &builder = *dimsBuilder;
    Location loc = dimsFunc.getLoc();
    Value sum = arith::ConstantIndexOp::create(builder, loc, total);
    for (Value bytes : dynamicBytes)
      sum = arith::AddIOp::create(builder, loc, sum, bytes);
    Value value =
        arith::IndexCastOp::create(builder, loc, builder.getI64Type(), sum);
    Value zero = arith::ConstantIndexOp::create(builder, loc, 0);
    memref::StoreOp::create(builder, loc, value, dimsFunc.getArguments().back(),
                            zero);
    return success();
  }

  /// The aligned byte size of a dynamic alloc with the given sizes.
  Value getBytes(OpBuilder &builder, memref::AllocOp alloc, ValueRange sizes,
                 int64_t elementBytes) {
    Location loc = alloc.getLoc();
    MemRefType type = alloc.getType();
    int64_t staticPart = elementBytes;
    for (int64_t dim : type.getShape())
      if (!ShapedType::isDynamic(dim))
        staticPart *= dim;
    Value bytes = arith::ConstantIndexOp::create(builder, loc, staticPart);
    for (Value size : sizes)
      bytes = arith::MulIOp::create(builder, loc, bytes, size);
    return kiln::createAlignUp(builder, loc, bytes, alignment);
  }

  /// The same size computed in the dims function, or failure.
  FailureOr<Value> getBytes(kiln::InputSliceCloner &cloner, OpBuilder &builder,
                            memref::AllocOp alloc, int64_t elementBytes) {
    SmallVector<Value> sizes;
    for (Value size : alloc.getDynamicSizes()) {
      FailureOr<Value> cloned = cloner.clone(size);
      if (failed(cloned))
        return failure();
      sizes.push_back(*cloned);
    }
    return getBytes(builder, alloc, sizes, elementBytes);
  }
};

} // namespace
