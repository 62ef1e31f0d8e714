//===- kilnc.cpp - the kiln compiler driver -------------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// kilnc model.onnx -o model.o (or .so, .a: and model.h), --compile-to=PHASE
// to write MLIR, --compile-from=PHASE to read it back. A thin main over
// kiln::driver::compileModel. Exit codes: 0 success; 1 usage or I/O error; 2
// invalid model; 3 unsupported feature; 4 internal error (a kiln bug).
//
//===----------------------------------------------------------------------===//

#include "kiln/Driver/Compile.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"

using namespace kiln::driver;
namespace cl = llvm::cl;

namespace {
constexpr const char *kVersion = KILN_VERSION;
cl::OptionCategory outputCat("Output"), targetCat("Target"), shapeCat("Shapes"),
    tuningCat("Lowering decisions");

cl::opt<std::string> inputFile(cl::Positional, cl::Required, cl::cat(outputCat),
                               cl::desc("<model.onnx | phase.mlir>"));
cl::opt<std::string> outputFile("o", cl::desc("Output file"), cl::init("-"),
                                cl::value_desc("file"), cl::cat(outputCat));
cl::opt<OutputKind> emit(
    "emit", cl::cat(outputCat),
    cl::desc("What to write (default: from -o's extension)"),
    cl::values(clEnumValN(OutputKind::MLIR, "mlir", "MLIR (.mlir, stdout)"),
               clEnumValN(OutputKind::LLVMIR, "llvm", "LLVM IR (.ll)"),
               clEnumValN(OutputKind::Assembly, "asm", "Assembly (.s)"),
               clEnumValN(OutputKind::Object, "obj", "Object + header (.o)"),
               clEnumValN(OutputKind::SharedLibrary, "lib",
                          "Shared library + header (.so)"),
               clEnumValN(OutputKind::StaticLibrary, "staticlib",
                          "Static library + header (.a)"),
               clEnumValN(OutputKind::Header, "header", "C header (.h)")));
// cl::desc keeps a StringRef: the text must outlive the option.
const std::string compileToHelp =
    "Write MLIR after this phase: " + kiln::getPhaseNameList();
cl::opt<std::string> compileTo("compile-to", cl::cat(outputCat),
                               cl::desc(compileToHelp));
cl::opt<std::string>
    compileFrom("compile-from", cl::cat(outputCat),
                cl::desc("The input is MLIR written after this phase"));
cl::opt<bool> checkOnly("check", cl::cat(outputCat),
                        cl::desc("Run every phase, report what is "
                                 "unsupported or invalid, write nothing"));
cl::opt<std::string> prefix("prefix", cl::cat(outputCat),
                            cl::desc("Prefix of exported symbols "
                                     "(default: from the input's name)"));
cl::opt<std::string> headerFile("header", cl::cat(outputCat),
                                cl::desc("The C header's path, or 'none'"));
cl::opt<std::string> funcName("func-name", cl::init("main_graph"),
                              cl::cat(outputCat), cl::Hidden,
                              cl::desc("Name of the graph's function"));
cl::opt<std::string> mtriple("mtriple", cl::cat(targetCat),
                             cl::desc("Target triple (default: the host)"));
cl::opt<std::string>
    mcpu("mcpu", cl::cat(targetCat),
         cl::desc("Target CPU, or 'host' (default on x86-64: a portable "
                  "object with x86-64-v2, -v3 and -v4 variants, chosen "
                  "at model_create; elsewhere the host's)"));
cl::opt<std::string> mattr("mattr", cl::cat(targetCat),
                           cl::desc("Target features, as +avx2,-fma"));
cl::opt<unsigned> optLevel("O", cl::desc("Optimisation level 0..3"), cl::Prefix,
                           cl::init(2), cl::cat(targetCat));
cl::list<std::string> dimBounds("dim", cl::value_desc("NAME=MIN..MAX"),
                                cl::cat(shapeCat),
                                cl::desc("Bound a symbolic input dim (NAME=N "
                                         "makes it static)"));
cl::list<std::string> inputShapes("input-shape", cl::cat(shapeCat),
                                  cl::value_desc("NAME=DxDx..."),
                                  cl::desc("Pin a graph input's shape"));
cl::opt<bool> forceDynamic("force-dynamic", cl::cat(shapeCat),
                           cl::desc("Make every input dim dynamic (testing)"));
cl::opt<std::string> tuningDB("tuning-db", cl::cat(tuningCat),
                              cl::desc("Replay the lowering configs of "
                                       "this JSON file"));
cl::opt<bool> explain("explain", cl::cat(tuningCat),
                      cl::desc("Print each lowering decision and why"));
cl::OptionCategory quantCat("Quantization");
cl::opt<std::string>
    quantize("quantize", cl::cat(quantCat),
             cl::value_desc("int8|auto|int4-weights"),
             cl::desc("Post-training quantization: int8 layers where "
                      "calibration allows; auto: int8 where the measured "
                      "sensitivities fit --accuracy-budget; or weight-only "
                      "int4 (MatMul, Gemm and Gather weights)"));
cl::opt<double>
    accuracyBudget("accuracy-budget", cl::cat(quantCat), cl::init(30.0),
                   cl::desc("--quantize=auto: the least output SQNR in dB "
                            "against f32 (default 30)"));
cl::opt<std::string> precisionSearch(
    "precision-search", cl::cat(quantCat), cl::init("measure"),
    cl::value_desc("measure|predict"),
    cl::desc("--quantize=auto: measure each layer's sensitivity with an "
             "instrumented build, or predict it with the learned model"));
cl::opt<std::string> dumpSensitivityFeatures(
    "dump-sensitivity-features", cl::cat(quantCat), cl::value_desc("FILE"),
    cl::desc("--quantize=auto: write each layer's predictor features and "
             "measured sensitivity as JSON lines (training data)"));
cl::opt<int64_t> int4BlockSize("int4-block-size", cl::cat(quantCat),
                               cl::init(32),
                               cl::desc("int4-weights: elements per scale "
                                        "(32, 64 or 128)"));
cl::opt<std::string>
    calibrationData("calibration-data", cl::cat(quantCat),
                    cl::value_desc("DIR"),
                    cl::desc("Input sets to calibrate on: subdirectories "
                             "with input_<i>.pb or .npy, or for a one-input "
                             "model .pb or .npy files"));
cl::opt<std::string>
    calibrationTable("calibration-table", cl::cat(quantCat),
                     cl::value_desc("FILE"),
                     cl::desc("The calibration table: written there with "
                              "--calibration-data, else read from it"));
cl::opt<std::string>
    calibrationMethod("calibration-method", cl::cat(quantCat),
                      cl::init("minmax"),
                      cl::desc("minmax, percentile or entropy (KL)"));
cl::opt<double> calibrationPercentile(
    "calibration-percentile", cl::cat(quantCat), cl::init(99.99),
    cl::desc("The percentile of |x| the percentile method keeps"));
cl::list<std::string>
    keepFloat("keep-float", cl::cat(quantCat), cl::CommaSeparated,
              cl::value_desc("NODE,..."),
              cl::desc("ONNX nodes to keep in f32 (the first and last "
                       "quantizable layers always are)"));
cl::OptionCategory reportCat("Reports");
cl::list<std::string>
    reportFiles("report", cl::cat(reportCat),
                cl::desc("Write a compile report: FILE.json, or FILE.html "
                         "(ops by kind, lowering decisions, loop nests, "
                         "workspace and weight bytes, time per step); "
                         "may be given twice"));
cl::opt<bool> timeReport("time-report", cl::cat(reportCat),
                         cl::desc("Print the time of each step of the "
                                  "compile (import, phases, LLVM, object, "
                                  "link)"));
cl::opt<bool> progressFlag("progress", cl::cat(reportCat),
                           cl::desc("Print a line per step as it ends"));
cl::opt<bool> quiet("quiet", cl::cat(reportCat),
                    cl::desc("No progress lines (by default they appear on a "
                             "terminal once a compile takes 3 s)"));
cl::opt<std::string> injectFault("inject-fault", cl::ReallyHidden,
                                 cl::desc("Testing: invalid-ir breaks the "
                                          "linalg phase"));

llvm::Expected<CompileOptions> getOptions(int argc, char **argv) {
  CompileOptions o;
  for (auto [flag, phase] : {std::pair(&compileTo, &o.compileTo)}) {
    std::optional<kiln::Phase> p = kiln::parsePhase(
        flag->getNumOccurrences() ? flag->getValue() : "graph");
    if (!p)
      return makeError(ErrorKind::Usage, "unknown phase '" + *flag +
                                             "' (expected one of " +
                                             kiln::getPhaseNameList() + ")");
    *phase = *p;
  }
  if (compileFrom.getNumOccurrences() &&
      !(o.compileFrom = kiln::parsePhase(compileFrom)))
    return makeError(ErrorKind::Usage, "unknown phase '" + compileFrom + "'");
  auto kind = resolveOutputKind(
      outputFile,
      emit.getNumOccurrences() ? std::optional(emit.getValue()) : std::nullopt,
      compileTo.getNumOccurrences());
  if (!kind)
    return kind.takeError();
  o.outputKind = *kind;
  o.inputPath = inputFile, o.outputPath = outputFile;
  o.headerPath = headerFile, o.checkOnly = checkOnly;
  if (checkOnly && !compileTo.getNumOccurrences())
    o.compileTo = kiln::Phase::LLVM, o.outputKind = OutputKind::MLIR;
  o.funcName = funcName, o.prefix = prefix;
  o.target = {mtriple, mcpu, mattr, optLevel};
  o.targetGiven = mtriple.getNumOccurrences() || mcpu.getNumOccurrences() ||
                  mattr.getNumOccurrences();
  o.dimBounds = dimBounds, o.inputShapes = inputShapes;
  o.forceDynamic = forceDynamic, o.tuningDB = tuningDB, o.explain = explain;
  o.injectInvalidIR = injectFault == "invalid-ir";
  o.quantize = quantize, o.calibrationData = calibrationData;
  o.int4BlockSize = int4BlockSize, o.accuracyBudget = accuracyBudget;
  o.calibrationTable = calibrationTable;
  o.precisionSearch = precisionSearch;
  o.dumpSensitivityFeatures = dumpSensitivityFeatures;
  o.calibrationMethod = calibrationMethod;
  o.calibrationPercentile = calibrationPercentile;
  o.keepFloat = keepFloat;
  o.reportPaths = reportFiles, o.timeReport = timeReport;
  o.progress = quiet          ? ProgressMode::Never
               : progressFlag ? ProgressMode::Always
                              : ProgressMode::Auto;
  o.recordedFlags = getRecordedFlags(llvm::ArrayRef(argv + 1, argc - 1)),
  o.compilerVersion = kVersion;
  return o;
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  mlir::registerMLIRContextCLOptions();
  mlir::registerAsmPrinterCLOptions();
  mlir::registerPassManagerCLOptions();
  mlir::registerDefaultTimingManagerCLOptions();
  // LLVM's and MLIR's own options still work, but only kiln's are shown.
  cl::HideUnrelatedOptions(
      {&outputCat, &targetCat, &shapeCat, &tuningCat, &quantCat, &reportCat});
  cl::SetVersionPrinter([](llvm::raw_ostream &os) {
    os << "kiln version " << kVersion << "\nLLVM version "
       << LLVM_VERSION_STRING << "\n";
  });
  cl::ParseCommandLineOptions(argc, argv, "kiln: ONNX model compiler\n");
  llvm::Expected<CompileOptions> options = getOptions(argc, argv);
  if (!options)
    return reportError("kilnc", options.takeError());
  return reportError("kilnc",
                     compileModel(*options, llvm::errs(), llvm::outs()));
}
