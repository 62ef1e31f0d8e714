//===- Output.cpp - the artifacts of a compile ----------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "Output.h"
#include "AtomicOutput.h"
#include "kiln/Target/CPU/Artifacts.h"
#include "kiln/Target/CPU/ModelModule.h"
#include "kiln/Target/CPU/Weights.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;

namespace kiln::driver {

namespace {
llvm::Error internal(llvm::Error err) {
  return makeError(ErrorKind::Internal,
                   "internal error: " + llvm::toString(std::move(err)));
}

bool isBinary(OutputKind kind) {
  return kind == OutputKind::Object || kind == OutputKind::SharedLibrary ||
         kind == OutputKind::StaticLibrary;
}

/// Writes code for `module` to `path` as it is generated.
llvm::Error emitTo(llvm::StringRef path, llvm::Module &module,
                   llvm::TargetMachine &machine, llvm::CodeGenFileType type) {
  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> output = openOutputFile(path, &error);
  if (!output)
    return makeError(ErrorKind::Usage, error);
  if (llvm::Error err = cpu::emitCode(module, machine, type, output->os()))
    return internal(std::move(err));
  output->keep();
  return llvm::Error::success();
}

/// The object file at `path`, with the weights, if detached, as a section
/// of their own.
llvm::Error emitObject(llvm::StringRef path, llvm::Module &module,
                       llvm::TargetMachine &machine,
                       const std::optional<cpu::DetachedWeights> &weights) {
  if (llvm::Error err =
          emitTo(path, module, machine, llvm::CodeGenFileType::ObjectFile))
    return err;
  if (!weights)
    return llvm::Error::success();
  if (llvm::Error err = cpu::attachWeights(path, *weights))
    return internal(std::move(err));
  return llvm::Error::success();
}

/// An object file, or a library built from a temporary one (the LLVM
/// module is freed before the linker runs).
llvm::Error emitBinary(const CompileOptions &options,
                       std::unique_ptr<llvm::Module> module,
                       llvm::TargetMachine &machine, llvm::StringRef prefix,
                       const std::optional<cpu::DetachedWeights> &weights,
                       CompileReport &report) {
  std::optional<CompileReport::Step> step(std::in_place, report, "object");
  if (options.outputKind == OutputKind::Object)
    return writeAtomically(options.outputPath, [&](llvm::StringRef path) {
      return emitObject(path, *module, machine, weights);
    });
  llvm::SmallString<128> objectPath;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("kiln-model", "o", objectPath))
    return makeError(ErrorKind::Usage,
                     "cannot create a temporary file: " + ec.message());
  llvm::FileRemover remover(objectPath);
  if (llvm::Error err = emitObject(objectPath, *module, machine, weights))
    return err;
  module.reset();
  step.emplace(report, "link");
  // A shared library's SONAME is its file's name, so a program linked
  // against it finds it by that name at run time.
  llvm::StringRef soname = llvm::sys::path::filename(options.outputPath);
  return writeAtomically(
      options.outputPath, [&](llvm::StringRef path) -> llvm::Error {
        llvm::Error err =
            options.outputKind == OutputKind::StaticLibrary
                ? cpu::writeStaticLibrary(path, (prefix + ".o").str(),
                                          objectPath, machine.getTargetTriple())
                : cpu::linkSharedLibrary(path, objectPath,
                                         machine.getTargetTriple(), soname);
        if (err)
          return makeError(ErrorKind::Usage, llvm::toString(std::move(err)));
        return llvm::Error::success();
      });
}

/// The header beside the output, named by its stem: `model.o` gives
/// `model.h`, and a library `libdigits.a` or `libdigits.so` gives `digits.h`
/// (what `#include` names for `-ldigits`).
llvm::SmallString<128> getDefaultHeaderPath(llvm::StringRef outputPath,
                                            OutputKind kind) {
  llvm::StringRef stem = llvm::sys::path::stem(outputPath);
  bool library =
      kind == OutputKind::StaticLibrary || kind == OutputKind::SharedLibrary;
  if (library && stem.size() > 3 && stem.starts_with("lib"))
    stem = stem.drop_front(3);
  llvm::SmallString<128> path(llvm::sys::path::parent_path(outputPath));
  llvm::sys::path::append(path, stem + ".h");
  return path;
}

llvm::Error writeHeaderFile(const CompileOptions &options,
                            llvm::StringRef header) {
  if (options.headerPath == "none")
    return llvm::Error::success();
  llvm::SmallString<128> path(options.headerPath);
  if (path.empty())
    path = getDefaultHeaderPath(options.outputPath, options.outputKind);
  return writeFile(path, header);
}

/// The module's `llvm.target`, with its TargetMachine; `build` gets its
/// triple, CPU and features.
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
} // namespace

