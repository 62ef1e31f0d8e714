//===- StoredBytes.cpp - the bytes of a constant as stored ----------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "StoredBytes.h"

#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;

namespace kiln {

std::optional<ArrayRef<char>> getStoredBytes(Attribute value) {
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return std::nullopt;
    return blob->getData();
  }
  auto dense = dyn_cast<DenseElementsAttr>(value);
  if (!dense || dense.isSplat())
    return std::nullopt;
  return dense.getRawData();
}

} // namespace kiln
