//===- Dispatch.h - portable objects: variants, dispatcher -----*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// A portable object carries the model once per x86-64 level: x86-64-v2
// (SSE4.2), -v3 (AVX2, FMA) and -v4 (AVX-512). Each variant is a whole
// model module (buildModelModule) under a prefix of its own, its functions
// marked with their CPU; the dispatcher (Runtime/variant_dispatch.c) is the
// model's public API and forwards every call to the variant it chose at
// the first one. One LLVM module holds them all, so an object stays one
// file and LLVM compiles each function for its own CPU.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_CPU_DISPATCH_H
#define KILN_TARGET_CPU_DISPATCH_H

#include "kiln/Target/CPU/TargetMachine.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"

#include <memory>
#include <string>
#include <vector>

namespace kiln::cpu {

/// The targets of a portable object for `target`'s triple, from the least
/// demanding; empty when there is no portable set for it (AArch64 code is
/// built for one target). Each names its features in full, so that
/// model_info and the report say what each variant was compiled for.
std::vector<CPUTargetOptions>
getPortableVariants(const CPUTargetOptions &target);

/// A compiled variant, as the dispatcher's table lists it.
struct VariantEntry {
  std::string cpu;    // "x86-64-v3": what KILN_CPU_VARIANT names
  std::string prefix; // its functions' prefix inside the object
  uint32_t x86Features = 0;
};

/// The prefix of a variant's functions: `<prefix>__x86_64_v3`.
std::string getVariantPrefix(llvm::StringRef prefix, llvm::StringRef cpu);

/// Marks every function `module` defines with `machine`'s CPU and
/// features, so that each keeps them once linked with other variants.
void setFunctionTarget(llvm::Module &module,
                       const llvm::TargetMachine &machine);

/// The dispatcher as the model's API under `prefix`, built for `machine`
/// (the baseline CPU), with the table of `variants`, whose modules
/// linkVariants then adds.
llvm::Expected<std::unique_ptr<llvm::Module>>
buildDispatchModule(llvm::StringRef prefix,
                    llvm::ArrayRef<VariantEntry> variants,
                    llvm::TargetMachine &machine, llvm::LLVMContext &context,
                    bool exportGenericAPI);

/// Links the variants' modules into the dispatcher's; only the
/// dispatcher's exports stay global.
llvm::Error linkVariants(llvm::Module &dispatch,
                         std::vector<std::unique_ptr<llvm::Module>> variants);

} // namespace kiln::cpu

#endif // KILN_TARGET_CPU_DISPATCH_H
