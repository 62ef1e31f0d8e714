//===- CompileReport.h - what a compile did and its times -------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// kilnc's compile report: time per step (import, each phase, LLVM
// translation and optimisation, object emission, linking), the ONNX ops by
// kind, each compute op's lowering decision (the policy's --explain
// remarks), the groups of ONNX nodes computed in one loop nest, and the
// workspace and weight bytes. Written as JSON (--report=F.json), as a
// self-contained HTML page (--report=F.html), or as the --time-report
// table; steps also print as progress lines (--progress).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DRIVER_COMPILEREPORT_H
#define KILN_DRIVER_COMPILEREPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kiln::driver {

/// When progress lines are printed: never, always, or (Auto) on a terminal
/// once the compile has taken a few seconds.
enum class ProgressMode { Never, Auto, Always };

struct LoweringDecisionRecord {
  std::string node, op, config, reason;
  std::string variant; // a portable object's CPU, or ""
};

/// ONNX nodes computed in one top-level loop nest (or op) of the graph
/// function after the codegen phase.
struct FusedGroup {
  std::vector<std::string> nodes;
};

class CompileReport {
public:
  using Clock = std::chrono::steady_clock;

  CompileReport(ProgressMode progress, llvm::raw_ostream &progressStream);

  /// Times one step from construction to destruction.
  class Step {
  public:
    Step(CompileReport &report, llvm::StringRef name);
    ~Step();

  private:
    CompileReport &report;
    std::string name;
    Clock::time_point start;
  };

  void setInput(llvm::StringRef path) { input = path.str(); }
  void setOutput(llvm::StringRef path) { output = path.str(); }
  /// The variant of a portable object the next steps and decisions are
  /// for ("" for none): steps are named `codegen (x86-64-v3)`.
  void setVariant(llvm::StringRef cpu) { variant = cpu.str(); }
  void setTarget(llvm::StringRef triple, llvm::StringRef cpu) {
    targetTriple = triple.str(), targetCPU = cpu.str();
  }
  /// From a remark of the policy (kiln-select-lowering-config --explain);
  /// false if the message is not one.
  bool addDecision(llvm::StringRef node, llvm::StringRef message);
  /// The import-level module: its ONNX ops by kind.
  void countOps(mlir::ModuleOp module);
  /// The codegen-phase module: its loop nests' ONNX nodes.
  void collectGroups(mlir::ModuleOp module);
  /// The llvm-phase module: its workspace and constant bytes.
  void collectBytes(mlir::ModuleOp module);

  double getTotalSeconds() const;
  void writeJSON(llvm::raw_ostream &os) const;
  void writeHTML(llvm::raw_ostream &os) const;
  void writeTimeReport(llvm::raw_ostream &os) const;

private:
  void endStep(llvm::StringRef name, double seconds);

  ProgressMode progress;
  llvm::raw_ostream &progressStream;
  Clock::time_point start;
  bool printedProgress = false;
  std::string input, output, targetTriple, targetCPU, variant;
  std::vector<std::pair<std::string, double>> steps;
  std::map<std::string, int64_t> opsByKind;
  std::vector<LoweringDecisionRecord> decisions;
  std::vector<FusedGroup> groups;
  int64_t workspaceBytes = 0, weightBytes = 0;
};

} // namespace kiln::driver

#endif // KILN_DRIVER_COMPILEREPORT_H
