//===- kilnc.cpp - the kiln compiler driver -------------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// kilnc model.onnx -o model.o        object file + model.h
// kilnc model.onnx -o libm.so        shared library (+ libm.h)
// kilnc model.onnx --emit=mlir --compile-to=<phase>
//
// Exit codes: 0 success; 1 usage or I/O error; 2 invalid model;
// 3 unsupported feature; 4 internal error (a kiln bug).
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"
#include "kiln/Importer/ONNX/ONNXImporter.h"
#include "kiln/Pipelines/PassFailure.h"
#include "kiln/Pipelines/Pipelines.h"
#include "kiln/Pipelines/Registration.h"
#include "kiln/Target/CPU/Artifacts.h"
#include "kiln/Target/CPU/ModelModule.h"
#include "kiln/Target/CPU/ModelSignature.h"
#include "kiln/Target/CPU/TargetMachine.h"
#include "kiln/Target/CPU/Weights.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
namespace cl = llvm::cl;

namespace {
enum ExitCode {
  Ok = 0,
  UsageOrIO = 1,
  InvalidModel = 2,
  Unsupported = 3,
  Internal = 4
};
enum class Emit { Default, MLIR, LLVM, Asm, Obj, Lib, StaticLib, Header };

constexpr const char *kVersion = "0.3.0";

cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.onnx>"),
                               cl::Required);
cl::opt<std::string> outputFile("o", cl::desc("Output file"),
                                cl::value_desc("file"), cl::init("-"));
cl::opt<Emit> emit(
    "emit",
    cl::desc("What to write (default: from -o's extension: .o obj, .so lib, "
             ".a staticlib, .h header, .ll llvm, .s asm; else mlir)"),
    cl::init(Emit::Default),
    cl::values(
        clEnumValN(Emit::MLIR, "mlir", "MLIR after --compile-to's phase"),
        clEnumValN(Emit::LLVM, "llvm", "LLVM IR of the whole model"),
        clEnumValN(Emit::Asm, "asm", "Assembly"),
        clEnumValN(Emit::Obj, "obj", "An object file (and its C header)"),
        clEnumValN(Emit::Lib, "lib", "A shared library (and its C header)"),
        clEnumValN(Emit::StaticLib, "staticlib",
                   "A static library (and its C header)"),
        clEnumValN(Emit::Header, "header", "The C header only")));
cl::opt<std::string> compileTo(
    "compile-to",
    cl::desc("With --emit=mlir, stop after this phase: import, graph, "
             "linalg, bufferize, llvm"),
    cl::init("graph"));
cl::opt<bool>
    checkOnly("check",
              cl::desc("Report everything unsupported or invalid in the model, "
                       "then a summary; write no output. Runs every phase "
                       "(to --compile-to, if given), so a model it calls ok "
                       "compiles"));
cl::opt<std::string> funcName("func-name",
                              cl::desc("Name of the graph's function"),
                              cl::init("main_graph"));
cl::opt<std::string> prefix(
    "prefix",
    cl::desc("Prefix of every exported symbol, [a-z_][a-z0-9_]* (default: "
             "from the model's file name)"));
cl::opt<std::string>
    headerFile("header",
               cl::desc("Where the C header goes with --emit=obj/lib/staticlib "
                        "(default: the output with .h; 'none' for no header)"));
cl::opt<std::string> mtriple("mtriple",
                             cl::desc("Target triple (default: the host)"));
cl::opt<std::string>
    mcpu("mcpu", cl::desc("Target CPU (default: the host's, for the host "
                          "triple; else generic)"));
cl::opt<std::string> mattr("mattr", cl::desc("Target features, as +avx2,-fma"));
cl::opt<unsigned> optLevel("O", cl::desc("Optimisation level 0..3"), cl::Prefix,
                           cl::init(2));
cl::list<std::string>
    dimBounds("dim",
              cl::desc("Bound a symbolic input dim: NAME=MIN..MAX (run "
                       "rejects other values); NAME=N or N..N makes it "
                       "static"),
              cl::value_desc("NAME=MIN..MAX"));
