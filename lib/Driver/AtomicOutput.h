//===- AtomicOutput.h - outputs that appear whole or not at all -*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_DRIVER_ATOMICOUTPUT_H
#define KILN_LIB_DRIVER_ATOMICOUTPUT_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace kiln::driver {

/// Runs `write` on a new temporary file beside `path`, and renames it to
/// `path` once `write` succeeds: a failed or killed compile leaves `path`
/// as it was (the temporary is removed on failure and on a fatal signal).
/// "-" (stdout) is written directly.
llvm::Error
writeAtomically(llvm::StringRef path,
                llvm::function_ref<llvm::Error(llvm::StringRef)> write);

} // namespace kiln::driver

#endif // KILN_LIB_DRIVER_ATOMICOUTPUT_H