llvm::Error writeFile(llvm::StringRef path, llvm::StringRef contents) {
  return writeAtomically(path, [&](llvm::StringRef temp) -> llvm::Error {
    std::string error;
    std::unique_ptr<llvm::ToolOutputFile> output = openOutputFile(temp, &error);
    if (!output)
      return makeError(ErrorKind::Usage, error);
    output->os() << contents;
    output->keep();
    return llvm::Error::success();
  });
}

llvm::Error writeArtifacts(const CompileOptions &options, ModuleOp module,
                           abi::BuildInfo &build, CompileReport &report) {
  FailureOr<abi::ModelSignature> signature = abi::getRecordedSignature(module);
  if (failed(signature))
    return makeError(ErrorKind::Usage, "");
  auto machine = getTargetMachine(options, module, build);
  if (!machine)
    return machine.takeError();
  std::string header;
  llvm::raw_string_ostream headerStream(header);
  abi::writeHeader(*signature, build, headerStream);
  if (options.outputKind == OutputKind::Header)
    return writeFile(options.outputPath, header);

  // ELF binaries get the weights from the MLIR resource, not through LLVM.
  std::optional<cpu::DetachedWeights> weights;
  if (isBinary(options.outputKind) &&
      (*machine)->getTargetTriple().isOSBinFormatELF())
    weights = cpu::detachWeights(module, build.prefix);
  llvm::LLVMContext llvmContext;
  cpu::ModelModuleOptions moduleOptions;
  moduleOptions.funcName = options.funcName;
  moduleOptions.exportGenericAPI =
      options.outputKind == OutputKind::SharedLibrary;
  moduleOptions.optimize = false;
  std::optional<CompileReport::Step> step(std::in_place, report,
                                          "llvm-translate");
  auto llvmModule = cpu::buildModelModule(module, *signature, build, **machine,
                                          llvmContext, moduleOptions);
  if (!llvmModule)
    return internal(llvmModule.takeError());
  step.emplace(report, "llvm-optimize");
  cpu::optimizeModule(**llvmModule, **machine);
  step.reset();
  // The LLVM module has its own copy of the weights, or they were detached
  // and stay until the object has them.
  if (!weights)
    cpu::releaseResourceData(module);

  if (options.outputKind == OutputKind::LLVMIR) {
    std::string text;
    llvm::raw_string_ostream os(text);
    (*llvmModule)->print(os, nullptr);
    return writeFile(options.outputPath, text);
  }
  if (options.outputKind == OutputKind::Assembly)
    return writeAtomically(options.outputPath, [&](llvm::StringRef path) {
      return emitTo(path, **llvmModule, **machine,
                    llvm::CodeGenFileType::AssemblyFile);
    });
  if (options.outputPath == "-")
    return makeError(ErrorKind::Usage, "binary output needs -o <file>");
  if (llvm::Error err = emitBinary(options, std::move(*llvmModule), **machine,
                                   build.prefix, weights, report))
    return err;
  return writeHeaderFile(options, header);
}

} // namespace kiln::driver
