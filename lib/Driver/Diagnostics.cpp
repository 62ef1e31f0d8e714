//===- Diagnostics.cpp - compile diagnostics as the user reads them -------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "Diagnostics.h"
#include "kiln/Dialect/ONNX/IR/ONNXDialect.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;

namespace kiln::driver {

DiagnosticPrinter::DiagnosticPrinter(MLIRContext &context,
                                     llvm::StringRef inputPath,
                                     llvm::raw_ostream &os)
    : inputPath(inputPath.str()), os(os),
      handler(&context, [this](Diagnostic &diag) { return print(diag); }) {}

static StringRef getSeverityName(DiagnosticSeverity severity) {
  switch (severity) {
  case DiagnosticSeverity::Error:
    return "error";
  case DiagnosticSeverity::Warning:
    return "warning";
  case DiagnosticSeverity::Note:
    return "note";
  case DiagnosticSeverity::Remark:
    return "remark";
  }
  return "error";
}

LogicalResult DiagnosticPrinter::print(Diagnostic &diag) {
  std::string message = diag.str();
  if (diag.getSeverity() == DiagnosticSeverity::Error &&
      StringRef(message).starts_with("unsupported: "))
    unsupported = true;
  std::string node = onnx::ONNXDialect::getNodeName(diag.getLocation());
  if (diag.getSeverity() == DiagnosticSeverity::Remark) {
    if (remarkSink)
      remarkSink(node, message);
    if (!printRemarks)
      return success();
  }
  os << inputPath << ": " << getSeverityName(diag.getSeverity()) << ": ";
  if (!node.empty() && message.find("'" + node + "'") == std::string::npos)
    os << "node '" << node << "': ";
  os << message << "\n";
  for (Diagnostic &note : diag.getNotes())
    os << "  note: " << note.str() << "\n";
  return success();
}

} // namespace kiln::driver
