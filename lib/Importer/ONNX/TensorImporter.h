//===- TensorImporter.h - ONNX tensors and types into MLIR ------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_IMPORTER_ONNX_TENSORIMPORTER_H
#define KILN_LIB_IMPORTER_ONNX_TENSORIMPORTER_H

#include "ImportDiagnostics.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"

#include "onnx/onnx_pb.h"

#include <string>

namespace kiln::importer {

/// Largest dim and element count kiln accepts (2^40): anything larger is an
/// "absurd" dim in a malformed model.
constexpr int64_t kMaxDim = int64_t(1) << 40;

/// Converts ONNX tensors to attributes. Large initializers become dense
/// resources that take over the protobuf's buffer or map the external file,
/// so weights are not copied.
class TensorImporter {
public:
  TensorImporter(mlir::MLIRContext *ctx, ImportDiagnostics &diags,
                 std::string modelDir, size_t resourceThreshold)
      : ctx(ctx), diags(diags), modelDir(std::move(modelDir)),
        resourceThreshold(resourceThreshold) {}

  /// The element type for an ONNX data type, or an "unsupported" error that
  /// names `what` (the value or node).
  mlir::FailureOr<mlir::Type>
  importElementType(int32_t dataType, mlir::Location loc, llvm::StringRef what);

  /// A tensor type from a value's TypeProto. Dims given by `dim_param`
  /// become dynamic and their names are appended to `dimParams` ("" for other
  /// dims) when it is non-null.
  mlir::FailureOr<mlir::Type>
  importType(const ::onnx::TypeProto &type, mlir::Location loc,
             llvm::StringRef what,
             llvm::SmallVectorImpl<std::string> *dimParams = nullptr);

  /// The value of a tensor (initializer or attribute). May move the raw data
  /// out of `tensor`.
  mlir::FailureOr<mlir::ElementsAttr> importTensor(::onnx::TensorProto &tensor,
                                                   mlir::Location loc,
                                                   llvm::StringRef what);

private:
  mlir::FailureOr<llvm::SmallVector<int64_t>>
  importDims(const ::onnx::TensorProto &tensor, mlir::Location loc,
             llvm::StringRef what);
  mlir::FailureOr<mlir::ElementsAttr>
  importExternal(::onnx::TensorProto &tensor, mlir::RankedTensorType type,
                 size_t byteSize, mlir::Location loc, llvm::StringRef what);
  mlir::FailureOr<mlir::ElementsAttr>
  importTypedFields(const ::onnx::TensorProto &tensor,
                    mlir::RankedTensorType type, mlir::Location loc,
                    llvm::StringRef what);
  mlir::ElementsAttr makeAttr(mlir::RankedTensorType type,
                              llvm::ArrayRef<char> bytes,
                              std::function<void()> release,
                              llvm::StringRef name);

  mlir::MLIRContext *ctx;
  ImportDiagnostics &diags;
  std::string modelDir;
  size_t resourceThreshold;
};

} // namespace kiln::importer

#endif // KILN_LIB_IMPORTER_ONNX_TENSORIMPORTER_H
