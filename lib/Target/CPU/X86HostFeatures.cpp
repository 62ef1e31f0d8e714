//===- X86HostFeatures.cpp - the x86 features a model checks at load ------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "Runtime/x86_host_features.h"
#include "kiln/Target/CPU/TargetMachine.h"

#include "llvm/MC/MCSubtargetInfo.h"

namespace kiln::cpu {

uint32_t getRequiredX86Features(const llvm::TargetMachine &machine) {
  if (machine.getTargetTriple().getArch() != llvm::Triple::x86_64)
    return 0;
  const llvm::MCSubtargetInfo *info = machine.getMCSubtargetInfo();
  uint32_t mask = 0;
#define KILN_X86_MASK(bit, name, leaf, reg, cpubit)                            \
  if (info->checkFeatures(std::string("+") + name))                            \
    mask |= 1u << bit;
  KILN_X86_FEATURES(KILN_X86_MASK)
#undef KILN_X86_MASK
  return mask;
}

} // namespace kiln::cpu
