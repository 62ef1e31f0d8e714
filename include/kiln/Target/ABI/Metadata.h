//===- Metadata.h - how a model was built, its header and prefix -*- C++
//-*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_ABI_METADATA_H
#define KILN_TARGET_ABI_METADATA_H

#include "kiln/Target/ABI/Signature.h"

#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace kiln::abi {

/// How the model's code was produced, for reproducing a compile.
struct BuildInfo {
  std::string prefix;
  std::string compilerVersion;
  std::string compilerFlags;
  std::string targetTriple;
  std::string targetCPU;
  std::string targetFeatures;
  std::string pipeline;
  /// The CPUs of a portable object's variants, from the least demanding;
  /// empty for a single-variant build.
  std::vector<std::string> variants;
};

/// The CPUs of the code's variants: a portable object's, or the one CPU
/// of a single-variant build.
std::vector<std::string> getVariantCPUs(const BuildInfo &build);

/// The metadata JSON every compiled model returns from
/// `<prefix>_metadata_json()`.
void writeMetadataJSON(const ModelSignature &signature, const BuildInfo &build,
                       llvm::raw_ostream &os);

/// The generated C header of a compiled model.
void writeHeader(const ModelSignature &signature, const BuildInfo &build,
                 llvm::raw_ostream &os);

/// A valid C identifier prefix from a file name: lower-case, `[a-z_]`
/// first, `[a-z0-9_]` after; `m_` before one that would be reserved.
std::string getDefaultPrefix(llvm::StringRef path);

/// Whether `prefix` matches `[a-z_][a-z0-9_]*`.
bool isValidPrefix(llvm::StringRef prefix);

/// Whether `prefix` is `kiln` or starts with `kiln_`: the model's header
/// would collide with kiln_types.h.
bool isReservedPrefix(llvm::StringRef prefix);

} // namespace kiln::abi

#endif // KILN_TARGET_ABI_METADATA_H
