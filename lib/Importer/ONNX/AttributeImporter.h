//===- AttributeImporter.h - ONNX attributes into MLIR ----------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_IMPORTER_ONNX_ATTRIBUTEIMPORTER_H
#define KILN_LIB_IMPORTER_ONNX_ATTRIBUTEIMPORTER_H

#include "TensorImporter.h"

#include "mlir/IR/OperationSupport.h"

namespace kiln::importer {

/// Converts a node's attributes by their ONNX kind: INT -> i64 IntegerAttr,
/// FLOAT -> f32 FloatAttr, STRING -> StringAttr, INTS/FLOATS/STRINGS ->
/// ArrayAttr, TENSOR -> ElementsAttr. The op's ODS constraints then check that
/// each has the kind the operator expects. Constant's value_* forms are
/// normalised to `value`.
mlir::LogicalResult
importAttributes(::onnx::NodeProto &node, mlir::Location loc,
                 llvm::StringRef nodeLabel, TensorImporter &tensors,
                 ImportDiagnostics &diags, mlir::NamedAttrList &attrs);

} // namespace kiln::importer

#endif // KILN_LIB_IMPORTER_ONNX_ATTRIBUTEIMPORTER_H
