// A transpose of constant weights (Gemm's transB) is done at compile time:
// the constant in its new layout. A transpose of anything else stays.
// RUN: kiln-opt %s --kiln-fold-constant-transposes | FileCheck %s

// CHECK-LABEL: func.func @weights
// CHECK-NOT: linalg.transpose
// CHECK: %[[W:.*]] = arith.constant dense_resource<transposed> : tensor<3x2xf32>
// CHECK: linalg.matmul ins(%arg0, %[[W]] : tensor<4x3xf32>, tensor<3x2xf32>)
func.func @weights(%a: tensor<4x3xf32>, %c: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %w = arith.constant dense<[[4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]> : tensor<2x3xf32>
  %e = tensor.empty() : tensor<3x2xf32>
  %t = linalg.transpose ins(%w : tensor<2x3xf32>) outs(%e : tensor<3x2xf32>) permutation = [1, 0]
  %0 = linalg.matmul ins(%a, %t : tensor<4x3xf32>, tensor<3x2xf32>) outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// CHECK-LABEL: func.func @argument
// CHECK: linalg.transpose ins(%arg0 : tensor<2x3xf32>)
func.func @argument(%w: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %e = tensor.empty() : tensor<3x2xf32>
  %t = linalg.transpose ins(%w : tensor<2x3xf32>) outs(%e : tensor<3x2xf32>) permutation = [1, 0]
  return %t : tensor<3x2xf32>
}

// A dynamic shape is no constant's: the transpose stays (and the pattern
// computes no strides from dynamic sizes).
// CHECK-LABEL: func.func @dynamic
// CHECK: linalg.transpose ins(%arg0 : tensor<?x3xf32>)
func.func @dynamic(%w: tensor<?x3xf32>, %e: tensor<3x?xf32>) -> tensor<3x?xf32> {
  %t = linalg.transpose ins(%w : tensor<?x3xf32>) outs(%e : tensor<3x?xf32>) permutation = [1, 0]
  return %t : tensor<3x?xf32>
}

// The resources follow the functions: 4, 7, 5, 8, 6, 9.
// CHECK: transposed: "0x04000000000080400000E0400000A040000000410000C04000001041"
