// RUN: kiln-opt %s --kiln-distinct-results | FileCheck %s
// RUN: kiln-opt %s --kiln-bufferize-pipeline | FileCheck %s --check-prefix=BUF

// A value returned twice gets a copy for the second result.
// CHECK-LABEL: func.func @twice(
// CHECK: %[[F:.*]] = linalg.fill
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2xf32>
// CHECK: %[[C:.*]] = linalg.copy ins(%[[F]] : tensor<2xf32>) outs(%[[E]] : tensor<2xf32>)
// CHECK: return %[[F]], %[[C]]
// Each output is written in place into its own out-param.
// BUF: func.func @twice(%{{.*}}: memref<2xf32>, %{{.*}}: memref<0xi8> {kiln.workspace}, %[[A:.*]]: memref<2xf32>, %[[B:.*]]: memref<2xf32>)
// BUF: linalg.fill ins(%{{.*}} : f32) outs(%[[A]] : memref<2xf32>)
// BUF: linalg.copy ins(%[[A]] : memref<2xf32>) outs(%[[B]] : memref<2xf32>)
func.func @twice(%a: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %e = tensor.empty() : tensor<2xf32>
  %c = arith.constant 1.0 : f32
  %f = linalg.fill ins(%c : f32) outs(%e : tensor<2xf32>) -> tensor<2xf32>
  return %f, %f : tensor<2xf32>, tensor<2xf32>
}
