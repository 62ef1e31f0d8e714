// RUN: kiln-opt %s --convert-onnx-to-linalg --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[A:[^:]*]]: tensor<?x3xf32>, %[[B:[^:]*]]: tensor<3x4xf32>)
func.func @matmul(%a: tensor<?x3xf32>, %b: tensor<3x4xf32>) -> tensor<?x4xf32> {
  // CHECK: %[[N:.*]] = tensor.dim %[[A]], %{{.*}} : tensor<?x3xf32>
  // CHECK: %[[E:.*]] = tensor.empty(%[[N]]) : tensor<?x4xf32>
  // CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
  // CHECK: %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E]] : tensor<?x4xf32>)
  // CHECK: %[[Y:.*]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<?x3xf32>, tensor<3x4xf32>) outs(%[[ACC]] : tensor<?x4xf32>)
  // CHECK: return %[[Y]]
  %0 = onnx.MatMul(%a, %b) : (tensor<?x3xf32>, tensor<3x4xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// CHECK-LABEL: func.func @batch_matmul
// CHECK-SAME: (%[[A:[^:]*]]: tensor<2x5x3xf32>, %[[B:[^:]*]]: tensor<2x3x4xf32>)
func.func @batch_matmul(%a: tensor<2x5x3xf32>, %b: tensor<2x3x4xf32>) -> tensor<2x5x4xf32> {
  // CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
  // CHECK: %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<2x5x4xf32>)
  // CHECK: %[[Y:.*]] = linalg.batch_matmul ins(%[[A]], %[[B]] : tensor<2x5x3xf32>, tensor<2x3x4xf32>) outs(%[[ACC]] : tensor<2x5x4xf32>)
  // CHECK: return %[[Y]]
  %0 = onnx.MatMul(%a, %b) : (tensor<2x5x3xf32>, tensor<2x3x4xf32>) -> tensor<2x5x4xf32>
  return %0 : tensor<2x5x4xf32>
}

// -----

// Gemm with transA and transB: Y = alpha * (A^T B^T) + beta * C, C (of shape
// 4) broadcast along the rows. alpha = 0.5 must scale the product and
// beta = 2.0 the bias, not the other way round.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @gemm
// CHECK-SAME: (%[[A:[^:]*]]: tensor<3x2xf32>, %[[B:[^:]*]]: tensor<4x3xf32>, %[[C:[^:]*]]: tensor<4xf32>)
func.func @gemm(%a: tensor<3x2xf32>, %b: tensor<4x3xf32>, %c: tensor<4xf32>) -> tensor<2x4xf32> {
  // CHECK: %[[AT:.*]] = linalg.transpose ins(%[[A]] : tensor<3x2xf32>) outs(%{{.*}} : tensor<2x3xf32>) permutation = [1, 0]
  // CHECK: %[[BT:.*]] = linalg.transpose ins(%[[B]] : tensor<4x3xf32>) outs(%{{.*}} : tensor<3x4xf32>) permutation = [1, 0]
  // CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
  // CHECK: %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<2x4xf32>)
  // CHECK: %[[AB:.*]] = linalg.matmul ins(%[[AT]], %[[BT]] : tensor<2x3xf32>, tensor<3x4xf32>) outs(%[[ACC]] : tensor<2x4xf32>)
  // CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
  // CHECK-SAME: ins(%[[AB]], %[[C]] : tensor<2x4xf32>, tensor<4xf32>)
  // CHECK-NEXT: ^bb0(%[[PROD:[^:]*]]: f32, %[[BIAS:[^:]*]]: f32, %{{[^:]*}}: f32):
  // CHECK-DAG: %[[ALPHA:.*]] = arith.constant 5.000000e-01 : f32
  // CHECK-DAG: %[[BETA:.*]] = arith.constant 2.000000e+00 : f32
  // CHECK-DAG: %[[SP:.*]] = arith.mulf %[[PROD]], %[[ALPHA]] : f32
  // CHECK-DAG: %[[SC:.*]] = arith.mulf %[[BIAS]], %[[BETA]] : f32
  // CHECK: %[[SUM:.*]] = arith.addf %[[SP]], %[[SC]] : f32
  // CHECK-NEXT: linalg.yield %[[SUM]] : f32
  // CHECK: return %[[Y]]
  %0 = onnx.Gemm(%a, %b, %c) {alpha = 0.5 : f32, beta = 2.0 : f32, transA = 1 : i64, transB = 1 : i64} : (tensor<3x2xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Einsum: one generic whose loops are the subscripts; k, missing from the
// output, is a reduction, and the batch dim b is parallel.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-LABEL: func.func @einsum_batch_matmul
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3x4xf32>, %[[W:[^:]*]]: tensor<2x4x5xf32>)
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<2x3x5xf32>)
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
// CHECK-SAME: ins(%[[X]], %[[W]] : tensor<2x3x4xf32>, tensor<2x4x5xf32>) outs(%[[ACC]] : tensor<2x3x5xf32>)
// CHECK-NEXT: ^bb0(%[[XV:[^:]*]]: f32, %[[WV:[^:]*]]: f32, %[[OUT:[^:]*]]: f32):
// CHECK-NEXT: %[[M:.*]] = arith.mulf %[[XV]], %[[WV]] : f32
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[M]], %[[OUT]] : f32
// CHECK-NEXT: linalg.yield %[[S]] : f32
// CHECK: return %[[Y]]
func.func @einsum_batch_matmul(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>) -> tensor<2x3x5xf32> {
  %0 = onnx.Einsum(%a, %b) {equation = "bik,bkj->bij"} : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// A repeated subscript reads the diagonal; the ellipsis comes first.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1) -> (d0, d1, d1)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @einsum_diagonal
// CHECK-SAME: (%[[X:[^:]*]]: tensor<3x5x5xf32>)
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<3x5xf32>)
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[X]] : tensor<3x5x5xf32>) outs(%[[ACC]] : tensor<3x5xf32>)
// CHECK: return %[[Y]]
func.func @einsum_diagonal(%a: tensor<3x5x5xf32>) -> tensor<3x5xf32> {
  %0 = onnx.Einsum(%a) {equation = "...ii->...i"} : (tensor<3x5x5xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

// MatMulInteger in the kernel's form (u8 x s8, no zero points): a
// contraction generic that widens A unsigned and B signed to i32.
// CHECK-LABEL: func.func @matmul_integer_kernel(
// CHECK: %[[ACC:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%{{.*}} : tensor<6x3xi32>)
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<6x4xi8>, tensor<4x3xi8>) outs(%[[ACC]] : tensor<6x3xi32>)
// CHECK: ^bb0(%[[X:.*]]: i8, %[[W:.*]]: i8, %[[O:.*]]: i32):
// CHECK: %[[XE:.*]] = arith.extui %[[X]] : i8 to i32
// CHECK: %[[WE:.*]] = arith.extsi %[[W]] : i8 to i32
// CHECK: %[[P:.*]] = arith.muli %[[XE]], %[[WE]] : i32
// CHECK: %[[S:.*]] = arith.addi %[[P]], %[[O]] : i32
// CHECK: tensor.expand_shape {{.*}} : tensor<6x3xi32> into tensor<2x3x3xi32>
func.func @matmul_integer_kernel(%a: tensor<2x3x4xui8>, %b: tensor<4x3xi8>) -> tensor<2x3x3xi32> {
  %none = onnx.NoValue : none
  %y = onnx.MatMulInteger(%a, %b, %none, %none) : (tensor<2x3x4xui8>, tensor<4x3xi8>, none, none) -> tensor<2x3x3xi32>
  return %y : tensor<2x3x3xi32>
}
