//===- ONNXImporter.h - ONNX models into the onnx dialect -------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Reads an ONNX model (binary protobuf or ONNX text format) and builds a
// module holding one `func.func` of `onnx` ops. Every problem is reported as
// an MLIR diagnostic located at the ONNX node (a NameLoc around the model
// file); the import never asserts on user input.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_IMPORTER_ONNX_ONNXIMPORTER_H
#define KILN_IMPORTER_ONNX_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

#include <string>

namespace kiln::importer {

/// Why an import failed. The tools map these to distinct exit codes.
enum class ImportStatus {
  Success,
  /// The file cannot be read.
  IOError,
  /// The model breaks the ONNX specification (malformed protobuf, cycles,
  /// dangling inputs, wrong attribute types, inconsistent shapes...).
  InvalidModel,
  /// A valid model using an op, opset, data type or attribute kiln lacks.
  Unsupported,
  /// An import option (--input-shape, --dim) contradicts the model.
  BadOption,
};

struct ImportOptions {
  /// Name of the function holding the main graph.
  std::string funcName = "main_graph";
  /// Size in bytes above which an initializer becomes a dense resource (kept
  /// out of the IR text) instead of a dense attribute.
  size_t denseResourceThreshold = 256;
  /// Graph-input shapes that replace the declared ones (`--input-shape`).
  llvm::StringMap<llvm::SmallVector<int64_t>> inputShapes;
  /// Symbolic dims pinned to one value (`--dim NAME=V..V`).
  llvm::StringMap<int64_t> fixedDims;
  /// Every graph-input dim dynamic, and the shapes declared for graph
  /// outputs and value_info ignored (`--force-dynamic`, for testing).
  bool forceDynamic = false;
};

struct ImportResult {
  ImportStatus status = ImportStatus::Success;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  /// Counts for the summary line.
  unsigned numUnsupported = 0;
  unsigned numInvalid = 0;
};

/// Imports the model at `path`: `.onnxtxt`/`.onnxtext` files are ONNX text
/// format, anything else binary protobuf. External data is resolved relative
/// to the model's directory and may not leave it.
ImportResult importONNXFile(llvm::StringRef path, mlir::MLIRContext &context,
                            const ImportOptions &options = {});

/// Imports a model held in memory; `modelPath` names it in diagnostics and
/// anchors external data.
ImportResult importONNXBuffer(llvm::StringRef buffer, bool isText,
                              llvm::StringRef modelPath,
                              mlir::MLIRContext &context,
                              const ImportOptions &options = {});

/// Loads the dialects the importer produces.
void loadImporterDialects(mlir::MLIRContext &context);

} // namespace kiln::importer

#endif // KILN_IMPORTER_ONNX_ONNXIMPORTER_H
