//===- FoldConstantLayouts.h - constants in a new layout --------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_CODEGEN_COMMON_FOLDCONSTANTLAYOUTS_H
#define KILN_LIB_CODEGEN_COMMON_FOLDCONSTANTLAYOUTS_H

#include "mlir/IR/PatternMatch.h"

namespace kiln {

/// Patterns that evaluate, at compile time, a `linalg.pack` that needs no
/// padding and a `linalg.transpose` of a constant: the constant in its new
/// layout, as a resource blob (weights are megabytes).
void populateFoldConstantLayoutPatterns(mlir::RewritePatternSet &patterns);

/// The `linalg.transpose` pattern alone.
void populateFoldConstantTransposePatterns(mlir::RewritePatternSet &patterns);

} // namespace kiln

#endif // KILN_LIB_CODEGEN_COMMON_FOLDCONSTANTLAYOUTS_H
