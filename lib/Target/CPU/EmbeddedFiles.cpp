//===- EmbeddedFiles.cpp - files built into kilnc -------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "EmbeddedFiles.h"

#include <cstddef>

namespace kiln::cpu {
namespace embedded {
extern const unsigned char ABIRuntimeX86_64[], ABIRuntimeAArch64[],
    VariantDispatchX86_64[];
extern const std::size_t ABIRuntimeX86_64Size, ABIRuntimeAArch64Size,
    VariantDispatchX86_64Size;
} // namespace embedded

llvm::StringRef getABIRuntimeBitcode(llvm::StringRef arch) {
  using namespace embedded;
  if (arch == "x86_64")
    return {reinterpret_cast<const char *>(ABIRuntimeX86_64),
            ABIRuntimeX86_64Size};
  if (arch == "aarch64")
    return {reinterpret_cast<const char *>(ABIRuntimeAArch64),
            ABIRuntimeAArch64Size};
  return {};
}

llvm::StringRef getVariantDispatchBitcode() {
  using namespace embedded;
  return {reinterpret_cast<const char *>(VariantDispatchX86_64),
          VariantDispatchX86_64Size};
}

} // namespace kiln::cpu
