//===- CodeModule.cpp - the LLVM module a compile emits -------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "CodeModule.h"
#include "kiln/Target/CPU/Dispatch.h"
#include "kiln/Target/CPU/ModelModule.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

using namespace mlir;

namespace kiln::driver {

namespace {
bool isBinary(OutputKind kind) {
  return kind == OutputKind::Object || kind == OutputKind::SharedLibrary ||
         kind == OutputKind::StaticLibrary;
}

/// One target's module: its code, optimised for its machine.
class VariantBuilder {
public:
  VariantBuilder(const CompileOptions &options,
                 const abi::ModelSignature &signature,
                 llvm::LLVMContext &context, CompileReport &report)
      : options(options), signature(signature), context(context),
        report(report), detach(isBinary(options.outputKind)) {}

  /// `module`'s code, its functions under `symbolPrefix`; `build` gets
  /// its target.
  llvm::Expected<std::unique_ptr<llvm::Module>>
  build(ModuleOp module, abi::BuildInfo &build, llvm::StringRef symbolPrefix,
        bool exportGenericAPI, std::unique_ptr<llvm::TargetMachine> &machine);

  std::vector<cpu::DetachedWeights> weights;

private:
  void detachWeights(ModuleOp module, llvm::StringRef prefix);

  const CompileOptions &options;
  const abi::ModelSignature &signature;
  llvm::LLVMContext &context;
  CompileReport &report;
  bool detach;
};

/// ELF binaries get the weights from the MLIR resource, not through LLVM;
/// variants with the same bytes share one blob.
void VariantBuilder::detachWeights(ModuleOp module, llvm::StringRef prefix) {
  if (!detach)
    return;
  llvm::ArrayRef<char> bytes = cpu::getWeightBytes(module);
  for (const cpu::DetachedWeights &earlier : weights)
    if (earlier.bytes == bytes) {
      cpu::detachWeights(module, earlier.symbol);
      return;
    }
  if (std::optional<cpu::DetachedWeights> detached =
          cpu::detachWeights(module, cpu::getWeightSymbol(prefix)))
    weights.push_back(*detached);
}

llvm::Expected<std::unique_ptr<llvm::Module>>
VariantBuilder::build(ModuleOp module, abi::BuildInfo &build,
                      llvm::StringRef symbolPrefix, bool exportGenericAPI,
                      std::unique_ptr<llvm::TargetMachine> &machine) {
  auto created = getTargetMachine(options, module, build);
  if (!created)
    return created.takeError();
  machine = std::move(*created);
  if (detach && !machine->getTargetTriple().isOSBinFormatELF())
    detach = false;
  detachWeights(module, symbolPrefix);
  cpu::ModelModuleOptions moduleOptions;
  moduleOptions.funcName = options.funcName;
  moduleOptions.symbolPrefix = symbolPrefix.str();
  moduleOptions.exportGenericAPI = exportGenericAPI;
  moduleOptions.optimize = false;
  std::optional<CompileReport::Step> step(std::in_place, report,
                                          "llvm-translate");
  auto llvmModule = cpu::buildModelModule(module, signature, build, *machine,
                                          context, moduleOptions);
  if (!llvmModule)
    return makeInternalError(llvmModule.takeError());
  step.emplace(report, "llvm-optimize");
  cpu::setFunctionTarget(**llvmModule, *machine);
  cpu::optimizeModule(**llvmModule, *machine);
  return llvmModule;
}

/// One target's code, under the model's prefix.
llvm::Expected<CodeModule> buildSingle(VariantBuilder &builder, ModuleOp module,
                                       abi::BuildInfo &build,
                                       bool exportGenericAPI) {
  CodeModule code;
  auto llvmModule = builder.build(module, build, build.prefix, exportGenericAPI,
                                  code.machine);
  if (!llvmModule)
    return llvmModule.takeError();
  code.module = std::move(*llvmModule);
  return code;
}

std::string getTargetCPU(ModuleOp module) {
  return module
      ->getAttrOfType<LLVM::TargetAttr>(LLVM::LLVMDialect::getTargetAttrName())
      .getChip()
      .str();
}

/// A portable object's variants so far, and the machine of the first (the
/// baseline CPU), which compiles the whole.
struct PortableParts {
  std::vector<std::unique_ptr<llvm::Module>> modules;
  std::vector<cpu::VariantEntry> entries;
  std::unique_ptr<llvm::TargetMachine> baseline;
};

/// Adds `variant`'s code, under a prefix of its own, and its table entry;
/// the first one's target becomes `build`'s.
llvm::Error addVariant(VariantBuilder &builder, ModuleOp variant,
                       abi::BuildInfo &build, PortableParts &parts,
                       CompileReport &report) {
  abi::BuildInfo variantBuild = build;
  std::string cpu = getTargetCPU(variant);
  std::string prefix = cpu::getVariantPrefix(build.prefix, cpu);
  std::unique_ptr<llvm::TargetMachine> machine;
  report.setVariant(cpu);
  auto module = builder.build(variant, variantBuild, prefix, false, machine);
  report.setVariant("");
  if (!module)
    return module.takeError();
  parts.modules.push_back(std::move(*module));
  parts.entries.push_back({cpu, prefix, cpu::getRequiredX86Features(*machine)});
  if (parts.baseline)
    return llvm::Error::success();
  build.targetTriple = variantBuild.targetTriple;
  build.targetCPU = variantBuild.targetCPU;
  build.targetFeatures = variantBuild.targetFeatures;
  parts.baseline = std::move(machine);
  return llvm::Error::success();
}

/// The variants behind the dispatcher, in one module.
llvm::Expected<CodeModule>
buildPortable(VariantBuilder &builder, llvm::ArrayRef<ModuleOp> variants,
              abi::BuildInfo &build, bool exportGenericAPI,
              llvm::LLVMContext &context, CompileReport &report) {
  PortableParts parts;
  for (ModuleOp variant : variants)
    if (llvm::Error err = addVariant(builder, variant, build, parts, report))
      return std::move(err);
  auto dispatch = cpu::buildDispatchModule(
      build.prefix, parts.entries, *parts.baseline, context, exportGenericAPI);
  if (!dispatch)
    return makeInternalError(dispatch.takeError());
  if (llvm::Error err = cpu::linkVariants(**dispatch, std::move(parts.modules)))
    return makeInternalError(std::move(err));
  CodeModule code;
  code.machine = std::move(parts.baseline);
  code.module = std::move(*dispatch);
  return code;
}
} // namespace

llvm::Error makeInternalError(llvm::Error err) {
  return makeError(ErrorKind::Internal,
                   "internal error: " + llvm::toString(std::move(err)));
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
getTargetMachine(const CompileOptions &options, ModuleOp module,
                 abi::BuildInfo &build) {
  auto target = module->getAttrOfType<LLVM::TargetAttr>(
      LLVM::LLVMDialect::getTargetAttrName());
  if (!target)
    return makeError(ErrorKind::Internal,
                     "internal error: the module has no llvm.target");
  auto machine = cpu::createTargetMachine(target, options.target.optLevel);
  if (!machine)
    return makeError(ErrorKind::Usage, llvm::toString(machine.takeError()));
  build.targetTriple = target.getTriple().str();
  build.targetCPU = target.getChip().str();
  if (LLVM::TargetFeaturesAttr features = target.getFeatures())
    build.targetFeatures = features.getFeaturesString();
  return machine;
}

llvm::Expected<CodeModule> buildCodeModule(const CompileOptions &options,
                                           llvm::ArrayRef<ModuleOp> variants,
                                           const abi::ModelSignature &signature,
                                           abi::BuildInfo &build,
                                           llvm::LLVMContext &context,
                                           CompileReport &report) {
  VariantBuilder builder(options, signature, context, report);
  bool exportGenericAPI = options.outputKind == OutputKind::SharedLibrary;
  llvm::Expected<CodeModule> code =
      variants.size() == 1
          ? buildSingle(builder, variants[0], build, exportGenericAPI)
          : buildPortable(builder, variants, build, exportGenericAPI, context,
                          report);
  if (!code)
    return code.takeError();
  code->weights = std::move(builder.weights);
  // The LLVM module has its own copy of the weights, or they were detached
  // and stay until the object has them.
  if (code->weights.empty())
    for (ModuleOp variant : variants)
      cpu::releaseResourceData(variant);
  return code;
}

} // namespace kiln::driver
