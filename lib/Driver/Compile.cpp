//===- Compile.cpp - one compile of one model, as a library call ----------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Driver/Compile.h"
#include "Calibrate.h"
#include "Diagnostics.h"
#include "Output.h"
#include "ShapeFlags.h"
#include "kiln/Codegen/Passes.h"
#include "kiln/Dialect/ONNX/Transforms/Passes.h"
#include "kiln/Pipelines/PassFailure.h"
#include "kiln/Pipelines/Registration.h"
#include "kiln/Quantization/Calibration.h"
#include "kiln/Target/ABI/Signature.h"
#include "kiln/Target/CPU/Dispatch.h"
#include "kiln/Tuning/LoweringConfigAdvisor.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/AsmState.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Path.h"

using namespace mlir;

namespace kiln::driver {

char CompileError::ID;

llvm::Error makeError(ErrorKind kind, const llvm::Twine &message) {
  return llvm::make_error<CompileError>(kind, message.str());
}

std::optional<OutputKind> getOutputKindForPath(llvm::StringRef path) {
  return llvm::StringSwitch<std::optional<OutputKind>>(
             llvm::sys::path::extension(path))
      .Case(".o", OutputKind::Object)
      .Case(".so", OutputKind::SharedLibrary)
      .Case(".a", OutputKind::StaticLibrary)
      .Case(".h", OutputKind::Header)
      .Case(".ll", OutputKind::LLVMIR)
      .Case(".s", OutputKind::Assembly)
      .Case(".mlir", OutputKind::MLIR)
      .Default(std::nullopt);
}

llvm::Expected<OutputKind> resolveOutputKind(llvm::StringRef outputPath,
                                             std::optional<OutputKind> emit,
                                             bool compileToGiven) {
  std::optional<OutputKind> byPath = getOutputKindForPath(outputPath);
  bool plain =
      outputPath == "-" || llvm::sys::path::extension(outputPath).empty();
  if (!byPath && !plain && !emit)
    return makeError(ErrorKind::Usage, "unknown output extension of '" +
                                           outputPath + "': use --emit");
  OutputKind kind = emit ? *emit : byPath.value_or(OutputKind::MLIR);
  if (compileToGiven && !emit && !byPath)
    kind = OutputKind::MLIR;
  if (compileToGiven && (kind != OutputKind::MLIR ||
                         byPath.value_or(OutputKind::MLIR) != OutputKind::MLIR))
    return makeError(ErrorKind::Usage,
                     "--compile-to writes MLIR: use -o FILE.mlir or -o -");
  return kind;
}

std::string getRecordedFlags(llvm::ArrayRef<char *> args) {
  llvm::SmallVector<std::string> recorded;
  for (llvm::StringRef arg : args) {
    auto [flag, value] = arg.starts_with("-") && arg.contains('=')
                             ? arg.split('=')
                             : std::make_pair(llvm::StringRef(), arg);
    // Paths are cut to their file names; node names (which often hold
    // a '/') are kept.
    bool nodeNames = flag == "--keep-float";
    std::string base = value.contains('/') && !nodeNames
                           ? llvm::sys::path::filename(value).str()
                           : value.str();
    recorded.push_back(flag.empty() ? base : (flag + "=" + base).str());
  }
  return llvm::join(recorded, " ");
}

int reportError(llvm::StringRef tool, llvm::Error error) {
  int code = 0;
  llvm::handleAllErrors(
      std::move(error),
      [&](const CompileError &e) {
        code = (int)e.getKind();
        std::string message = e.message();
        if (!message.empty())
          llvm::errs() << tool << ": " << message << "\n";
      },
      [&](const llvm::ErrorInfoBase &e) {
        code = (int)ErrorKind::Internal;
        llvm::errs() << tool << ": internal error: " << e.message() << "\n";
      });
  return code;
}

namespace {
/// The state of one compile: a context of its own, its diagnostics, and
/// the module as it goes through the phases.
class Session {
public:
  Session(const CompileOptions &options, llvm::raw_ostream &diagnostics)
      : options(options), diagnostics(diagnostics), context(getRegistry()),
        printer(context, options.inputPath, diagnostics),
        report(options.progress, diagnostics) {
    context.printOpOnDiagnostic(false);
    report.setInput(options.inputPath);
    report.setOutput(options.outputPath);
    if (!options.reportPaths.empty())
      printer.setRemarks(options.explain,
                         [this](llvm::StringRef node, llvm::StringRef message) {
                           report.addDecision(node, message);
                         });
  }

