//===- TargetMachine.h - the CPU kiln compiles for --------------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_CPU_TARGETMACHINE_H
#define KILN_TARGET_CPU_TARGETMACHINE_H

#include "mlir/Dialect/LLVMIR/LLVMAttrs.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>

namespace kiln::cpu {

/// What `--mtriple`, `--mcpu`, `--mattr` and `-O` select. Empty fields mean
/// the host: its triple, and, when the triple is the host's, its CPU and
/// features; another triple gets the "generic" CPU.
struct CPUTargetOptions {
  std::string triple;
  std::string cpu;
  std::string features; // "+avx2,-fma"
  unsigned optLevel = 2;
};

/// Registers every LLVM target this LLVM was built with (idempotent).
void initializeLLVMTargets();

/// Resolves the host defaults in `options` and creates a position
/// independent TargetMachine. An unknown triple, CPU or feature, or an
/// optimisation level above 3, is an error naming it.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(CPUTargetOptions &options);

/// The `#llvm.target<triple, chip, features>` of resolved `options`, which
/// kilnc attaches to the module as `llvm.target`.
mlir::LLVM::TargetAttr getTargetAttr(mlir::MLIRContext *context,
                                     const CPUTargetOptions &options);

/// The TargetMachine of a module's `llvm.target` attribute.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(mlir::LLVM::TargetAttr target, unsigned optLevel);

/// The bits of x86_host_features.h set for the features `machine` compiles for;
/// 0 for targets other than x86-64.
uint32_t getRequiredX86Features(const llvm::TargetMachine &machine);

} // namespace kiln::cpu

#endif // KILN_TARGET_CPU_TARGETMACHINE_H
