//===- InputSlice.cpp - values rebuilt from a function's inputs -----------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "InputSlice.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/ScopeExit.h"

using namespace mlir;

namespace kiln {

FailureOr<Value> InputSliceCloner::cloneFoldResult(OpFoldResult size) {
  if (auto attr = dyn_cast<Attribute>(size)) {
    auto integer = dyn_cast<IntegerAttr>(attr);
    if (!integer)
      return failure();
    return Value(arith::ConstantIndexOp::create(builder, source.getLoc(),
                                                integer.getInt()));
  }
  return clone(cast<Value>(size));
}

FailureOr<Value> InputSliceCloner::cloneDim(Value memref, int64_t dim) {
  // Reified shapes may name the value itself again: bound the recursion.
  if (depth > kMaxDepth)
    return failure();
  ++depth;
  auto restore = llvm::make_scope_exit([&] { --depth; });
  auto type = dyn_cast<MemRefType>(memref.getType());
  if (!type || dim < 0 || dim >= type.getRank())
    return failure();
  Location loc = source.getLoc();
  if (!type.isDynamicDim(dim))
    return Value(
        arith::ConstantIndexOp::create(builder, loc, type.getDimSize(dim)));
  if (auto arg = dyn_cast<BlockArgument>(memref)) {
    FailureOr<Value> mapped = clone(arg);
    if (failed(mapped))
      return failure();
    return Value(memref::DimOp::create(builder, loc, *mapped, dim));
  }
  Operation *op = memref.getDefiningOp();
  if (auto alloc = dyn_cast<memref::AllocOp>(op))
    return clone(alloc.getDynamicSizes()[type.getDynamicDimIndex(dim)]);
  if (auto alloca = dyn_cast<memref::AllocaOp>(op))
    return clone(alloca.getDynamicSizes()[type.getDynamicDimIndex(dim)]);
  if (auto view = dyn_cast<memref::ViewOp>(op))
    return clone(view.getSizes()[type.getDynamicDimIndex(dim)]);
  if (auto cast = dyn_cast<memref::CastOp>(op))
    return cloneDim(cast.getSource(), dim);
  if (auto expand = dyn_cast<memref::ExpandShapeOp>(op))
    return cloneFoldResult(expand.getMixedOutputShape()[dim]);
  if (auto collapse = dyn_cast<memref::CollapseShapeOp>(op)) {
    Value product = arith::ConstantIndexOp::create(builder, loc, 1);
    SmallVector<ReassociationIndices> groups =
        collapse.getReassociationIndices();
    for (int64_t d : groups[dim]) {
      FailureOr<Value> size = cloneDim(collapse.getSrc(), d);
      if (failed(size))
        return failure();
      product = arith::MulIOp::create(builder, loc, product, *size);
    }
    return product;
  }
  if (auto subview = dyn_cast<memref::SubViewOp>(op)) {
    llvm::SmallBitVector dropped = subview.getDroppedDims();
    int64_t kept = -1;
    for (auto [i, size] : llvm::enumerate(subview.getMixedSizes())) {
      if (dropped.test(i))
        continue;
      if (++kept == dim)
        return cloneFoldResult(size);
    }
    return failure();
  }
  if (auto reinterpret = dyn_cast<memref::ReinterpretCastOp>(op))
    return cloneFoldResult(reinterpret.getMixedSizes()[dim]);
  if (auto reify = dyn_cast<ReifyRankedShapedTypeOpInterface>(op)) {
    OpBuilder at(op);
    ReifiedRankedShapedTypeDims shapes;
    if (failed(reify.reifyResultShapes(at, shapes)))
      return failure();
    unsigned result = cast<OpResult>(memref).getResultNumber();
    return cloneFoldResult(shapes[result][dim]);
  }
  return failure();
}

bool InputSliceCloner::isInput(Value value) {
  auto arg = dyn_cast<BlockArgument>(value);
  return arg && arg.getOwner() == &source.getBody().front() &&
         arg.getArgNumber() < numInputs;
}

bool InputSliceCloner::readsOnlyInputs(Operation *op) {
  WalkResult result = op->walk([&](Operation *nested) {
    if (nested->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
      return WalkResult::advance();
    auto effects = dyn_cast<MemoryEffectOpInterface>(nested);
    if (!effects)
      return WalkResult::interrupt();
    SmallVector<MemoryEffects::EffectInstance> instances;
    effects.getEffects(instances);
    for (const MemoryEffects::EffectInstance &effect : instances)
      if (!isa<MemoryEffects::Read>(effect.getEffect()) ||
          !isInput(effect.getValue()))
        return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return !result.wasInterrupted();
}

FailureOr<Value> InputSliceCloner::clone(Value value) {
  if (Value mapped = mapping.lookupOrNull(value))
    return mapped;
  if (depth > kMaxDepth)
    return failure();
  ++depth;
  auto restore = llvm::make_scope_exit([&] { --depth; });
  if (auto arg = dyn_cast<BlockArgument>(value)) {
    if (arg.getOwner() != &source.getBody().front() ||
        arg.getArgNumber() >= numInputs)
      return failure();
    Value result = target.getArgument(arg.getArgNumber());
    mapping.map(value, result);
    return result;
  }
  Operation *op = value.getDefiningOp();
  if (auto dim = dyn_cast<memref::DimOp>(op)) {
    std::optional<int64_t> index = dim.getConstantIndex();
    if (!index)
      return failure();
    FailureOr<Value> result = cloneDim(dim.getSource(), *index);
    if (succeeded(result))
      mapping.map(value, *result);
    return result;
  }
  // Input contents (a Reshape's shape, a Slice's starts) may be read, also
  // in loops over them; any other memory the model writes first.
  if (!readsOnlyInputs(op))
    return failure();
  for (Value operand : op->getOperands())
    if (failed(clone(operand)))
      return failure();
  llvm::SetVector<Value> captured;
  getUsedValuesDefinedAbove(op->getRegions(), captured);
  for (Value value : captured)
    if (failed(clone(value)))
      return failure();
  Operation *copy = builder.clone(*op, mapping);
  return copy->getResult(cast<OpResult>(value).getResultNumber());
}

Value createAlignUp(OpBuilder &builder, Location loc, Value value,
                    int64_t alignment) {
  Value mask = arith::ConstantIndexOp::create(builder, loc, alignment - 1);
  Value sum = arith::AddIOp::create(builder, loc, value, mask);
  Value inverted =
      arith::ConstantIndexOp::create(builder, loc, ~(alignment - 1));
  return arith::AndIOp::create(builder, loc, sum, inverted);
}

} // namespace kiln
