//===- Artifacts.h - object files, archives, shared libraries --*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_CPU_ARTIFACTS_H
#define KILN_TARGET_CPU_ARTIFACTS_H

#include "kiln/Target/CPU/ModelSignature.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

namespace kiln::cpu {

/// Object code (or assembly) for `module`, generated in-process by
/// `machine`.
llvm::Expected<llvm::SmallString<0>> emitCode(llvm::Module &module,
                                              llvm::TargetMachine &machine,
                                              llvm::CodeGenFileType type);

/// A static library (`ar` archive in the target's format) holding one
/// object file, written in-process.
llvm::Error writeStaticLibrary(llvm::StringRef path, llvm::StringRef objectName,
                               llvm::StringRef object,
                               const llvm::Triple &triple);

/// A shared library linked from one object file by the system linker
/// driver (`cc -shared`; $KILN_LINKER overrides it), against libm only.
llvm::Error linkSharedLibrary(llvm::StringRef path, llvm::StringRef object,
                              const llvm::Triple &triple);

/// The generated C header of a compiled model.
void writeHeader(const ModelSignature &signature, const BuildInfo &build,
                 llvm::raw_ostream &os);

} // namespace kiln::cpu

#endif // KILN_TARGET_CPU_ARTIFACTS_H
