// The mechanism alone: a matmul with a two-level config is tiled to its
// register tile, vectorized, its accumulator hoisted out of the K loop, and
// its vector.contract lowered to one outer product (a row of broadcast
// FMAs) per K step: fused multiply-adds of a broadcast A element and a
// row of B.
// RUN: kiln-opt %s --split-input-file --kiln-tile-by-config --canonicalize --kiln-vectorize-by-config | FileCheck %s

#config = #kiln.lowering_config<tile_sizes = [array<i64: 0, 0, 64>, array<i64: 4, 32, 1>], vector_sizes = [4, 32, 1]>
func.func @matmul(%a: tensor<8x128xf32>, %b: tensor<128x64xf32>, %c: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %0 = linalg.matmul {kiln.lowering_config = #config} ins(%a, %b : tensor<8x128xf32>, tensor<128x64xf32>) outs(%c : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %0 : tensor<8x64xf32>
}
// CHECK-LABEL: func.func @matmul
// K in steps of 64, then rows of 4, columns of 32, and the K loop of the
// register tile, whose accumulator is a loop-carried vector: per K step a
// row of B, and a broadcast element of A times it added to each row.
// CHECK: scf.for {{.*}} step %c64
// CHECK: scf.for {{.*}} step %c4
// CHECK: scf.for {{.*}} step %c32
// CHECK: %[[ACC:.*]] = vector.transfer_read {{.*}} vector<4x32xf32>
// CHECK: scf.for {{.*}} iter_args({{.*}}, %[[ARG:.*]] = %[[ACC]]) -> (tensor<8x64xf32>, vector<4x32xf32>)
// CHECK-NOT: vector.contract
// CHECK: %[[B:.*]] = vector.transfer_read %arg1{{.*}} vector<32xf32>
// CHECK-COUNT-4: vector.fma %{{.*}}, %[[B]], %{{.*}} : vector<32xf32>
// CHECK: scf.yield {{.*}} : tensor<8x64xf32>, vector<4x32xf32>
// CHECK: vector.transfer_write {{.*}} : vector<4x32xf32>, tensor<8x64xf32>

// -----

// An op whose tile is not its vector shape stays scalar.
#config = #kiln.lowering_config<tile_sizes = [array<i64: 4, 0, 0>], vector_sizes = [4, 32, 1]>
func.func @untouched(%a: tensor<8x128xf32>, %b: tensor<128x64xf32>, %c: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %0 = linalg.matmul {kiln.lowering_config = #config} ins(%a, %b : tensor<8x128xf32>, tensor<128x64xf32>) outs(%c : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %0 : tensor<8x64xf32>
}
// CHECK-LABEL: func.func @untouched
// CHECK-NOT: vector.
// CHECK: linalg.matmul {{.*}} -> tensor<4x64xf32>
