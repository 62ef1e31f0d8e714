// The mechanism alone: an op whose config packs N by 2 becomes an op on
// packed operands. Constant weights are packed here, at compile time, into
// N-panels (each panel's K rows contiguous), whatever their layout; the
// result's pack and unpack are reshapes; and the config is rewritten into
// the packed op's loops.
// RUN: kiln-opt %s --split-input-file --kiln-pack-by-config | FileCheck %s

#config = #kiln.lowering_config<tile_sizes = [array<i64: 0, 4, 0>, array<i64: 2, 2, 1>], vector_sizes = [2, 2, 1], packing = [1, 2, 1]>
func.func @weights(%a: tensor<2x2xf32>) -> tensor<2x4xf32> {
  // B[k][n] = 4k + n.
  %b = arith.constant dense<[[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0]]> : tensor<2x4xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %0 = linalg.matmul {kiln.lowering_config = #config} ins(%a, %b : tensor<2x2xf32>, tensor<2x4xf32>) outs(%c : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
// The packed matmul is a contraction over (m, n/2, k, n%2).
// CHECK-DAG: #[[A_MAP:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2)>
// CHECK-DAG: #[[B_MAP:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d2, d3)>
// CHECK-DAG: #[[C_MAP:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-LABEL: func.func @weights
// CHECK: %[[B:.*]] = arith.constant dense_resource<packed> : tensor<2x2x2xf32>
// CHECK: %[[E:.*]] = tensor.expand_shape {{.*}} {{\[}}[0], [1, 2]] output_shape [2, 2, 2] : tensor<2x4xf32> into tensor<2x2x2xf32>
// CHECK: %[[C:.*]] = linalg.fill {{.*}} outs(%[[E]] : tensor<2x2x2xf32>)
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[A_MAP]], #[[B_MAP]], #[[C_MAP]]], iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
// CHECK-SAME: ins(%{{.*}}, %[[B]] : tensor<2x2xf32>, tensor<2x2x2xf32>) outs(%[[C]] : tensor<2x2x2xf32>)
// CHECK-SAME: kiln.lowering_config = #kiln.lowering_config<tile_sizes = [array<i64: 0, 2, 0, 0>, array<i64: 2, 1, 1, 0>], vector_sizes = [2, 1, 1, 2]>
// CHECK-NOT: linalg.pack
// CHECK: tensor.collapse_shape %[[R]] {{\[}}[0], [1, 2]] : tensor<2x2x2xf32> into tensor<2x4xf32>
// CHECK-NOT: linalg.unpack
// Panel n1 holds columns 2*n1 and 2*n1+1 of every row k: 0 1 4 5 2 3 6 7.
// CHECK: packed: "0x04000000000000000000803F000080400000A04000000040000040400000C0400000E040"

// -----

// Weights stored transposed (N x K, as Gemm's transB) are panels already
// once N is split: no transpose.
#config = #kiln.lowering_config<packing = [1, 2, 1]>
func.func @transposed(%a: tensor<2x2xf32>, %c: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %b = arith.constant dense<[[0.0, 4.0], [1.0, 5.0], [2.0, 6.0], [3.0, 7.0]]> : tensor<4x2xf32>
  %0 = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>] {kiln.lowering_config = #config} ins(%a, %b : tensor<2x2xf32>, tensor<4x2xf32>) outs(%c : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
// CHECK-LABEL: func.func @transposed
// CHECK: arith.constant dense_resource<packed> : tensor<2x2x2xf32>
// CHECK-NOT: linalg.pack
// CHECK: linalg.generic
// CHECK: packed: "0x04000000000000000000803F000080400000A04000000040000040400000C0400000E040"

// -----

// A run-time B is packed at run time, here a reshape: the config packs,
// and only constants move their panels outermost.
#config = #kiln.lowering_config<packing = [1, 2, 1]>
func.func @runtime(%a: tensor<2x2xf32>, %b: tensor<2x4xf32>, %c: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %0 = linalg.matmul {kiln.lowering_config = #config} ins(%a, %b : tensor<2x2xf32>, tensor<2x4xf32>) outs(%c : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
// CHECK-LABEL: func.func @runtime
// CHECK-NOT: linalg.pack
// CHECK: tensor.expand_shape %arg1
// CHECK: linalg.generic
// CHECK-NOT: linalg.unpack
// CHECK: return
