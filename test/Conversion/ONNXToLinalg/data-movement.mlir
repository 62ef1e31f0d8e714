// RUN: kiln-opt %s --convert-onnx-to-linalg --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @reshape_transpose
func.func @reshape_transpose(%x: tensor<?x3x4xf32>) -> tensor<12x?xf32> {
  // Collapsing contiguous dims keeps dynamic dims.
  // CHECK: %[[C:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2]] : tensor<?x3x4xf32> into tensor<?x12xf32>
  %s = onnx.Constant() {value = dense<[0, -1]> : tensor<2xi64>} : () -> tensor<2xi64>
  %0 = onnx.Reshape(%x, %s) : (tensor<?x3x4xf32>, tensor<2xi64>) -> tensor<?x12xf32>
  // CHECK: %[[D:.*]] = tensor.dim %[[C]], %{{.*}} : tensor<?x12xf32>
  // CHECK: %[[E:.*]] = tensor.empty(%[[D]]) : tensor<12x?xf32>
  // CHECK: linalg.transpose ins(%[[C]] : tensor<?x12xf32>) outs(%[[E]] : tensor<12x?xf32>) permutation = [1, 0]
  %1 = onnx.Transpose(%0) : (tensor<?x12xf32>) -> tensor<12x?xf32>
  return %1 : tensor<12x?xf32>
}

// -----

// CHECK-LABEL: func.func @static_reshape
func.func @static_reshape(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  // CHECK: %[[SHAPE:.*]] = arith.constant dense<[4, 6]> : tensor<2xindex>
  // CHECK: tensor.reshape %{{.*}}(%[[SHAPE]]) : (tensor<2x3x4xf32>, tensor<2xindex>) -> tensor<4x6xf32>
  %s = onnx.Constant() {value = dense<[4, 6]> : tensor<2xi64>} : () -> tensor<2xi64>
  %0 = onnx.Reshape(%x, %s) : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}
