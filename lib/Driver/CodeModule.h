//===- CodeModule.h - the LLVM module a compile emits -----------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The llvm-phase MLIR of a compile as one optimised LLVM module, with the
// machine that emits it and the weights the object gets as sections: for
// one target, or for the variants of a portable object (one llvm-phase
// module each) behind the dispatcher.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_DRIVER_CODEMODULE_H
#define KILN_LIB_DRIVER_CODEMODULE_H

#include "kiln/Driver/Compile.h"
#include "kiln/Target/ABI/Metadata.h"
#include "kiln/Target/CPU/Weights.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/Module.h"

#include <memory>
#include <vector>

namespace kiln::driver {

struct CodeModule {
  std::unique_ptr<llvm::TargetMachine> machine;
  std::unique_ptr<llvm::Module> module;
  /// Detached from the MLIR (ELF binaries only), each blob once.
  std::vector<cpu::DetachedWeights> weights;
};

/// `err`, a failure of kiln's own, as an Internal compile error.
llvm::Error makeInternalError(llvm::Error err);

/// The module's `llvm.target` as a TargetMachine; `build` gets its
/// triple, CPU and features.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
getTargetMachine(const CompileOptions &options, mlir::ModuleOp module,
                 abi::BuildInfo &build);

/// The code of `variants`, the llvm-phase modules of one compile (one, or
/// a portable object's from the least demanding CPU). `build` gets the
/// target of the first.
llvm::Expected<CodeModule>
buildCodeModule(const CompileOptions &options,
                llvm::ArrayRef<mlir::ModuleOp> variants,
                const abi::ModelSignature &signature, abi::BuildInfo &build,
                llvm::LLVMContext &context, CompileReport &report);

} // namespace kiln::driver

#endif // KILN_LIB_DRIVER_CODEMODULE_H
