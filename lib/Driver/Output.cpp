//===- Output.cpp - the artifacts of a compile ----------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "Output.h"
#include "AtomicOutput.h"
#include "CodeModule.h"
#include "kiln/Target/CPU/Artifacts.h"

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
/// Writes code for `module` to `path` as it is generated.
llvm::Error emitTo(llvm::StringRef path, llvm::Module &module,
                   llvm::TargetMachine &machine, llvm::CodeGenFileType type) {
  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> output = openOutputFile(path, &error);
  if (!output)
    return makeError(ErrorKind::Usage, error);
  if (llvm::Error err = cpu::emitCode(module, machine, type, output->os()))
    return makeInternalError(std::move(err));
  output->keep();
  return llvm::Error::success();
}

/// The object file at `path`, with the detached weights as sections of
/// their own.
llvm::Error emitObject(llvm::StringRef path, llvm::Module &module,
                       llvm::TargetMachine &machine,
                       llvm::ArrayRef<cpu::DetachedWeights> weights) {
  if (llvm::Error err =
          emitTo(path, module, machine, llvm::CodeGenFileType::ObjectFile))
    return err;
  if (weights.empty())
    return llvm::Error::success();
  if (llvm::Error err = cpu::attachWeights(path, weights))
    return makeInternalError(std::move(err));
  return llvm::Error::success();
}

/// An object file, or a library built from a temporary one (the LLVM
/// module is freed before the linker runs).
llvm::Error emitBinary(const CompileOptions &options, CodeModule code,
                       llvm::StringRef prefix, CompileReport &report) {
  std::unique_ptr<llvm::Module> &module = code.module;
  llvm::TargetMachine &machine = *code.machine;
  llvm::ArrayRef<cpu::DetachedWeights> weights = code.weights;
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

std::string getHeader(const abi::ModelSignature &signature,
                      const abi::BuildInfo &build) {
  std::string header;
  llvm::raw_string_ostream os(header);
  abi::writeHeader(signature, build, os);
  return header;
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

llvm::Error writeArtifacts(const CompileOptions &options,
                           llvm::ArrayRef<ModuleOp> variants,
                           abi::BuildInfo &build, CompileReport &report) {
  FailureOr<abi::ModelSignature> signature =
      abi::getRecordedSignature(variants.front());
  if (failed(signature))
    return makeError(ErrorKind::Usage, "");
  if (options.outputKind == OutputKind::Header) {
    if (auto machine = getTargetMachine(options, variants.front(), build);
        !machine)
      return machine.takeError();
    return writeFile(options.outputPath, getHeader(*signature, build));
  }
  llvm::LLVMContext llvmContext;
  auto code = buildCodeModule(options, variants, *signature, build, llvmContext,
                              report);
  if (!code)
    return code.takeError();
  std::string header = getHeader(*signature, build);
  if (options.outputKind == OutputKind::LLVMIR) {
    std::string text;
    llvm::raw_string_ostream os(text);
    code->module->print(os, nullptr);
    return writeFile(options.outputPath, text);
  }
  if (options.outputKind == OutputKind::Assembly)
    return writeAtomically(options.outputPath, [&](llvm::StringRef path) {
      return emitTo(path, *code->module, *code->machine,
                    llvm::CodeGenFileType::AssemblyFile);
    });
  if (options.outputPath == "-")
    return makeError(ErrorKind::Usage, "binary output needs -o <file>");
  if (llvm::Error err =
          emitBinary(options, std::move(*code), build.prefix, report))
    return err;
  return writeHeaderFile(options, header);
}

} // namespace kiln::driver
