//===- ShapeFlags.h - --dim and --input-shape -------------------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_DRIVER_SHAPEFLAGS_H
#define KILN_LIB_DRIVER_SHAPEFLAGS_H

#include "kiln/Driver/Compile.h"
#include "kiln/Importer/ONNX/ONNXImporter.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringMap.h"

namespace kiln::driver {

/// Bounds of symbolic dims, by name: {min, max}.
using DimBounds = llvm::StringMap<std::pair<int64_t, int64_t>>;

/// Reads `--dim` (fixed dims into `importOptions`, ranges into `bounds`)
/// and `--input-shape` (into `importOptions`); a usage error names the flag.
llvm::Error parseShapeFlags(const CompileOptions &options,
                            importer::ImportOptions &importOptions,
                            DimBounds &bounds);

/// Checks that every `--input-shape` names a graph input of `funcName`, and
/// writes `bounds` as the module's `kiln.dim_bounds`.
llvm::Error applyShapeFlags(const CompileOptions &options,
                            mlir::ModuleOp module, const DimBounds &bounds);

} // namespace kiln::driver

#endif // KILN_LIB_DRIVER_SHAPEFLAGS_H
