//===- GraphImporter.h - an ONNX graph into a func.func ---------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_IMPORTER_ONNX_GRAPHIMPORTER_H
#define KILN_LIB_IMPORTER_ONNX_GRAPHIMPORTER_H

#include "TensorImporter.h"
#include "kiln/Importer/ONNX/ONNXImporter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

namespace kiln::importer {

/// Imports one ONNX graph as a function of onnx ops. Checks the graph's
/// structure (every input produced, no cycles, unique names) and reports
/// every unsupported op, opset and attribute before building anything.
class GraphImporter {
public:
  GraphImporter(mlir::MLIRContext *ctx, ImportDiagnostics &diags,
                TensorImporter &tensors, llvm::StringRef fileName,
                const llvm::StringMap<int64_t> &opsets,
                const ImportOptions &options)
      : ctx(ctx), diags(diags), tensors(tensors), fileName(fileName),
        opsets(opsets), options(options) {}

  mlir::FailureOr<mlir::func::FuncOp> import(::onnx::GraphProto &graph,
                                             mlir::OpBuilder &builder,
                                             llvm::StringRef funcName);

private:
  mlir::Location valueLoc(llvm::StringRef name);
  mlir::Location nodeLoc(const ::onnx::NodeProto &node, int index);
  std::string nodeLabel(const ::onnx::NodeProto &node, int index);

  /// A graph input's declared type after --input-shape, --dim and
  /// --force-dynamic; clears the names of dims made static.
  mlir::FailureOr<mlir::Type>
  adjustInputType(llvm::StringRef name, mlir::Type type,
                  llvm::SmallVectorImpl<std::string> &params);
  mlir::LogicalResult collectDeclaredTypes(const ::onnx::GraphProto &graph);
  mlir::LogicalResult sortNodes(const ::onnx::GraphProto &graph,
                                llvm::SmallVectorImpl<int> &order);
  mlir::LogicalResult checkSupport(const ::onnx::GraphProto &graph);
  mlir::LogicalResult importNode(::onnx::NodeProto &node, int index,
                                 mlir::OpBuilder &builder);
  mlir::LogicalResult checkInherentAttributes(mlir::Operation *op,
                                              mlir::Location loc,
                                              llvm::StringRef label);
  mlir::FailureOr<mlir::Operation *>
  buildInferred(mlir::OpBuilder &builder, mlir::Location loc,
                llvm::StringRef label, mlir::OperationName name,
                mlir::ValueRange operands, const mlir::NamedAttrList &attrs,
                llvm::ArrayRef<std::string> outputNames);

  mlir::MLIRContext *ctx;
  ImportDiagnostics &diags;
  TensorImporter &tensors;
  std::string fileName;
  const llvm::StringMap<int64_t> &opsets;
  const ImportOptions &options;
  /// SSA values by ONNX name.
  llvm::StringMap<mlir::Value> values;
  /// The --dim NAME=N that some graph input dim is named.
  llvm::StringSet<> usedFixedDims;
  /// Types declared in graph inputs, outputs and value_info.
  llvm::StringMap<mlir::Type> declared;
  /// Symbolic dim names per graph input/output.
  llvm::StringMap<llvm::SmallVector<std::string>> dimParams;
  mlir::Value noValue;
};

} // namespace kiln::importer

#endif // KILN_LIB_IMPORTER_ONNX_GRAPHIMPORTER_H
