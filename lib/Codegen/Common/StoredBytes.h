//===- StoredBytes.h - the bytes of a constant as stored --------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_CODEGEN_COMMON_STOREDBYTES_H
#define KILN_LIB_CODEGEN_COMMON_STOREDBYTES_H

#include "mlir/IR/BuiltinAttributes.h"

#include <optional>

namespace kiln {

/// The bytes of a non-splat constant as the target stores them (a dense
/// attribute or a resource blob), or none for values kept as they are:
/// splats, bit-packed i1 and sub-byte types, and blobs already released.
std::optional<llvm::ArrayRef<char>> getStoredBytes(mlir::Attribute value);

} // namespace kiln

#endif // KILN_LIB_CODEGEN_COMMON_STOREDBYTES_H