  llvm::Error run(llvm::raw_ostream &out);

private:
  static DialectRegistry getRegistry() {
    DialectRegistry registry;
    registerDialects(registry);
    return registry;
  }

  llvm::Error load();
  llvm::Error importModel();
  llvm::Error readMLIR();
  llvm::Error recordSignature();
  llvm::Error runImportPass(std::unique_ptr<Pass> pass);
  void attachTarget(const cpu::CPUTargetOptions &target);
  void initPhaseOptions(PhaseOptions &phaseOptions) const;
  llvm::Error runPhases(ModuleOp target, Phase first, Phase last,
                        const PhaseOptions &phaseOptions,
                        bool recordPipeline = true);
  std::vector<cpu::CPUTargetOptions> getPortableTargets() const;
  llvm::Error runVariants(llvm::ArrayRef<cpu::CPUTargetOptions> targets);
  llvm::Error failPhase(Phase phase, llvm::StringRef failedPass);
  llvm::Error writeReport();

  const CompileOptions &options;
  llvm::raw_ostream &diagnostics;
  MLIRContext context;
  DiagnosticPrinter printer;
  CompileReport report;
  OwningOpRef<ModuleOp> module;
  /// A portable object's llvm-phase modules, one per variant.
  std::vector<OwningOpRef<ModuleOp>> variants;
  std::string pipeline;
};

llvm::Error Session::load() {
  // A tuning database that does not load is the user's error, found before
  // the codegen phase would fail on it.
  if (!options.tuningDB.empty()) {
    auto advisor = createReplayAdvisor(options.tuningDB, &context,
                                       createHeuristicAdvisor());
    if (!advisor)
      return makeError(ErrorKind::Usage, llvm::toString(advisor.takeError()));
  }
  cpu::CPUTargetOptions target = options.target;
  auto machine = cpu::createTargetMachine(target);
  if (!machine)
    return makeError(ErrorKind::Usage, llvm::toString(machine.takeError()));
  {
    CompileReport::Step step(report, "import");
    if (llvm::Error err = options.compileFrom ? readMLIR() : importModel())
      return err;
  }
  report.countOps(*module);
  // The target comes from the IR from here on.
  if (!options.compileFrom || options.targetGiven ||
      !(*module)->hasAttr(LLVM::LLVMDialect::getTargetAttrName()))
    attachTarget(target);
  return llvm::Error::success();
}

void Session::attachTarget(const cpu::CPUTargetOptions &target) {
  context.loadDialect<LLVM::LLVMDialect>();
  (*module)->setAttr(LLVM::LLVMDialect::getTargetAttrName(),
                     cpu::getTargetAttr(&context, target));
}

llvm::Error Session::importModel() {
  importer::ImportOptions importOptions;
  importOptions.funcName = options.funcName;
  DimBounds bounds;
  if (llvm::Error err = parseShapeFlags(options, importOptions, bounds))
    return err;
  importer::ImportResult imported =
      importer::importONNXFile(options.inputPath, context, importOptions);
  std::string summary =
      options.inputPath + ": " + std::to_string(imported.numUnsupported) +
      " unsupported, " + std::to_string(imported.numInvalid) + " invalid";
  switch (imported.status) {
  case importer::ImportStatus::Success:
    break;
  case importer::ImportStatus::IOError:
  case importer::ImportStatus::BadOption:
    return makeError(ErrorKind::Usage, "");
  case importer::ImportStatus::InvalidModel:
    return makeError(ErrorKind::InvalidModel, summary);
  case importer::ImportStatus::Unsupported:
    return makeError(ErrorKind::Unsupported, summary);
  }
  module = std::move(imported.module);
  if (llvm::Error err = applyShapeFlags(options, *module, bounds))
    return err;
  if (options.calibrationProbes)
    if (llvm::Error err =
            runImportPass(onnx::createONNXCalibrationProbesPass()))
      return err;
  if (!options.sensitivityTable.empty())
    if (llvm::Error err = runImportPass(
            onnx::createONNXSensitivityProbesPass({options.sensitivityTable})))
      return err;
  if (llvm::Error err = recordSignature())
    return err;
  if (options.quantize.empty())
    return llvm::Error::success();
  // The precision policy's decisions are attributes of the import-level
  // IR, which the recorded pipeline replays from.
  onnx::ONNXSelectPrecisionPassOptions precision;
  precision.mode = options.quantize;
  precision.blockSize = options.int4BlockSize;
  precision.budget = options.accuracyBudget;
  precision.table = options.calibrationTable;
  precision.keepFloat.assign(options.keepFloat.begin(),
                             options.keepFloat.end());
  precision.sensitivity =
      options.precisionSearch == "predict" ? "predicted" : "measured";
  precision.dumpFeatures = options.dumpSensitivityFeatures;
  precision.explain = options.explain || !options.reportPaths.empty();
  return runImportPass(onnx::createONNXSelectPrecisionPass(precision));
}

/// Runs `pass` on the graph function of the import-level module.
llvm::Error Session::runImportPass(std::unique_ptr<Pass> pass) {
  PassManager pm(&context);
  pm.addNestedPass<func::FuncOp>(std::move(pass));
  if (failed(pm.run(*module)))
    return makeError(ErrorKind::Usage, "");
  return llvm::Error::success();
}

/// Records the ABI signature, once, from the import-level function. A
/// model whose inputs or outputs the C ABI cannot pass is unsupported when
/// an artifact (or a full --check) needs the signature; MLIR written after
/// a phase just goes without it.
llvm::Error Session::recordSignature() {
  bool needed = options.outputKind != OutputKind::MLIR ||
                (options.checkOnly && options.compileTo == Phase::LLVM);
  std::optional<ScopedDiagnosticHandler> silence;
  if (!needed)
    silence.emplace(&context, [](Diagnostic &) { return success(); });
  FailureOr<abi::ModelSignature> signature =
      abi::readGraphSignature(*module, options.funcName);
  if (succeeded(signature))
    abi::recordSignature(*module, *signature);
  else if (needed)
    return makeError(ErrorKind::Unsupported, "");
  return llvm::Error::success();
}

llvm::Error Session::readMLIR() {
  if (!options.dimBounds.empty() || !options.inputShapes.empty() ||
      options.forceDynamic)
    return makeError(ErrorKind::Usage,
                     "--dim, --input-shape and --force-dynamic apply at "
                     "import, not to --compile-from's MLIR");
  ParserConfig config(&context);
  module = parseSourceFile<ModuleOp>(options.inputPath, config);
  if (!module)
    return makeError(ErrorKind::Usage,
                     "cannot read MLIR from " + options.inputPath);
  return llvm::Error::success();
}

llvm::Error Session::failPhase(Phase phase, llvm::StringRef failedPass) {
  llvm::StringRef name = getPhaseName(phase);
  if (printer.sawUnsupported())
    return makeError(ErrorKind::Unsupported, options.inputPath +
                                                 ": unsupported in phase '" +
                                                 name + "'");
  return makeError(ErrorKind::Internal,
                   options.inputPath + ": internal error: pass '" + failedPass +
                       "' failed in phase '" + name + "'");
}

void Session::initPhaseOptions(PhaseOptions &phaseOptions) const {
  phaseOptions.tuningDB = options.tuningDB;
  phaseOptions.explain = options.explain || !options.reportPaths.empty();
}

/// Runs the phases after `first` up to `last` on `target`, recording their
/// pipeline if `recordPipeline`. A phase that fails after an
/// "unsupported: " error is Unsupported; any other failure (a pass failing
/// on IR kiln produced, IR that no longer verifies) is a kiln bug,
/// reported with the pass that failed.
llvm::Error Session::runPhases(ModuleOp target, Phase first, Phase last,
                               const PhaseOptions &phaseOptions,
                               bool recordPipeline) {
  for (int p = (int)first + 1; p <= (int)last; ++p) {
    PassManager pm(&context);
    if (failed(applyPassManagerCLOptions(pm)))
      return makeError(ErrorKind::Usage, "");
    applyDefaultTimingPassManagerCLOptions(pm);
    std::string failedPass;
    pm.addInstrumentation(std::make_unique<PassFailureRecorder>(failedPass));
    buildPhase(pm, Phase(p), phaseOptions);
    if (Phase(p) == Phase::Linalg && options.injectInvalidIR)
      pm.addNestedPass<func::FuncOp>(createTestInjectInvalidIRPass());
    // Recorded without the anchor, to replay as builtin.module(...).
    llvm::raw_string_ostream os(pipeline);
    for (Pass &pass : pm.getPasses()) {
      if (!recordPipeline)
        break;
      if (!pipeline.empty())
        os << ",";
      pass.printAsTextualPipeline(os);
    }
    CompileReport::Step step(report, getPhaseName(Phase(p)));
    if (failed(pm.run(target)))
      return failPhase(Phase(p), failedPass);
    if (Phase(p) == Phase::Codegen)
      report.collectGroups(target);
  }
  report.collectBytes(target);
  return llvm::Error::success();
}

/// The x86-64 levels a portable object carries, when this compile makes
/// one: code from ONNX, for no CPU or features given. --mcpu=host or
/// --mcpu=<cpu> builds for one.
std::vector<cpu::CPUTargetOptions> Session::getPortableTargets() const {
  if (options.compileFrom || options.checkOnly ||
      options.outputKind == OutputKind::MLIR || !options.target.cpu.empty() ||
      !options.target.features.empty())
    return {};
  return cpu::getPortableVariants(options.target);
}

/// The graph and linalg phases once, then the later phases for each
/// target on a copy of the module: the codegen policy reads the target
/// from the IR.
llvm::Error
Session::runVariants(llvm::ArrayRef<cpu::CPUTargetOptions> targets) {
  Phase first = options.compileFrom.value_or(Phase::Import);
  PhaseOptions phaseOptions;
  initPhaseOptions(phaseOptions);
  if (llvm::Error err = runPhases(*module, first, Phase::Linalg, phaseOptions))
    return err;
  // The copies share the graph's weights until the object is written.
  phaseOptions.releaseWeights = false;
  for (const cpu::CPUTargetOptions &target : targets) {
    OwningOpRef<ModuleOp> variant = module->clone();
    (*variant)->setAttr(LLVM::LLVMDialect::getTargetAttrName(),
                        cpu::getTargetAttr(&context, target));
    report.setVariant(target.cpu);
    if (llvm::Error err = runPhases(*variant, Phase::Linalg, Phase::LLVM,
                                    phaseOptions, variants.empty()))
      return err;
    variants.push_back(std::move(variant));
  }
  report.setVariant("");
  return llvm::Error::success();
}

llvm::Error Session::run(llvm::raw_ostream &out) {
  if (llvm::Error err = load())
    return err;
  OutputKind kind = options.outputKind;
  Phase last = kind == OutputKind::MLIR ? options.compileTo : Phase::LLVM;
  std::vector<cpu::CPUTargetOptions> portable = getPortableTargets();
  PhaseOptions phaseOptions;
  initPhaseOptions(phaseOptions);
  Phase first = options.compileFrom.value_or(Phase::Import);
  if (kind != OutputKind::Header)
    if (llvm::Error err = portable.size() > 1
                              ? runVariants(portable)
                              : runPhases(*module, first, last, phaseOptions))
      return err;
  if (options.checkOnly) {
    out << options.inputPath << ": ok (0 unsupported, 0 invalid)\n";
    return llvm::Error::success();
  }
  if (kind == OutputKind::MLIR) {
    std::string text;
    llvm::raw_string_ostream os(text);
    module->print(os);
    os << "\n";
    if (llvm::Error err = writeFile(options.outputPath, text))
      return err;
    return writeReport();
  }
  abi::BuildInfo build;
  build.prefix = options.prefix.empty()
                     ? abi::getDefaultPrefix(options.inputPath)
                     : options.prefix;
  build.compilerVersion = options.compilerVersion;
  build.compilerFlags = options.recordedFlags;
  build.pipeline = pipeline;
  SmallVector<ModuleOp> modules;
  for (OwningOpRef<ModuleOp> &variant : variants)
    modules.push_back(*variant);
  if (modules.empty())
    modules.push_back(*module);
  if (portable.size() > 1)
    for (const cpu::CPUTargetOptions &target : portable)
      build.variants.push_back(target.cpu);
  if (llvm::Error err = writeArtifacts(options, modules, build, report))
    return err;
  report.setTarget(build.targetTriple,
                   llvm::join(abi::getVariantCPUs(build), ", "));
  return writeReport();
}

/// The --report file and the --time-report table, once the compile is done.
llvm::Error Session::writeReport() {
  if (options.timeReport)
    report.writeTimeReport(diagnostics);
  for (const std::string &path : options.reportPaths) {
    std::string text;
    llvm::raw_string_ostream os(text);
    if (llvm::sys::path::extension(path) == ".html")
      report.writeHTML(os);
    else
      report.writeJSON(os);
    if (llvm::Error err = writeFile(path, text))
      return err;
  }
  return llvm::Error::success();
}
} // namespace

namespace {
/// Weight-only int4 needs no calibration.
llvm::Error compileInt4Weights(const CompileOptions &options,
                               llvm::raw_ostream &diagnostics,
                               llvm::raw_ostream &out) {
  if (!options.calibrationData.empty() || !options.calibrationTable.empty())
    return makeError(ErrorKind::Usage,
                     "--quantize=int4-weights takes no calibration");
  if (!llvm::is_contained({32, 64, 128}, options.int4BlockSize))
    return makeError(ErrorKind::Usage, "--int4-block-size: use 32, 64 or 128");
  Session session(options, diagnostics);
  return session.run(out);
}
} // namespace

llvm::Error compileModel(const CompileOptions &options,
                         llvm::raw_ostream &diagnostics,
                         llvm::raw_ostream &out) {
  if (!options.prefix.empty() && (!abi::isValidPrefix(options.prefix) ||
                                  abi::isReservedPrefix(options.prefix)))
    return makeError(ErrorKind::Usage,
                     "invalid prefix '" + options.prefix +
                         "': expected [a-z_][a-z0-9_]*, not kiln or kiln_*");
  if (options.quantize.empty()) {
    Session session(options, diagnostics);
    return session.run(out);
  }
  if (options.compileFrom)
    return makeError(ErrorKind::Usage,
                     "--quantize applies at import, not to --compile-from's "
                     "MLIR");
  if (options.quantize == "int4-weights")
    return compileInt4Weights(options, diagnostics, out);
  if (options.quantize != "int8" && options.quantize != "auto")
    return makeError(ErrorKind::Usage, "unknown --quantize '" +
                                           options.quantize +
                                           "': use int8, auto or int4-weights");
  if (options.precisionSearch != "measure" &&
      options.precisionSearch != "predict")
    return makeError(ErrorKind::Usage, "unknown --precision-search '" +
                                           options.precisionSearch +
                                           "': use measure or predict");
  if (options.calibrationData.empty() && options.calibrationTable.empty())
    return makeError(ErrorKind::Usage, "--quantize=" + options.quantize +
                                           " needs "
                                           "--calibration-data or "
                                           "--calibration-table");
  if (options.calibrationData.empty()) {
    // A table that does not load is the user's error, found before the
    // compile would fail on it.
    llvm::Expected<quant::CalibrationTable> table =
        quant::readCalibrationTable(options.calibrationTable);
    if (!table)
      return makeError(ErrorKind::Usage, llvm::toString(table.takeError()));
    bool predict = options.precisionSearch == "predict";
    bool layers = !table->ranges.empty();
    if (options.quantize == "auto" && !predict && layers &&
        table->sensitivity.empty())
      return makeError(ErrorKind::Usage,
                       "--quantize=auto: the calibration table has no "
                       "sensitivities; calibrate with --quantize=auto");
    if (options.quantize == "auto" && predict && layers &&
        table->outputMeanSquare.empty())
      return makeError(ErrorKind::Usage,
                       "--precision-search=predict: the calibration table "
                       "has no activation mean squares; calibrate again");
  } else if (!llvm::sys::fs::is_directory(options.calibrationData)) {
    return makeError(ErrorKind::Usage, "--calibration-data: '" +
                                           options.calibrationData +
                                           "' is not a directory");
  }
  CompileOptions quantized = options;
  std::optional<llvm::FileRemover> removeTable;
  if (!options.calibrationData.empty()) {
    if (quantized.calibrationTable.empty()) {
      llvm::SmallString<128> path;
      if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
              "kiln-calibration", "json", path))
        return makeError(ErrorKind::Usage,
                         "cannot create a temporary file: " + ec.message());
      quantized.calibrationTable = path.str().str();
      removeTable.emplace(path);
    }
    if (llvm::Error err = calibrate(options, quantized.calibrationTable,
                                    diagnostics, &quantized.accuracyBudget))
      return err;
  }
  Session session(quantized, diagnostics);
  return session.run(out);
}

} // namespace kiln::driver
