//===- Diagnostics.h - compile diagnostics as the user reads them -*- C++
//-*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_DRIVER_DIAGNOSTICS_H
#define KILN_LIB_DRIVER_DIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

#include <functional>

namespace kiln::driver {

/// Prints each diagnostic of a context as one line,
/// `<input>: error: node 'NAME': message`, its notes indented below, and
/// remembers whether an error said "unsupported: ".
class DiagnosticPrinter {
public:
  DiagnosticPrinter(mlir::MLIRContext &context, llvm::StringRef inputPath,
                    llvm::raw_ostream &os);

  bool sawUnsupported() const { return unsupported; }
  /// Remarks go to `sink` (node, message) as well, and are printed only
  /// with `print` (--explain).
  void setRemarks(bool print,
                  std::function<void(llvm::StringRef, llvm::StringRef)> sink) {
    printRemarks = print, remarkSink = std::move(sink);
  }

private:
  mlir::LogicalResult print(mlir::Diagnostic &diag);

  std::string inputPath;
  llvm::raw_ostream &os;
  bool unsupported = false;
  bool printRemarks = true;
  std::function<void(llvm::StringRef, llvm::StringRef)> remarkSink;
  mlir::ScopedDiagnosticHandler handler;
};

} // namespace kiln::driver

#endif // KILN_LIB_DRIVER_DIAGNOSTICS_H