cl::list<std::string>
    inputShapes("input-shape",
                cl::desc("Pin a graph input's shape: NAME=1x3x224x224"),
                cl::value_desc("NAME=DxDx..."));
cl::opt<bool> forceDynamic(
    "force-dynamic",
    cl::desc("Make every graph-input dim dynamic and ignore the declared "
             "output and value_info shapes (for testing dynamic code)"));

enum class Fault { None, InvalidIR };
cl::opt<Fault> injectFault(
    "inject-fault", cl::Hidden, cl::init(Fault::None),
    cl::desc("Testing only: break the compile on purpose"),
    cl::values(clEnumValN(Fault::InvalidIR, "invalid-ir",
                          "leave IR that fails to verify after the linalg "
                          "phase (an internal error)")));

/// The ONNX node a location names, if any.
std::string getNodeName(Location loc) {
  std::string name;
  loc->walk([&](Location l) {
    if (auto n = dyn_cast<NameLoc>(l)) {
      name = n.getName().str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return name;
}

/// Prints `file: error: node 'x': message`, one line per diagnostic.
/// Whether an error so far said "unsupported: ...": a phase that fails
/// after one exits with Unsupported, not Internal.
bool sawUnsupported = false;

LogicalResult printDiagnostic(Diagnostic &diag) {
  std::string message = diag.str();
  if (diag.getSeverity() == DiagnosticSeverity::Error &&
      llvm::StringRef(message).starts_with("unsupported: "))
    sawUnsupported = true;
  std::string node = getNodeName(diag.getLocation());
  llvm::errs() << inputFile << ": ";
  switch (diag.getSeverity()) {
  case DiagnosticSeverity::Error:
    llvm::errs() << "error: ";
    break;
  case DiagnosticSeverity::Warning:
    llvm::errs() << "warning: ";
    break;
  case DiagnosticSeverity::Note:
    llvm::errs() << "note: ";
    break;
  case DiagnosticSeverity::Remark:
    llvm::errs() << "remark: ";
    break;
  }
  if (!node.empty() && message.find("'" + node + "'") == std::string::npos)
    llvm::errs() << "node '" << node << "': ";
  llvm::errs() << message << "\n";
  for (Diagnostic &note : diag.getNotes())
    llvm::errs() << "  note: " << note.str() << "\n";
  return success();
}

Emit getEmitKind() {
  if (emit != Emit::Default)
    return emit;
  if (compileTo.getNumOccurrences())
    return Emit::MLIR;
  return llvm::StringSwitch<Emit>(llvm::sys::path::extension(outputFile))
      .Case(".o", Emit::Obj)
      .Case(".so", Emit::Lib)
      .Case(".a", Emit::StaticLib)
      .Case(".h", Emit::Header)
      .Case(".ll", Emit::LLVM)
      .Case(".s", Emit::Asm)
      .Default(Emit::MLIR);
}

int fail(const llvm::Twine &message, int code) {
  llvm::errs() << "kilnc: " << message << "\n";
  return code;
}

bool writeFile(llvm::StringRef path, llvm::StringRef contents) {
  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> output = openOutputFile(path, &error);
  if (!output) {
    fail(error, UsageOrIO);
    return false;
  }
  output->os() << contents;
  output->keep();
  return true;
}

/// Writes the code of `module` to `path` as it is generated: an object file
/// or assembly.
int emitTo(llvm::StringRef path, llvm::Module &module,
           llvm::TargetMachine &machine, llvm::CodeGenFileType type) {
  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> output = openOutputFile(path, &error);
  if (!output)
    return fail(error, UsageOrIO);
  if (llvm::Error err =
          kiln::cpu::emitCode(module, machine, type, output->os()))
    return fail("internal error: " + llvm::toString(std::move(err)), Internal);
  output->keep();
  return Ok;
}

/// Writes the object file at `path`, with the weights, if any, as a section
/// of their own.
int emitObject(llvm::StringRef path, llvm::Module &module,
               llvm::TargetMachine &machine,
               const std::optional<kiln::cpu::DetachedWeights> &weights) {
  if (int rc = emitTo(path, module, machine, llvm::CodeGenFileType::ObjectFile))
    return rc;
  if (!weights)
    return Ok;
  if (llvm::Error err = kiln::cpu::attachWeights(path, *weights))
    return fail("internal error: " + llvm::toString(std::move(err)), Internal);
  return Ok;
}

/// Writes an object file, or a library built from a temporary one (the
/// LLVM module is freed before the linker runs).
int emitBinary(Emit kind, llvm::StringRef path,
               std::unique_ptr<llvm::Module> module,
               llvm::TargetMachine &machine, llvm::StringRef prefix,
               const std::optional<kiln::cpu::DetachedWeights> &weights) {
  if (kind == Emit::Obj)
    return emitObject(path, *module, machine, weights);
  llvm::SmallString<128> objectPath;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("kiln-model", "o", objectPath))
    return fail("cannot create a temporary file: " + ec.message(), UsageOrIO);
  llvm::FileRemover remover(objectPath);
  if (int rc = emitObject(objectPath, *module, machine, weights))
    return rc;
  module.reset();
  llvm::Error err =
      kind == Emit::StaticLib
          ? kiln::cpu::writeStaticLibrary(path, (prefix + ".o").str(),
                                          objectPath, machine.getTargetTriple())
          : kiln::cpu::linkSharedLibrary(path, objectPath,
                                         machine.getTargetTriple());
  if (err)
    return fail(llvm::toString(std::move(err)), UsageOrIO);
  return Ok;
}

/// Runs the phases after import up to `last`; returns an exit code. A phase
/// that fails after an "unsupported: " error exits with Unsupported; any
/// other failure (a pass failing on IR kiln produced, or IR that no longer
/// verifies) is a kiln bug, reported with the pass that failed.
int runPhases(ModuleOp module, kiln::Phase last, std::string &pipeline) {
  for (kiln::Phase p = kiln::Phase::Graph; p <= last;
       p = kiln::Phase((int)p + 1)) {
    PassManager pm(module.getContext());
    if (failed(applyPassManagerCLOptions(pm)))
      return UsageOrIO;
    applyDefaultTimingPassManagerCLOptions(pm);
    std::string failedPass;
    pm.addInstrumentation(
        std::make_unique<kiln::PassFailureRecorder>(failedPass));
    kiln::buildPhase(pm, p);
    if (p == kiln::Phase::Linalg && injectFault == Fault::InvalidIR)
      pm.addNestedPass<func::FuncOp>(kiln::createTestInjectInvalidIRPass());
    llvm::raw_string_ostream os(pipeline);
    if (!pipeline.empty())
      os << ",";
    pm.printAsTextualPipeline(os);
    if (succeeded(pm.run(module)))
      continue;
    llvm::StringRef phase = kiln::getPhaseName(p);
    if (sawUnsupported)
      return fail(inputFile + ": unsupported in phase '" + phase + "'",
                  Unsupported);
    return fail(inputFile + ": internal error: pass '" + failedPass +
                    "' failed in phase '" + phase + "'",
                Internal);
  }
  return Ok;
}

std::optional<int64_t> parseDim(llvm::StringRef text) {
  int64_t value;
  if (text.getAsInteger(10, value) || value < 0)
    return std::nullopt;
  return value;
}

/// Reads --dim and --input-shape into the import options and the bounds
/// attribute; false after printing what is wrong.
bool parseShapeFlags(kiln::importer::ImportOptions &options,
                     llvm::StringMap<std::pair<int64_t, int64_t>> &bounds) {
  for (llvm::StringRef flag : dimBounds) {
    auto [name, range] = flag.split('=');
    auto [lo, hi] = range.split("..");
    std::optional<int64_t> min = parseDim(lo);
    std::optional<int64_t> max = range.contains("..") ? parseDim(hi) : min;
    if (name.empty() || !min || !max || *min > *max) {
      fail("bad --dim '" + flag + "': expected NAME=MIN..MAX or NAME=N",
           UsageOrIO);
      return false;
    }
    if (*min == *max)
      options.fixedDims[name] = *min;
    else
      bounds[name] = {*min, *max};
  }
  options.forceDynamic = forceDynamic;
  for (llvm::StringRef flag : inputShapes) {
    auto [name, shape] = flag.split('=');
    llvm::SmallVector<int64_t> dims;
    llvm::SmallVector<llvm::StringRef> parts;
    if (!shape.empty())
      shape.split(parts, 'x');
    bool ok = !name.empty() && flag.contains('=');
    for (llvm::StringRef part : parts) {
      std::optional<int64_t> dim = parseDim(part);
      ok &= dim.has_value();
      dims.push_back(dim.value_or(0));
    }
    if (!ok) {
      fail("bad --input-shape '" + flag +
               "': expected NAME=1x3x224x224 (NAME= for a scalar)",
           UsageOrIO);
      return false;
    }
    options.inputShapes[name] = dims;
  }
  return true;
}

/// Every --input-shape names a graph input; --dim bounds go on the module.
bool applyShapeFlags(
    ModuleOp module,
    const llvm::StringMap<std::pair<int64_t, int64_t>> &bounds) {
  auto func = module.lookupSymbol<func::FuncOp>(funcName);
  llvm::StringSet<> names;
  for (unsigned i = 0; func && i < func.getNumArguments(); ++i)
    if (auto name = func.getArgAttrOfType<StringAttr>(i, "onnx.name"))
      names.insert(name.getValue());
  for (llvm::StringRef flag : inputShapes) {
    llvm::StringRef name = flag.split('=').first;
    if (!names.contains(name)) {
      fail("--input-shape: the model has no graph input '" + name + "'",
           UsageOrIO);
      return false;
    }
  }
  if (bounds.empty())
    return true;
  Builder builder(module.getContext());
  llvm::SmallVector<NamedAttribute> attrs;
  for (const auto &entry : bounds)
    attrs.push_back(builder.getNamedAttr(
        entry.getKey(),
        builder.getDenseI64ArrayAttr(
            {entry.getValue().first, entry.getValue().second})));
  module->setAttr(kiln::cpu::kDimBoundsAttr, builder.getDictionaryAttr(attrs));
  return true;
}

std::string getCommandLine(int argc, char **argv) {
  llvm::SmallVector<llvm::StringRef> args(argv + 1, argv + argc);
  return llvm::join(args, " ");
}

int compile(ModuleOp module, Emit kind, const std::string &commandLine) {
  kiln::cpu::CPUTargetOptions targetOptions{mtriple, mcpu, mattr, optLevel};
  auto machine = kiln::cpu::createTargetMachine(targetOptions);
  if (!machine)
    return fail(llvm::toString(machine.takeError()), UsageOrIO);

  FailureOr<kiln::cpu::ModelSignature> signature =
      kiln::cpu::getModelSignature(module, funcName);
  if (failed(signature))
    return Unsupported;

  kiln::cpu::BuildInfo build;
  build.prefix =
      prefix.empty() ? kiln::cpu::getDefaultPrefix(inputFile) : prefix;
  if (!kiln::cpu::isValidPrefix(build.prefix))
    return fail("invalid prefix '" + build.prefix +
                    "': expected [a-z_][a-z0-9_]*",
                UsageOrIO);
  build.compilerVersion = kVersion;
  build.compilerFlags = commandLine;
  build.targetTriple = targetOptions.triple;
  build.targetCPU = targetOptions.cpu;
  build.targetFeatures = targetOptions.features;

  std::string header;
  if (kind != Emit::Header) {
    if (int rc = runPhases(module, kiln::Phase::LLVM, build.pipeline))
      return rc;
  }
  llvm::raw_string_ostream headerStream(header);
  kiln::cpu::writeHeader(*signature, build, headerStream);
  if (kind == Emit::Header)
    return writeFile(outputFile, header) ? Ok : UsageOrIO;

  // ELF binary outputs get the weights from the MLIR resource, not through
  // LLVM.
  std::optional<kiln::cpu::DetachedWeights> weights;
  if ((kind == Emit::Obj || kind == Emit::Lib || kind == Emit::StaticLib) &&
      (*machine)->getTargetTriple().isOSBinFormatELF())
    weights = kiln::cpu::detachWeights(module, build.prefix);
  llvm::LLVMContext llvmContext;
  kiln::cpu::ModelModuleOptions moduleOptions;
  moduleOptions.funcName = funcName;
  moduleOptions.exportGenericAPI = kind == Emit::Lib;
  auto llvmModule = kiln::cpu::buildModelModule(
      module, *signature, build, **machine, llvmContext, moduleOptions);
  if (!llvmModule)
    return fail("internal error: " + llvm::toString(llvmModule.takeError()),
                Internal);
  // The LLVM module has its own copy of the weights, or they were detached
  // and stay until the object has them.
  if (!weights)
    kiln::cpu::releaseResourceData(module);

  if (kind == Emit::LLVM) {
    std::string text;
    llvm::raw_string_ostream os(text);
    (*llvmModule)->print(os, nullptr);
    return writeFile(outputFile, text) ? Ok : UsageOrIO;
  }
  if (kind == Emit::Asm)
    return emitTo(outputFile, **llvmModule, **machine,
                  llvm::CodeGenFileType::AssemblyFile);
  if (outputFile == "-")
    return fail("binary output needs -o <file>", UsageOrIO);
  if (int rc = emitBinary(kind, outputFile, std::move(*llvmModule), **machine,
                          build.prefix, weights))
    return rc;
  if (headerFile == "none")
    return Ok;
  llvm::SmallString<128> headerPath(headerFile);
  if (headerPath.empty()) {
    headerPath = outputFile;
    llvm::sys::path::replace_extension(headerPath, ".h");
  }
  return writeFile(headerPath, header) ? Ok : UsageOrIO;
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  std::string commandLine = getCommandLine(argc, argv);
  registerMLIRContextCLOptions();
  registerAsmPrinterCLOptions();
  registerPassManagerCLOptions();
  registerDefaultTimingManagerCLOptions();
  cl::ParseCommandLineOptions(argc, argv, "kiln: ONNX model compiler\n");

  std::optional<kiln::Phase> phase = kiln::parsePhase(compileTo);
  if (!phase)
    return fail("unknown phase '" + compileTo +
                    "' (expected import, graph, linalg, bufferize or llvm)",
                UsageOrIO);
  Emit kind = getEmitKind();
  if (kind != Emit::MLIR && compileTo.getNumOccurrences())
    return fail("--compile-to goes with --emit=mlir", UsageOrIO);

  DialectRegistry registry;
  kiln::registerDialects(registry);
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false);
  ScopedDiagnosticHandler handler(&context, printDiagnostic);

  kiln::importer::ImportOptions options;
  options.funcName = funcName;
  llvm::StringMap<std::pair<int64_t, int64_t>> bounds;
  if (!parseShapeFlags(options, bounds))
    return UsageOrIO;
  kiln::importer::ImportResult imported =
      kiln::importer::importONNXFile(inputFile, context, options);
  switch (imported.status) {
  case kiln::importer::ImportStatus::Success:
    break;
  case kiln::importer::ImportStatus::IOError:
    return UsageOrIO;
  case kiln::importer::ImportStatus::InvalidModel:
  case kiln::importer::ImportStatus::Unsupported:
    llvm::errs() << "kilnc: " << inputFile << ": " << imported.numUnsupported
                 << " unsupported, " << imported.numInvalid << " invalid\n";
    return imported.status == kiln::importer::ImportStatus::Unsupported
               ? Unsupported
               : InvalidModel;
  }

  if (!applyShapeFlags(*imported.module, bounds))
    return UsageOrIO;
  if (kind != Emit::MLIR && !checkOnly)
    return compile(*imported.module, kind, commandLine);

  // --emit=mlir runs the phases up to --compile-to; --check runs them all
  // (to the LLVM dialect), so that a model it calls ok compiles.
  kiln::Phase last = *phase;
  if (checkOnly && !compileTo.getNumOccurrences())
    last = kiln::Phase::LLVM;
  std::string pipeline;
  if (int rc = runPhases(*imported.module, last, pipeline))
    return rc;
  if (checkOnly) {
    llvm::outs() << inputFile << ": ok (0 unsupported, 0 invalid)\n";
    return Ok;
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  imported.module->print(os);
  os << "\n";
  return writeFile(outputFile, text) ? Ok : UsageOrIO;
}
