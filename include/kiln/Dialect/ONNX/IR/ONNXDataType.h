//===- ONNXDataType.h - ONNX TensorProto data types in MLIR -----*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_ONNX_IR_ONNXDATATYPE_H
#define KILN_DIALECT_ONNX_IR_ONNXDATATYPE_H

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Types.h"

#include <optional>

namespace kiln::onnx {

/// The element type for an ONNX `TensorProto.DataType` value, or null for a
/// type kiln does not carry (string, complex, undefined, unknown values).
mlir::Type convertONNXDataType(mlir::MLIRContext *ctx, int64_t dataType);

/// The `TensorProto.DataType` value of an element type, the inverse of
/// convertONNXDataType; nullopt for a type ONNX has no number for.
std::optional<int64_t> getONNXDataType(mlir::Type type);

/// The ONNX name of a data type value ("FLOAT", "INT64", ...).
llvm::StringRef getONNXDataTypeName(int64_t dataType);

} // namespace kiln::onnx

#endif // KILN_DIALECT_ONNX_IR_ONNXDATATYPE_H
