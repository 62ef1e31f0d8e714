//===- TargetInfo.h - what a pass may ask about the target ------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The target comes from the IR: the module's `llvm.target` attribute
// (`#llvm.target<triple, chip, features>`), which kilnc attaches at entry.
// TargetInfo answers what a policy needs (vector width, FMA, dot-product
// and bf16 instructions, NEON/SVE, cache sizes) from it, through one
// feature table per architecture (TargetFeatures.def). No pass reads a
// command-line flag for the target.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_INFO_TARGETINFO_H
#define KILN_TARGET_INFO_TARGETINFO_H

#include "mlir/IR/Operation.h"
#include "llvm/ADT/StringRef.h"

#include <algorithm>
#include <string>

namespace kiln {

enum class TargetArch { X86_64, AArch64, Unknown };

struct TargetInfo {
  TargetArch arch = TargetArch::X86_64;
  std::string triple = "x86_64-unknown-linux-gnu";
  std::string cpu = "generic";
  /// The widest SIMD register for floats, in bits.
  unsigned vectorBits = 128;
  /// Architectural SIMD registers (16 for AVX2, 32 for AVX-512 and NEON).
  unsigned vectorRegisters = 0;
  bool hasFMA = false;
  /// Integer dot products (x86 VNNI, AArch64 dotprod/i8mm).
  bool hasInt8Dot = false;
  /// bf16 dot products (AVX512-BF16, AArch64 bf16).
  bool hasBF16Dot = false;
  bool hasNEON = false;
  bool hasSVE = false;
  /// Per-core data cache sizes in bytes.
  unsigned l1Bytes = 32 * 1024;
  unsigned l2Bytes = 1024 * 1024;

  /// From a triple, CPU and feature string ("+avx2,+fma,-avx512f").
  static TargetInfo get(llvm::StringRef triple, llvm::StringRef cpu,
                        llvm::StringRef features);

  /// From the `llvm.target` attribute of `op`'s module (or of `op`, if it
  /// is the module); a generic x86-64 without one.
  static TargetInfo get(mlir::Operation *op);

  /// Vector lanes for an element of `bits` bits (at least 1).
  unsigned getLanes(unsigned bits) const {
    return bits ? std::max(1u, vectorBits / bits) : 1;
  }

  /// "x86_64 skylake-avx512: 512-bit vectors, fma, int8 dot".
  std::string describe() const;
};

} // namespace kiln

#endif // KILN_TARGET_INFO_TARGETINFO_H
