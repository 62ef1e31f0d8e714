//===- Weights.h - a model's weights outside LLVM's code generation -*- C++
//-*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// kiln-pack-weights leaves the weights as one byte blob, @__kiln_weights.
// Through LLVM, an object file holds three copies of it while it is written
// (the IR constant, the assembler's fragment, its layout). Instead, the blob
// leaves the module before translation (an external hidden declaration,
// `<prefix>_weights`) and goes into the object file afterwards as a section
// of its own, copied from the MLIR resource that holds it.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_CPU_WEIGHTS_H
#define KILN_TARGET_CPU_WEIGHTS_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>

namespace kiln::cpu {

/// The weight blob taken out of a module; `bytes` stay owned by the MLIR
/// resource (valid until releaseResourceData).
struct DetachedWeights {
  std::string symbol;
  llvm::ArrayRef<char> bytes;
  uint64_t alignment = 64;
};

/// The bytes of the llvm-phase module's weight blob (none without one), to
/// compare before detaching.
llvm::ArrayRef<char> getWeightBytes(mlir::ModuleOp module);

/// The weights' symbol of a model (or variant) whose functions have
/// `prefix`: `<prefix>_weights`.
std::string getWeightSymbol(llvm::StringRef prefix);

/// Makes the llvm-phase module's @__kiln_weights an external hidden
/// declaration named `symbol` and returns its bytes; none when the module
/// has no blob.
std::optional<DetachedWeights> detachWeights(mlir::ModuleOp module,
                                             llvm::StringRef symbol);

/// Adds each blob to the ELF64 little-endian relocatable object at
/// `objectPath` as a read-only section `.rodata.kiln_weights` of its own
/// (the file is rewritten once), and defines there the undefined symbol
/// the code refers to.
llvm::Error attachWeights(llvm::StringRef objectPath,
                          llvm::ArrayRef<DetachedWeights> blobs);

} // namespace kiln::cpu

#endif // KILN_TARGET_CPU_WEIGHTS_H
