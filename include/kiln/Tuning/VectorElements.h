//===- VectorElements.h - element types vectors handle plainly --*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TUNING_VECTORELEMENTS_H
#define KILN_TUNING_VECTORELEMENTS_H

#include "mlir/IR/BuiltinTypes.h"

namespace kiln {

/// Whether vectors of `element` load, store and compute as its scalars do:
/// f32, f64 and integers of 8 to 64 bits (i1 vectors are bit masks in
/// memory, and narrow floats are emulated one scalar at a time). The
/// policy vectorizes elementwise ops, and copies move rows as vectors,
/// only for these.
/// Whether vectors of `element` are bit-packed in memory while tensors hold
/// a byte per element: integers narrower than a byte (i1, i4). Such ops
/// are never vectorized, whatever a config says.
inline bool isSubByteInteger(mlir::Type element) {
  auto integer = llvm::dyn_cast<mlir::IntegerType>(element);
  return integer && integer.getWidth() < 8;
}

inline bool isPlainVectorElement(mlir::Type element) {
  if (auto integer = llvm::dyn_cast<mlir::IntegerType>(element))
    return !isSubByteInteger(element) && integer.getWidth() <= 64;
  return element.isF32() || element.isF64();
}

} // namespace kiln

#endif // KILN_TUNING_VECTORELEMENTS_H
