// The mechanism alone: a contraction whose config says
// `strategy = "transposed_output"` becomes the same contraction of its
// inputs in swapped order into a zero-filled result with its last two dims
// swapped (a 49x512 result where there was a 512x49 one), and an
// elementwise op that adds it, transposed back, to the accumulator. Other
// ops are left alone.
// RUN: kiln-opt %s --split-input-file --kiln-transpose-output-by-config | FileCheck %s

#config = #kiln.lowering_config<strategy = "transposed_output">
func.func @transposed(%w: tensor<512x64xf32>, %x: tensor<1x64x49xf32>, %acc: tensor<1x512x49xf32>) -> tensor<1x512x49xf32> {
  %0 = linalg.generic {kiln.lowering_config = #config, indexing_maps = [affine_map<(b, m, n, k) -> (m, k)>, affine_map<(b, m, n, k) -> (b, k, n)>, affine_map<(b, m, n, k) -> (b, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%w, %x : tensor<512x64xf32>, tensor<1x64x49xf32>) outs(%acc : tensor<1x512x49xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %p, %c : f32
    linalg.yield %s : f32
  } -> tensor<1x512x49xf32>
  return %0 : tensor<1x512x49xf32>
}
// CHECK-DAG: #[[LHS:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[RHS:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d1)>
// CHECK-DAG: #[[SWAPPED:.*]] = affine_map<(d0, d1, d2) -> (d0, d2, d1)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @transposed
// CHECK-SAME: (%[[W:.*]]: tensor<512x64xf32>, %[[X:.*]]: tensor<1x64x49xf32>, %[[ACC:.*]]: tensor<1x512x49xf32>)
// CHECK: %[[ZERO:.*]] = linalg.fill {{.*}} -> tensor<1x49x512xf32>
// CHECK: %[[T:.*]] = linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]], {{.*}}} ins(%[[X]], %[[W]] : tensor<1x64x49xf32>, tensor<512x64xf32>) outs(%[[ZERO]] : tensor<1x49x512xf32>)
// CHECK: ^bb0(%[[B:.*]]: f32, %[[A:.*]]: f32, %[[C:.*]]: f32):
// CHECK: arith.mulf %[[A]], %[[B]]
// CHECK: linalg.generic {indexing_maps = [#[[SWAPPED]], #[[ID]]], {{.*}}} ins(%[[T]] : tensor<1x49x512xf32>) outs(%[[ACC]] : tensor<1x512x49xf32>)
// CHECK: arith.addf
// CHECK-NOT: kiln.lowering_config

// -----

#config = #kiln.lowering_config<tile_sizes = [array<i64: 8, 0, 0>]>
func.func @other(%a: tensor<16x8xf32>, %b: tensor<8x16xf32>, %c: tensor<16x16xf32>) -> tensor<16x16xf32> {
  %0 = linalg.matmul {kiln.lowering_config = #config} ins(%a, %b : tensor<16x8xf32>, tensor<8x16xf32>) outs(%c : tensor<16x16xf32>) -> tensor<16x16xf32>
  return %0 : tensor<16x16xf32>
}
// CHECK-LABEL: func.func @other
// CHECK-NEXT: linalg.matmul
