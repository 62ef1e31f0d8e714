//===- ONNXShapeHelpers.h - shape inference building blocks -----*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Helpers shared by the onnx ops' shape inference and verifiers. Every helper
// that can meet inconsistent input emits an error on the op and fails; none
// asserts on user-reachable input.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_ONNX_IR_ONNXSHAPEHELPERS_H
#define KILN_DIALECT_ONNX_IR_ONNXSHAPEHELPERS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Support/LLVM.h"

#include <optional>

namespace kiln::onnx {

/// A ranked tensor type, or an unranked one when `shape` is absent; `none`
/// when `elementType` (non-null) cannot be a tensor element.
mlir::Type makeTensorType(std::optional<llvm::ArrayRef<int64_t>> shape,
                          mlir::Type elementType);

/// Convenience forms: a ranked type from dims, or from dims that may be
/// unknown (unranked).
inline mlir::Type makeTensorType(llvm::ArrayRef<int64_t> shape,
                                 mlir::Type elementType) {
  return makeTensorType(std::optional<llvm::ArrayRef<int64_t>>(shape),
                        elementType);
}
inline mlir::Type makeTensorType(std::nullopt_t, mlir::Type elementType) {
  return makeTensorType(std::optional<llvm::ArrayRef<int64_t>>(), elementType);
}
inline mlir::Type
makeTensorType(const std::optional<llvm::SmallVector<int64_t>> &shape,
               mlir::Type elementType) {
  return shape ? makeTensorType(llvm::ArrayRef<int64_t>(*shape), elementType)
               : makeTensorType(std::optional<llvm::ArrayRef<int64_t>>(),
                                elementType);
}

inline bool isDynamicDim(int64_t dim) {
  return mlir::ShapedType::isDynamic(dim);
}

/// The dims of `type` when it is a ranked tensor.
std::optional<llvm::SmallVector<int64_t>> getTensorShape(mlir::Type type);

/// Maps `axis` from [-rank, rank) into [0, rank), or emits an error.
mlir::FailureOr<int64_t> normalizeAxis(mlir::Operation *op, int64_t axis,
                                       int64_t rank,
                                       llvm::StringRef what = "axis");

/// ONNX multidirectional (numpy) broadcasting of `shapes`, or an error.
mlir::FailureOr<llvm::SmallVector<int64_t>>
broadcastShapes(mlir::Operation *op,
                llvm::ArrayRef<llvm::SmallVector<int64_t>> shapes);

/// The integer values of `value` when it is produced by a constant.
std::optional<llvm::SmallVector<int64_t>> getConstantInts(mlir::Value value);

/// The integers of an i64 array attribute.
llvm::SmallVector<int64_t> getI64s(mlir::ArrayAttr attr);

/// True for the value of an absent optional input.
inline bool isNoValue(mlir::Value value) {
  return llvm::isa<mlir::NoneType>(value.getType());
}

/// Result 0 has the type of operand `index`; other results keep `none`.
mlir::LogicalResult
inferSameAsOperand(mlir::Operation *op, unsigned index,
                   llvm::SmallVectorImpl<mlir::Type> &inferred);

/// Broadcast of the first `numOperands` operands (all by default);
/// `elementType` defaults to operand 0's.
mlir::LogicalResult inferBroadcast(mlir::Operation *op, mlir::Type elementType,
                                   llvm::SmallVectorImpl<mlir::Type> &inferred,
                                   unsigned numOperands = ~0u);

/// GlobalAveragePool / GlobalMaxPool: spatial dims become 1.
mlir::LogicalResult
inferGlobalPool(mlir::Operation *op,
                llvm::SmallVectorImpl<mlir::Type> &inferred);

/// The Reduce* family in its opset-18 form.
mlir::LogicalResult inferReduction(mlir::Operation *op, mlir::Value data,
                                   mlir::Value axes, bool keepDims,
                                   bool noopWithEmptyAxes,
                                   llvm::SmallVectorImpl<mlir::Type> &inferred);

/// Whether `actual` can be refined to `inferred`: same element type, same
/// rank when both are ranked, and no two static dims that differ.
bool areCompatibleTypes(mlir::Type actual, mlir::Type inferred);

/// The most precise type that both `a` and `b` describe (they must be
/// compatible).
mlir::Type refineType(mlir::Type a, mlir::Type b);

/// The ShapeInferenceOpInterface verifier: result types must agree with the
/// inferred ones.
mlir::LogicalResult verifyInferredResultTypes(mlir::Operation *op);

} // namespace kiln::onnx

#endif // KILN_DIALECT_ONNX_IR_ONNXSHAPEHELPERS_H
