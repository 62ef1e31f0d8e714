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

// -----

// A depthwise tile of 2 rows by 8 columns with stride 2: per row a vector
// accumulator, per tap a broadcast weight, and the 15 input columns of
// the window read as two vectors of 8 (the second from column 7) and
// shuffled to the even ones: 2 x 3 x 3 FMAs.
#config = #kiln.lowering_config<tile_sizes = [array<i64: 1, 0, 0, 1, 0, 0>, array<i64: 0, 2, 8, 0, 0, 0>], vector_sizes = [1, 2, 8, 1, 3, 3]>
func.func @depthwise(%in: tensor<1x4x9x17xf32>, %w: tensor<4x3x3xf32>, %out: tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> {
  %0 = linalg.depthwise_conv_2d_nchw_chw {kiln.lowering_config = #config, dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%in, %w : tensor<1x4x9x17xf32>, tensor<4x3x3xf32>) outs(%out : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  return %0 : tensor<1x4x4x8xf32>
}
// CHECK-LABEL: func.func @depthwise
// CHECK: scf.for
// CHECK: scf.for {{.*}} step %c2
// CHECK-COUNT-2: vector.transfer_read {{.*}} vector<8xf32>
// CHECK: tensor.extract
// CHECK: vector.broadcast {{.*}} : f32 to vector<8xf32>
// CHECK: %[[LOW:.*]] = vector.transfer_read %arg0[%c0, %{{.*}}, %{{.*}}, %c0]{{.*}} vector<8xf32>
// CHECK: %[[HIGH:.*]] = vector.transfer_read %arg0[%c0, %{{.*}}, %{{.*}}, %c7]{{.*}} vector<8xf32>
// CHECK: vector.shuffle %[[LOW]], %[[HIGH]] [0, 2, 4, 6, 9, 11, 13, 15] : vector<8xf32>, vector<8xf32>
// CHECK: vector.fma
// CHECK-COUNT-17: vector.fma
// CHECK-NOT: vector.fma
// CHECK-COUNT-2: vector.transfer_write {{.*}} vector<8xf32>
// CHECK-NOT: linalg.depthwise_conv_2d_nchw_chw

// -----

// An elementwise op in vector tiles, the partial one at the end of a row
// at its own width.
#config = #kiln.lowering_config<tile_sizes = [array<i64: 1, 16>], vector_sizes = [1, 16]>
func.func @elementwise(%a: tensor<3x40xf32>, %b: tensor<40xf32>, %c: tensor<3x40xf32>) -> tensor<3x40xf32> {
  %0 = linalg.generic {kiln.lowering_config = #config, indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%a, %b : tensor<3x40xf32>, tensor<40xf32>) outs(%c : tensor<3x40xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<3x40xf32>
  return %0 : tensor<3x40xf32>
}
// CHECK-LABEL: func.func @elementwise
// CHECK: arith.addf {{.*}} : vector<16xf32>
// CHECK: arith.addf {{.*}} : vector<8xf32>
// CHECK-NOT: linalg.generic

// -----

// A dot product into a rank-0 result (a fuzzed Einsum 'i,i'): it stays a
// scalar generic. As linalg.contract it became a vector.contract with a 0-d
// accumulator, which does not verify.
#vec = affine_map<(d0) -> (d0)>
#scalar = affine_map<(d0) -> ()>
func.func @dot(%a: tensor<1xf64>, %b: tensor<1xf64>, %acc: tensor<f64>) -> tensor<f64> {
  %0 = linalg.generic {indexing_maps = [#vec, #vec, #scalar], iterator_types = ["reduction"]} ins(%a, %b : tensor<1xf64>, tensor<1xf64>) outs(%acc : tensor<f64>) attrs = {lowering_config = #kiln.lowering_config<vector_sizes = [1], parallel_dims = []>} {
  ^bb0(%x: f64, %y: f64, %z: f64):
    %m = arith.mulf %x, %y : f64
    %s = arith.addf %m, %z : f64
    linalg.yield %s : f64
  } -> tensor<f64>
  return %0 : tensor<f64>
}
// CHECK-LABEL: func.func @dot
// CHECK-NOT: vector.contract
// CHECK: linalg.generic

// -----

// A config with vector sizes on an op with i1 operands (from a tuning file,
// say) is not followed: the op stays scalar, since a vector of i1 is
// bit-packed in memory and a tensor of i1 holds a byte per element.
#map_bool = affine_map<(d0, d1) -> (d0, d1)>
#config_bool = #kiln.lowering_config<vector_sizes = [1, 16]>
func.func @to_bool(%x: tensor<1x16xi64>, %init: tensor<1x16xi1>) -> tensor<1x16xi1> {
  %zero = arith.constant 0 : i64
  %0 = linalg.generic {indexing_maps = [#map_bool, #map_bool], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<1x16xi64>) outs(%init : tensor<1x16xi1>) attrs = {kiln.lowering_config = #config_bool} {
  ^bb0(%in: i64, %out: i1):
    %1 = arith.cmpi ne, %in, %zero : i64
    linalg.yield %1 : i1
  } -> tensor<1x16xi1>
  return %0 : tensor<1x16xi1>
}
// CHECK-LABEL: func.func @to_bool
// CHECK-NOT: vector.transfer_write
// CHECK: linalg.generic
