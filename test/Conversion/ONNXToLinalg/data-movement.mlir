// RUN: kiln-opt %s --convert-onnx-to-linalg --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @reshape_transpose
func.func @reshape_transpose(%x: tensor<2x3x4xf32>) -> tensor<12x2xf32> {
  // CHECK: %[[SHAPE:.*]] = arith.constant dense<[2, 12]> : tensor<2xindex>
  // CHECK: %[[R:.*]] = tensor.reshape %{{.*}}(%[[SHAPE]])
  %s = onnx.Constant() {value = dense<[2, -1]> : tensor<2xi64>} : () -> tensor<2xi64>
  %0 = onnx.Reshape(%x, %s) : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x12xf32>
  // CHECK: linalg.transpose ins(%[[R]] : tensor<2x12xf32>) outs(%{{.*}} : tensor<12x2xf32>) permutation = [1, 0]
  %1 = onnx.Transpose(%0) : (tensor<2x12xf32>) -> tensor<12x2xf32>
  return %1 : tensor<12x2xf32>
}
