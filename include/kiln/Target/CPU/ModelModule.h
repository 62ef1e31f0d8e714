//===- ModelModule.h - a model as one LLVM module, with its ABI -*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Turns the llvm-phase MLIR module into one LLVM module that is the whole
// compiled model: the generated code, its weights as read-only data, the
// descriptor tables and metadata, and the ABI functions (model_abi.c, linked
// from bitcode). Only `<prefix>_*` symbols stay global (and, for shared
// libraries, `kiln_get_model_api`); everything else becomes internal.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_CPU_MODELMODULE_H
#define KILN_TARGET_CPU_MODELMODULE_H

#include "kiln/Target/ABI/Metadata.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>

namespace kiln::cpu {

struct ModelModuleOptions {
  /// The name of the graph function in the llvm-phase module.
  std::string funcName = "main_graph";
  /// The exported functions' prefix, if not the model's (a portable
  /// object's variants have their own).
  std::string symbolPrefix;
  /// Also export the unprefixed `kiln_get_model_api` (shared libraries).
  bool exportGenericAPI = false;
  /// Run LLVM's optimisation pipeline at the target machine's level.
  bool optimize = true;
};

/// Builds the model's LLVM module for `machine`. Errors are kiln's own
/// failures (an entry signature or runtime it does not expect).
llvm::Expected<std::unique_ptr<llvm::Module>>
buildModelModule(mlir::ModuleOp module, const abi::ModelSignature &signature,
                 const abi::BuildInfo &build, llvm::TargetMachine &machine,
                 llvm::LLVMContext &context, const ModelModuleOptions &options);

/// Renames each ABI function `kiln_abi_<f>` of `module` to `<prefix>_<f>`
/// with default visibility and, with `exportGenericAPI`, adds the alias
/// `kiln_get_model_api`; every other definition becomes internal.
llvm::Error exportABI(llvm::Module &module, llvm::StringRef prefix,
                      bool exportGenericAPI);

/// LLVM's optimisation pipeline at the machine's level (what
/// buildModelModule runs with `optimize`).
void optimizeModule(llvm::Module &module, llvm::TargetMachine &machine);

/// Frees the bytes of every `dense_resource` constant in `module` (the
/// weights), once the LLVM module holds its own copy: `module` must not be
/// translated or printed again.
void releaseResourceData(mlir::ModuleOp module);

} // namespace kiln::cpu

#endif // KILN_TARGET_CPU_MODELMODULE_H
