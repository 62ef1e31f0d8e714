//===- TargetInfo.cpp - what a pass may ask about the target --------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/Info/TargetInfo.h"

#include "mlir/Dialect/LLVMIR/LLVMAttrs.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/TargetParser/Triple.h"
#include "llvm/TargetParser/X86TargetParser.h"

using namespace mlir;

namespace kiln {

namespace {
/// The features `features` turns on ("+a,-b,+c": a and c) over those of
/// the CPU (an x86-64 CPU's, from LLVM's table: `x86-64-v4` has avx512f);
/// the baseline features of the architecture are on unless turned off.
llvm::StringSet<> getEnabledFeatures(TargetArch arch, llvm::StringRef cpu,
                                     llvm::StringRef features) {
  llvm::StringSet<> enabled;
  if (arch == TargetArch::X86_64) {
    enabled.insert("sse2");
    llvm::SmallVector<llvm::StringRef> listed;
    if (llvm::X86::parseArchX86(cpu, /*Only64Bit=*/true) != llvm::X86::CK_None)
      llvm::X86::getFeaturesForCPU(cpu, listed, /*NeedPlus=*/false);
    // The table lists avx512vl; avx512f comes with it. (What a feature
    // implies does not include the feature: avx512vnni implies nothing.)
    llvm::StringMap<bool> implied;
    for (llvm::StringRef feature : listed) {
      enabled.insert(feature);
      llvm::X86::updateImpliedFeatures(feature, true, implied);
    }
    for (const auto &[feature, on] : implied)
      if (on)
        enabled.insert(feature);
  }
  if (arch == TargetArch::AArch64)
    enabled.insert("neon");
  llvm::SmallVector<llvm::StringRef> parts;
  features.split(parts, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef part : parts) {
    part = part.trim();
    if (part.consume_front("+"))
      enabled.insert(part);
    else if (part.consume_front("-"))
      enabled.erase(part);
  }
  return enabled;
}

void setField(unsigned &field, unsigned value) {
  field = std::max(field, value);
}
void setField(bool &field, bool value) { field = value; }
} // namespace

TargetInfo TargetInfo::get(llvm::StringRef triple, llvm::StringRef cpu,
                           llvm::StringRef features) {
  TargetInfo info;
  llvm::Triple parsed(llvm::Triple::normalize(triple));
  info.triple = parsed.str();
  info.cpu = cpu.empty() ? "generic" : cpu.str();
  info.arch = parsed.getArch() == llvm::Triple::x86_64    ? TargetArch::X86_64
              : parsed.getArch() == llvm::Triple::aarch64 ? TargetArch::AArch64
                                                          : TargetArch::Unknown;
  info.vectorBits = info.arch == TargetArch::Unknown ? 64 : 0;
  info.vectorRegisters = info.arch == TargetArch::Unknown ? 8 : 0;
  if (info.arch == TargetArch::AArch64)
    info.l1Bytes = 64 * 1024;
  llvm::StringSet<> enabled = getEnabledFeatures(info.arch, info.cpu, features);
#define KILN_FEATURE(ARCH, NAME, FIELD, VALUE)                                 \
  if (info.arch == TargetArch::ARCH && enabled.contains(NAME))                 \
    setField(info.FIELD, VALUE);
#include "TargetFeatures.def"
  return info;
}

TargetInfo TargetInfo::get(Operation *op) {
  auto module = dyn_cast<ModuleOp>(op);
  if (!module)
    module = op->getParentOfType<ModuleOp>();
  auto target = module ? module->getAttrOfType<LLVM::TargetAttr>(
                             LLVM::LLVMDialect::getTargetAttrName())
                       : nullptr;
  if (!target)
    return get("x86_64-unknown-linux-gnu", "generic", "");
  std::string features;
  if (LLVM::TargetFeaturesAttr attr = target.getFeatures())
    features = attr.getFeaturesString();
  return get(target.getTriple().getValue(), target.getChip().getValue(),
             features);
}

std::string TargetInfo::describe() const {
  std::string text = triple + " " + cpu + ": " +
                     std::to_string(vectorRegisters) + " " +
                     std::to_string(vectorBits) + "-bit vector registers";
  if (hasFMA)
    text += ", fma";
  if (hasInt8Dot)
    text += ", int8 dot";
  if (hasBF16Dot)
    text += ", bf16 dot";
  if (hasSVE)
    text += ", sve";
  return text;
}

} // namespace kiln
