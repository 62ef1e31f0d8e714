//===- Output.h - the artifacts of a compile --------------------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_DRIVER_OUTPUT_H
#define KILN_LIB_DRIVER_OUTPUT_H

#include "kiln/Driver/Compile.h"
#include "kiln/Target/ABI/Metadata.h"

#include "mlir/IR/BuiltinOps.h"

namespace kiln::driver {

/// Writes `contents` to `path` ("-": stdout).
llvm::Error writeFile(llvm::StringRef path, llvm::StringRef contents);

/// Writes what `options.outputKind` asks for (but MLIR) from llvm-phase
/// IR: the signature, the target and the pipeline all come from the
/// modules and `build`. One module, or a portable object's variants.
llvm::Error writeArtifacts(const CompileOptions &options,
                           llvm::ArrayRef<mlir::ModuleOp> variants,
                           abi::BuildInfo &build, CompileReport &report);

} // namespace kiln::driver

#endif // KILN_LIB_DRIVER_OUTPUT_H
