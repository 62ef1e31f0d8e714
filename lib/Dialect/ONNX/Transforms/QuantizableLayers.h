//===- QuantizableLayers.h - layers the int8 kernels can take ---*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Calibration probes, the precision policy and the quantize mechanism all
// see the same layers: f32 Conv (static, 2-D, ungrouped), MatMul and Gemm
// whose weights are constants, in program order, keyed by their ONNX node.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_DIALECT_ONNX_TRANSFORMS_QUANTIZABLELAYERS_H
#define KILN_LIB_DIALECT_ONNX_TRANSFORMS_QUANTIZABLELAYERS_H

#include "kiln/Dialect/Kiln/IR/KilnDialect.h"
#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <optional>
#include <vector>

namespace kiln::onnx {

/// Attributes of the precision decisions (`onnx-select-precision`).
inline constexpr llvm::StringLiteral kPrecisionAttrName =
    KilnDialect::kPrecisionAttrName;
inline constexpr llvm::StringLiteral kActivationRangeAttrName =
    KilnDialect::kActivationRangeAttrName;
inline constexpr llvm::StringLiteral kBlockSizeAttrName =
    KilnDialect::kBlockSizeAttrName;

struct QuantizableLayer {
  mlir::Operation *op;
  mlir::Value activation, weights;
};

/// The layer `op` is, if the int8 kernels can take it.
std::optional<QuantizableLayer> getQuantizableLayer(mlir::Operation *op);

/// The quantizable layers of `func`, in program order.
std::vector<QuantizableLayer> findQuantizableLayers(mlir::func::FuncOp func);

/// The layer `op` is, if its weights can be int4: a MatMul or Gemm with
/// constant weights (getQuantizableLayer's), or a Gather (axis 0) from a
/// constant f32 table (the weights; the indices as the activation).
std::optional<QuantizableLayer> getInt4Layer(mlir::Operation *op);

/// Rewrites `op`, an int4 layer, to read its weights as int4 codes packed
/// two to a byte with an f32 scale per `block` (QuantizeInt4.cpp); false
/// if it stays as it is.
bool quantizeWeightsInt4(mlir::Operation *op, int64_t block);

/// Weights quantized symmetric int8 per slice along one dim.
struct QuantizedWeights {
  std::vector<int8_t> values;
  std::vector<float> scales;
  /// Value i has scale scales[(i / inner) % scales.size()].
  int64_t inner = 1;
};

/// `w` (row-major, `shape`) quantized symmetric int8 per slice along
/// `dim`, each slice's scale its largest |w| over 127.
QuantizedWeights quantizePerChannel(llvm::ArrayRef<float> w,
                                    llvm::ArrayRef<int64_t> shape, int64_t dim);

/// The key of a layer in a calibration table: its ONNX node's name.
std::string getLayerKey(mlir::Operation *op);

/// A rows x cols matrix (row-major) transposed.
std::vector<float> transposeMatrix(llvm::ArrayRef<float> w, int64_t rows,
                                   int64_t cols);

/// The values of an f32 constant, row-major; none if `v` is not one.
std::optional<std::vector<float>> readFloatConstant(mlir::Value v);

} // namespace kiln::onnx

#endif // KILN_LIB_DIALECT_ONNX_TRANSFORMS_QUANTIZABLELAYERS_H
