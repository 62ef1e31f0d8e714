//===- Compile.h - one compile of one model, as a library call --*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// `compileModel(options)` is everything kilnc does: import (or read MLIR
// saved after a phase), record the ABI signature and the target in the IR,
// run the phases of the phase table, and write the artifacts. Each call has
// its own MLIRContext, so calibration and tuning can compile many times in
// one process. Errors come back classified by kind, which kilnc turns into
// its exit code.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DRIVER_COMPILE_H
#define KILN_DRIVER_COMPILE_H

#include "kiln/Driver/CompileReport.h"
#include "kiln/Pipelines/Pipelines.h"
#include "kiln/Target/CPU/TargetMachine.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace kiln::driver {

/// What a compile writes.
enum class OutputKind {
  MLIR,          // the IR after --compile-to's phase
  LLVMIR,        // .ll
  Assembly,      // .s
  Object,        // .o, and a C header
  SharedLibrary, // .so, and a C header
  StaticLibrary, // .a, and a C header
  Header,        // .h only
};

/// The output kind for an output path's extension, if kilnc knows it.
std::optional<OutputKind> getOutputKindForPath(llvm::StringRef path);

struct CompileOptions {
  /// An ONNX model (binary or text), or MLIR saved after `compileFrom`.
  std::string inputPath;
  std::string outputPath = "-";
  OutputKind outputKind = OutputKind::Object;
  /// Where the header of an object or library goes: "" next to the
  /// output, "none" for no header.
  std::string headerPath;
  /// The input is MLIR saved after this phase; none: it is ONNX.
  std::optional<Phase> compileFrom;
  /// With OutputKind::MLIR, the last phase to run.
  Phase compileTo = Phase::LLVM;
  /// Run the phases, report what is unsupported, write nothing.
  bool checkOnly = false;
  std::string funcName = "main_graph";
  /// Exported symbols' prefix; "" derives it from the input's name.
  std::string prefix;
  cpu::CPUTargetOptions target;
  /// Whether the target was given (-mtriple/-mcpu/-mattr); otherwise MLIR
  /// input keeps the `llvm.target` it has.
  bool targetGiven = false;
  /// `NAME=MIN..MAX` or `NAME=N`, and `NAME=DxDx...`.
  std::vector<std::string> dimBounds, inputShapes;
  bool forceDynamic = false;
  /// Codegen: replay this tuning database; print each decision.
  std::string tuningDB;
  bool explain = false;
  /// Testing: leave invalid IR after the linalg phase.
  bool injectInvalidIR = false;
  /// The compile report: --report=FILE (.json or .html), --time-report
  /// (to the diagnostics stream), progress lines.
  std::vector<std::string> reportPaths;
  bool timeReport = false;
  ProgressMode progress = ProgressMode::Auto;
  /// Post-training quantization: "" (none), "int4-weights" (MatMul, Gemm
  /// and Gather weights as packed int4), "auto" (int8 where the measured
  /// sensitivities fit `accuracyBudget`), or "int8", with activation
  /// ranges from a calibration run on `calibrationData` (a directory of
  /// input sets) or read from `calibrationTable` (written there when both
  /// are given). Layers named in `keepFloat` stay f32, as do the first and
  /// last.
  std::string quantize;
  /// With "int4-weights": elements per scale.
  int64_t int4BlockSize = 32;
  /// With "auto": the least output SQNR (dB) the int8 layers may leave.
  double accuracyBudget = 30.0;
  /// With "auto": each layer's sensitivity "measure"d by an instrumented
  /// build, or "predict"ed by the learned model; and where to write the
  /// predictor's features (training data), if anywhere.
  std::string precisionSearch = "measure";
  std::string dumpSensitivityFeatures;
  std::string calibrationData, calibrationTable;
  std::string calibrationMethod = "minmax";
  double calibrationPercentile = 99.99;
  std::vector<std::string> keepFloat;
  /// Calibration's instrumented build: each quantizable layer's activation
  /// is returned too (onnx-calibration-probes).
  bool calibrationProbes = false;
  /// --quantize=auto's sensitivity build: each layer the table has a
  /// range for is computed int8 too (onnx-sensitivity-probes).
  std::string sensitivityTable;
  /// Recorded in the model's metadata (no absolute paths in it).
  std::string recordedFlags;
  std::string compilerVersion;
};

/// How a compile failed; the values are kilnc's exit codes.
enum class ErrorKind {
  Usage = 1,
  InvalidModel = 2,
  Unsupported = 3,
  Internal = 4,
};

/// A failed compile: its kind and a message for the user ("" when the
/// diagnostics already said everything).
class CompileError : public llvm::ErrorInfo<CompileError> {
public:
  static char ID;
  CompileError(ErrorKind kind, std::string message)
      : kind(kind), text(std::move(message)) {}
  ErrorKind getKind() const { return kind; }
  void log(llvm::raw_ostream &os) const override { os << text; }
  std::error_code convertToErrorCode() const override {
    return llvm::inconvertibleErrorCode();
  }

private:
  ErrorKind kind;
  std::string text;
};

llvm::Error makeError(ErrorKind kind, const llvm::Twine &message);

/// What to write: `emit` if given; MLIR with --compile-to, to stdout, or to
/// a path without an extension; else what the extension says. An unknown
/// extension, or --compile-to with a non-MLIR one, is a usage error.
llvm::Expected<OutputKind> resolveOutputKind(llvm::StringRef outputPath,
                                             std::optional<OutputKind> emit,
                                             bool compileToGiven);

/// A command line's arguments with every path reduced to its file name, to
/// be recorded: objects hold no path of the build machine.
std::string getRecordedFlags(llvm::ArrayRef<char *> args);

/// Compiles as `options` say. Diagnostics go to `diagnostics` as
/// `<input>: error: node 'NAME': message`; remarks (--explain) as
/// `<input>: remark: ...`. `--check`'s verdict goes to `out`.
llvm::Error compileModel(const CompileOptions &options,
                         llvm::raw_ostream &diagnostics,
                         llvm::raw_ostream &out);

/// Prints `error` as `<tool>: message` and returns its exit code (0 for
/// success).
int reportError(llvm::StringRef tool, llvm::Error error);

} // namespace kiln::driver

#endif // KILN_DRIVER_COMPILE_H
