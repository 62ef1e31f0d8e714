//===- kilnc.cpp - the kiln compiler driver
//---------------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// kilnc model.onnx [-o out] [--emit=mlir] [--compile-to=<phase>] [--check]
//
// Exit codes: 0 success; 1 usage or I/O error; 2 invalid model;
// 3 unsupported feature; 4 internal error (a kiln bug).
//
//===----------------------------------------------------------------------===//

#include "kiln/Importer/ONNX/ONNXImporter.h"
#include "kiln/Pipelines/Pipelines.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
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
enum class Emit { MLIR };

cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.onnx>"),
                               cl::Required);
cl::opt<std::string> outputFile("o", cl::desc("Output file"),
                                cl::value_desc("file"), cl::init("-"));
cl::opt<Emit> emit("emit", cl::desc("What to write"), cl::init(Emit::MLIR),
                   cl::values(clEnumValN(Emit::MLIR, "mlir",
                                         "MLIR after --compile-to's phase")));
cl::opt<std::string>
    compileTo("compile-to",
              cl::desc("Stop after this phase: import, graph, linalg"),
              cl::init("graph"));
cl::opt<bool>
    checkOnly("check",
              cl::desc("Report everything unsupported or invalid in the model, "
                       "then a summary; write no output"));
cl::opt<std::string> funcName("func-name",
                              cl::desc("Name of the graph's function"),
                              cl::init("main_graph"));

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
LogicalResult printDiagnostic(Diagnostic &diag) {
  std::string message = diag.str();
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
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  registerMLIRContextCLOptions();
  registerAsmPrinterCLOptions();
  registerPassManagerCLOptions();
  registerDefaultTimingManagerCLOptions();
  cl::ParseCommandLineOptions(argc, argv, "kiln: ONNX model compiler\n");

  std::optional<kiln::Phase> phase = kiln::parsePhase(compileTo);
  if (!phase) {
    llvm::errs() << "kilnc: unknown phase '" << compileTo
                 << "' (expected import, graph or linalg)\n";
    return UsageOrIO;
  }

  MLIRContext context;
  context.printOpOnDiagnostic(false);
  ScopedDiagnosticHandler handler(&context, printDiagnostic);

  kiln::importer::ImportOptions options;
  options.funcName = funcName;
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

  // Each phase runs on its own pass manager, so a failure is attributed to
  // the phase: lowering an op kiln cannot lower yet is an unsupported
  // feature, any other failure on verified IR is kiln's bug.
  for (kiln::Phase p = kiln::Phase::Graph; p <= *phase;
       p = kiln::Phase((int)p + 1)) {
    PassManager pm(&context);
    if (failed(applyPassManagerCLOptions(pm)))
      return UsageOrIO;
    applyDefaultTimingPassManagerCLOptions(pm);
    kiln::buildPhase(pm, p);
    if (succeeded(pm.run(*imported.module)))
      continue;
    if (p == kiln::Phase::Linalg) {
      llvm::errs() << "kilnc: " << inputFile
                   << ": unsupported: the model has ops kiln cannot lower "
                      "yet\n";
      return Unsupported;
    }
    llvm::errs() << "kilnc: " << inputFile << ": internal error in phase '"
                 << kiln::getPhaseName(p) << "'\n";
    return Internal;
  }

  if (checkOnly) {
    llvm::outs() << inputFile << ": ok (0 unsupported, 0 invalid)\n";
    return Ok;
  }
  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFile, &error);
  if (!output) {
    llvm::errs() << "kilnc: " << error << "\n";
    return UsageOrIO;
  }
  imported.module->print(output->os());
  output->os() << "\n";
  output->keep();
  return Ok;
}
