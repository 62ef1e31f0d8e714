//===- TargetMachine.cpp - the CPU kiln compiles for ----------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/CPU/TargetMachine.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

namespace kiln::cpu {

void initializeLLVMTargets() {
  static bool done = [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
    llvm::InitializeAllAsmParsers();
    return true;
  }();
  (void)done;
}

namespace {
llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

std::string getHostFeatures() {
  llvm::SmallVector<std::string> features;
  for (const auto &feature : llvm::sys::getHostCPUFeatures())
    features.push_back((feature.second ? "+" : "-") + feature.first().str());
  llvm::sort(features);
  return llvm::join(features, ",");
}

/// Every `+name`/`-name` in `features` must name a feature of the target.
llvm::Error checkFeatures(const llvm::MCSubtargetInfo &info,
                          llvm::StringRef features) {
  llvm::SmallVector<llvm::StringRef> parts;
  features.split(parts, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef part : parts) {
    part = part.trim();
    if (!part.consume_front("+") && !part.consume_front("-"))
      return makeError("feature '" + part +
                       "' must start with '+' or '-' (as in +avx2)");
    bool known = llvm::any_of(
        info.getAllProcessorFeatures(),
        [&](const llvm::SubtargetFeatureKV &kv) { return part == kv.Key; });
    if (!known)
      return makeError("unknown CPU feature '" + part + "' for " +
                       info.getTargetTriple().str());
  }
  return llvm::Error::success();
}
} // namespace

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(CPUTargetOptions &options) {
  initializeLLVMTargets();
  std::string host = llvm::sys::getDefaultTargetTriple();
  bool isHost =
      options.triple.empty() ||
      llvm::Triple::normalize(options.triple) == llvm::Triple::normalize(host);
  if (options.triple.empty())
    options.triple = host;
  llvm::Triple triple(llvm::Triple::normalize(options.triple));
  options.triple = triple.str();
  if (triple.getArch() == llvm::Triple::UnknownArch)
    return makeError("unknown target triple '" + options.triple + "'");
  if (triple.getArch() != llvm::Triple::x86_64 &&
      triple.getArch() != llvm::Triple::aarch64)
    return makeError("kiln generates CPU code for x86_64 and aarch64, not '" +
                     triple.getArchName() + "'");
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return makeError("unknown target triple '" + options.triple +
                     "': " + error);
  if (options.cpu == "host") {
    if (!isHost)
      return makeError("--mcpu=host needs the host's triple, not '" +
                       options.triple + "'");
    options.cpu.clear();
    if (!options.features.empty())
      options.features = getHostFeatures() + "," + options.features;
  }
  if (options.cpu.empty()) {
    options.cpu = isHost ? llvm::sys::getHostCPUName().str() : "generic";
    if (isHost && options.features.empty())
      options.features = getHostFeatures();
  }
  if (options.optLevel > 3)
    return makeError("optimisation level -O" + llvm::Twine(options.optLevel) +
                     " (expected -O0..-O3)");

  std::unique_ptr<llvm::MCSubtargetInfo> info(
      target->createMCSubtargetInfo(triple, "", ""));
  if (!info)
    return makeError("no subtarget information for '" + options.triple + "'");
  if (options.cpu != "generic" && !info->isCPUStringValid(options.cpu))
    return makeError("unknown CPU '" + options.cpu + "' for " + options.triple);
  if (llvm::Error err = checkFeatures(*info, options.features))
    return std::move(err);

  llvm::TargetOptions targetOptions;
  auto level = static_cast<llvm::CodeGenOptLevel>(options.optLevel);
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, options.cpu, options.features, targetOptions, llvm::Reloc::PIC_,
      std::nullopt, level));
  if (!machine)
    return makeError("cannot create a target machine for '" + options.triple +
                     "'");
  return machine;
}

mlir::LLVM::TargetAttr getTargetAttr(mlir::MLIRContext *context,
                                     const CPUTargetOptions &options) {
  return mlir::LLVM::TargetAttr::get(
      context, mlir::StringAttr::get(context, options.triple),
      mlir::StringAttr::get(context, options.cpu),
      mlir::LLVM::TargetFeaturesAttr::get(context, options.features));
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(mlir::LLVM::TargetAttr target, unsigned optLevel) {
  CPUTargetOptions options;
  options.triple = target.getTriple().str();
  options.cpu = target.getChip().str();
  if (mlir::LLVM::TargetFeaturesAttr features = target.getFeatures())
    options.features = features.getFeaturesString();
  options.optLevel = optLevel;
  return createTargetMachine(options);
}

} // namespace kiln::cpu
