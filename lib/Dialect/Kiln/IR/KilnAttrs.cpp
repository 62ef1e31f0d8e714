//===- KilnAttrs.cpp - kiln's decision attributes -------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/Kiln/IR/KilnDialect.h"

#include "mlir/IR/Operation.h"

using namespace mlir;

namespace kiln {

LogicalResult
LoweringConfigAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                           ArrayAttr tileSizes, DenseI64ArrayAttr vectorSizes,
                           DenseI64ArrayAttr packing, StringAttr microkernel,
                           DenseI64ArrayAttr parallelDims, StringAttr strategy,
                           ArrayAttr tileInterchange) {
  if (tileSizes) {
    for (Attribute level : tileSizes) {
      auto sizes = dyn_cast<DenseI64ArrayAttr>(level);
      if (!sizes)
        return emitError() << "tile_sizes must be a list of array<i64>";
      if (llvm::any_of(sizes.asArrayRef(), [](int64_t s) { return s < 0; }))
        return emitError() << "tile sizes must be >= 0";
    }
  }
  for (DenseI64ArrayAttr sizes : {vectorSizes, packing})
    if (sizes &&
        llvm::any_of(sizes.asArrayRef(), [](int64_t s) { return s < 1; }))
      return emitError() << "vector and packing sizes must be >= 1";
  if (strategy && strategy.getValue() != kIm2ColStrategy &&
      strategy.getValue() != kTransposedOutputStrategy)
    return emitError() << "unknown strategy '" << strategy.getValue()
                       << "' (expected '" << kIm2ColStrategy << "' or '"
                       << kTransposedOutputStrategy << "')";
  if (tileInterchange) {
    for (Attribute level : tileInterchange) {
      auto order = dyn_cast<DenseI64ArrayAttr>(level);
      if (!order)
        return emitError() << "tile_interchange must be a list of array<i64>";
      SmallVector<int64_t> sorted(order.asArrayRef());
      llvm::sort(sorted);
      for (auto [i, d] : llvm::enumerate(sorted))
        if (d != (int64_t)i)
          return emitError() << "each tile_interchange must be a permutation";
    }
  }
  return success();
}

LoweringConfigAttr LoweringConfigAttr::lookup(Operation *op) {
  return op->getAttrOfType<LoweringConfigAttr>(
      KilnDialect::kLoweringConfigAttrName);
}

bool LoweringConfigAttr::hasStrategy(Operation *op, StringRef strategy) {
  LoweringConfigAttr config = lookup(op);
  return config && config.getStrategy() &&
         config.getStrategy().getValue() == strategy;
}

unsigned LoweringConfigAttr::getNumTilingLevels() const {
  return getTileSizes() ? getTileSizes().size() : 0;
}

SmallVector<int64_t> LoweringConfigAttr::getTileSizes(unsigned level) const {
  if (level >= getNumTilingLevels())
    return {};
  return llvm::to_vector(
      cast<DenseI64ArrayAttr>(getTileSizes()[level]).asArrayRef());
}

SmallVector<int64_t>
LoweringConfigAttr::getTileInterchange(unsigned level) const {
  if (!getTileInterchange() || level >= getTileInterchange().size())
    return {};
  return llvm::to_vector(
      cast<DenseI64ArrayAttr>(getTileInterchange()[level]).asArrayRef());
}

} // namespace kiln
