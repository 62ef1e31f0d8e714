//===- Artifacts.h - object files, archives, shared libraries --*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_CPU_ARTIFACTS_H
#define KILN_TARGET_CPU_ARTIFACTS_H

#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

namespace kiln::cpu {

/// Writes object code (or assembly) for `module`, generated in-process by
/// `machine`, to `os` as it is produced (no copy of it is kept in memory).
llvm::Error emitCode(llvm::Module &module, llvm::TargetMachine &machine,
                     llvm::CodeGenFileType type, llvm::raw_pwrite_stream &os);

/// A static library (`ar` archive in the target's format) holding the
/// object file at `objectPath` as `objectName`, written in-process.
llvm::Error writeStaticLibrary(llvm::StringRef path, llvm::StringRef objectName,
                               llvm::StringRef objectPath,
                               const llvm::Triple &triple);

/// A shared library linked from the object file at `objectPath` by a C
/// compiler driver (`cc -shared` for the host, `<arch>-<os>-<env>-gcc` or
/// clang for another target; $KILN_LINKER overrides it), against libm
/// only, with `soname` as its SONAME.
llvm::Error linkSharedLibrary(llvm::StringRef path, llvm::StringRef objectPath,
                              const llvm::Triple &triple,
                              llvm::StringRef soname);

} // namespace kiln::cpu

#endif // KILN_TARGET_CPU_ARTIFACTS_H
