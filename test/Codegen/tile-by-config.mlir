// The mechanism alone: each level of the config tiles the op the level
// before made; a loop whose step does not divide its range is peeled into
// whole tiles, which keep the register tile's static shape, and one
// partial tile.
// RUN: kiln-opt %s --kiln-tile-by-config --canonicalize | FileCheck %s

#config = #kiln.lowering_config<tile_sizes = [array<i64: 8, 0, 0>, array<i64: 4, 32, 1>], vector_sizes = [4, 32, 1]>
func.func @partial(%a: tensor<10x16xf32>, %b: tensor<16x40xf32>, %c: tensor<10x40xf32>) -> tensor<10x40xf32> {
  %0 = linalg.matmul {kiln.lowering_config = #config} ins(%a, %b : tensor<10x16xf32>, tensor<16x40xf32>) outs(%c : tensor<10x40xf32>) -> tensor<10x40xf32>
  return %0 : tensor<10x40xf32>
}
// CHECK-LABEL: func.func @partial
// CHECK-NOT: affine.min
// Rows 0-7 (level 0) in tiles of 4 rows: 32 columns whole, then 8.
// CHECK: scf.for {{.*}} = %c0 to %c8 step %c4
// CHECK: scf.for {{.*}} = %c0 to %c16 step %c1
// CHECK: linalg.matmul {{.*}} outs({{.*}} : tensor<4x32xf32>)
// CHECK: scf.for {{.*}} = %c0 to %c16 step %c1
// CHECK: linalg.matmul {{.*}} outs({{.*}} : tensor<4x8xf32>)
// Rows 8-9: the partial tile of level 0.
// CHECK: linalg.matmul {{.*}} outs({{.*}} : tensor<2x32xf32>)
// CHECK: linalg.matmul {{.*}} outs({{.*}} : tensor<2x8xf32>)
// CHECK-NOT: linalg.matmul
