//===- ImportDiagnostics.h - classified importer errors ---------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_IMPORTER_ONNX_IMPORTDIAGNOSTICS_H
#define KILN_LIB_IMPORTER_ONNX_IMPORTDIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"

namespace kiln::importer {

/// Emits importer errors and counts them by class, so the tools can tell an
/// invalid model from an unsupported one.
class ImportDiagnostics {
public:
  mlir::InFlightDiagnostic invalid(mlir::Location loc) {
    ++numInvalid;
    return mlir::emitError(loc);
  }
  mlir::InFlightDiagnostic unsupported(mlir::Location loc) {
    ++numUnsupported;
    return mlir::emitError(loc) << "unsupported: ";
  }
  /// A compile option that contradicts the model (--input-shape, --dim).
  mlir::InFlightDiagnostic usage(mlir::Location loc) {
    ++numUsage;
    return mlir::emitError(loc);
  }
  unsigned numInvalid = 0;
  unsigned numUsage = 0;
  unsigned numUnsupported = 0;
};

} // namespace kiln::importer

#endif // KILN_LIB_IMPORTER_ONNX_IMPORTDIAGNOSTICS_H
