//===- Dispatch.cpp - portable x86-64 objects with several variants -------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/CPU/Dispatch.h"
#include "EmbeddedFiles.h"
#include "kiln/Target/CPU/ModelModule.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/IR/Constants.h"
#include "llvm/Linker/Linker.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"
#include "llvm/Transforms/IPO/Internalize.h"

using namespace llvm;

namespace kiln::cpu {

namespace {
Error makeError(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), message);
}

/// The x86-64 micro-architecture levels, each with every feature it adds.
constexpr const char *kX86Levels[][2] = {
    {"x86-64-v2", "+cx16,+sahf,+popcnt,+sse3,+ssse3,+sse4.1,+sse4.2"},
    {"x86-64-v3", "+avx,+avx2,+bmi,+bmi2,+f16c,+fma,+lzcnt,+movbe,+xsave"},
    {"x86-64-v4", "+avx512f,+avx512bw,+avx512cd,+avx512dq,+avx512vl"},
};

/// `kiln_gen_num_variants` and `kiln_gen_variants`, as
/// variant_dispatch.c declares them: {name, x86_features, get_api}.
void defineVariantTable(Module &module, ArrayRef<VariantEntry> variants) {
  LLVMContext &context = module.getContext();
  auto *ptrType = PointerType::getUnqual(context);
  auto *i32 = Type::getInt32Ty(context);
  auto *entryType = StructType::get(context, {ptrType, i32, ptrType});
  auto *getAPIType = FunctionType::get(ptrType, {i32}, false);
  SmallVector<Constant *> entries;
  for (const VariantEntry &variant : variants) {
    Constant *name = ConstantDataArray::getString(context, variant.cpu);
    auto *nameGlobal =
        new GlobalVariable(module, name->getType(), true,
                           GlobalValue::PrivateLinkage, name, ".kiln.variant");
    FunctionCallee api = module.getOrInsertFunction(
        variant.prefix + "_get_model_api", getAPIType);
    entries.push_back(ConstantStruct::get(
        entryType, {nameGlobal, ConstantInt::get(i32, variant.x86Features),
                    cast<Constant>(api.getCallee())}));
  }
  auto *tableType = ArrayType::get(entryType, entries.size());
  new GlobalVariable(module, tableType, true, GlobalValue::ExternalLinkage,
                     ConstantArray::get(tableType, entries),
                     "kiln_gen_variants");
  new GlobalVariable(module, i32, true, GlobalValue::ExternalLinkage,
                     ConstantInt::get(i32, variants.size()),
                     "kiln_gen_num_variants");
}
} // namespace

std::vector<CPUTargetOptions>
getPortableVariants(const CPUTargetOptions &target) {
  std::string triple =
      target.triple.empty() ? sys::getDefaultTargetTriple() : target.triple;
  if (Triple(Triple::normalize(triple)).getArch() != Triple::x86_64)
    return {};
  std::vector<CPUTargetOptions> variants;
  std::string features;
  for (const auto &[cpu, added] : kX86Levels) {
    features += features.empty() ? added : std::string(",") + added;
    variants.push_back({triple, cpu, features, target.optLevel});
  }
  return variants;
}

std::string getVariantPrefix(StringRef prefix, StringRef cpu) {
  std::string suffix = cpu.str();
  for (char &c : suffix)
    if (c == '-')
      c = '_';
  return (prefix + "__" + suffix).str();
}

void setFunctionTarget(Module &module, const TargetMachine &machine) {
  for (Function &function : module) {
    if (function.isDeclaration())
      continue;
    function.addFnAttr("target-cpu", machine.getTargetCPU());
    function.addFnAttr("target-features", machine.getTargetFeatureString());
  }
}

Expected<std::unique_ptr<Module>>
buildDispatchModule(StringRef prefix, ArrayRef<VariantEntry> variants,
                    TargetMachine &machine, LLVMContext &context,
                    bool exportGenericAPI) {
  auto module = std::make_unique<Module>("kiln.dispatch", context);
  module->setTargetTriple(machine.getTargetTriple());
  module->setDataLayout(machine.createDataLayout());
  defineVariantTable(*module, variants);
  Expected<std::unique_ptr<Module>> dispatcher = parseBitcodeFile(
      MemoryBufferRef(getVariantDispatchBitcode(), "variant_dispatch.bc"),
      context);
  if (!dispatcher)
    return dispatcher.takeError();
  (*dispatcher)->setTargetTriple(machine.getTargetTriple());
  (*dispatcher)->setDataLayout(machine.createDataLayout());
  if (Linker::linkModules(*module, std::move(*dispatcher)))
    return makeError("cannot link the variant dispatcher");
  if (Error err = exportABI(*module, prefix, exportGenericAPI))
    return std::move(err);
  setFunctionTarget(*module, machine);
  optimizeModule(*module, machine);
  return std::move(module);
}

Error linkVariants(Module &dispatch,
                   std::vector<std::unique_ptr<Module>> variants) {
  StringSet<> exported;
  for (GlobalValue &value : dispatch.global_values())
    if (!value.isDeclaration() && !value.hasLocalLinkage())
      exported.insert(value.getName());
  for (std::unique_ptr<Module> &variant : variants)
    if (Linker::linkModules(dispatch, std::move(variant)))
      return makeError("cannot link a variant into the portable model");
  internalizeModule(dispatch, [&](const GlobalValue &value) {
    return exported.contains(value.getName());
  });
  return Error::success();
}

} // namespace kiln::cpu
