//===- EmbeddedFiles.h - files built into kilnc ----------------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Generated at build time by cmake/EmbedFiles.cmake: the bitcode of
// Runtime/model_abi.c for each architecture.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_TARGET_CPU_EMBEDDEDFILES_H
#define KILN_LIB_TARGET_CPU_EMBEDDEDFILES_H

#include "llvm/ADT/StringRef.h"

namespace kiln::cpu {

/// The ABI runtime's bitcode for an architecture ("x86_64", "aarch64"), or
/// an empty string when kiln has none for it.
llvm::StringRef getABIRuntimeBitcode(llvm::StringRef arch);

/// Runtime/variant_dispatch.c as x86-64 bitcode.
llvm::StringRef getVariantDispatchBitcode();

} // namespace kiln::cpu

#endif // KILN_LIB_TARGET_CPU_EMBEDDEDFILES_H
