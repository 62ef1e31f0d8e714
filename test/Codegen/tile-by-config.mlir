// The mechanism alone: each level of the config tiles the op the level
// before made; a loop whose step does not divide its range is peeled into
// whole tiles, which keep the register tile's static shape, and one
// partial tile.
// RUN: kiln-opt %s --split-input-file --kiln-tile-by-config --canonicalize | FileCheck %s

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

// -----

// A pad the op reads is fused into the loops of the first level: each
// channel plane is padded in its own iteration (only as far as the
// stride-2 window reaches), and no padded copy of the whole input is left.
#config = #kiln.lowering_config<tile_sizes = [array<i64: 1, 0, 0, 1, 0, 0>, array<i64: 0, 7, 16, 0, 0, 0>], vector_sizes = [1, 7, 16, 1, 3, 3]>
func.func @fused_pad(%in: tensor<1x4x56x56xf32>, %w: tensor<4x3x3xf32>, %acc: tensor<1x4x28x28xf32>) -> tensor<1x4x28x28xf32> {
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %in low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x4x56x56xf32> to tensor<1x4x58x58xf32>
  %0 = linalg.depthwise_conv_2d_nchw_chw {kiln.lowering_config = #config, dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%padded, %w : tensor<1x4x58x58xf32>, tensor<4x3x3xf32>) outs(%acc : tensor<1x4x28x28xf32>) -> tensor<1x4x28x28xf32>
  return %0 : tensor<1x4x28x28xf32>
}
// CHECK-LABEL: func.func @fused_pad
// CHECK-NOT: tensor.pad
// CHECK: scf.for {{.*}} = %c0 to %c4 step %c1
// CHECK: %[[PLANE:.*]] = tensor.extract_slice %arg0[0, %{{.*}}, 0, 0] [1, 1, 56, 56]
// CHECK: tensor.pad %[[PLANE]] low[0, 0, 1, 1] high[0, 0, 0, 0]
// CHECK: scf.for {{.*}} = %c0 to %c28 step %c7
// CHECK: linalg.depthwise_conv_2d_nchw_chw {{.*}} outs({{.*}} : tensor<1x1x7x16xf32>)
// CHECK: linalg.depthwise_conv_2d_nchw_chw {{.*}} outs({{.*}} : tensor<1x1x7x12xf32>)

// -----

// An untiled linalg producer (its config has no tile sizes) whose slices
// the first level's loops each read once is computed in those loops, a
// tile at a time, into a tile-sized tensor.empty: here the panels of B,
// one per iteration of the panel loop. A producer whose slice every tile
// reads again (A, read by each panel) is left whole.
#copy = #kiln.lowering_config<parallel_dims = [0, 1, 2]>
#config = #kiln.lowering_config<tile_sizes = [array<i64: 0, 1, 0, 0>]>
func.func @fused_producer(%a: tensor<8x16xf32>, %b: tensor<4x16x32xf32>, %c: tensor<8x4x32xf32>) -> tensor<8x4x32xf32> {
  %ea = tensor.empty() : tensor<8x16xf32>
  %a2 = linalg.generic {kiln.lowering_config = #copy, indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x16xf32>) outs(%ea : tensor<8x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<8x16xf32>
  %eb = tensor.empty() : tensor<4x16x32xf32>
  %b2 = linalg.generic {kiln.lowering_config = #copy, indexing_maps = [affine_map<(p, k, j) -> (p, k, j)>, affine_map<(p, k, j) -> (p, k, j)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%b : tensor<4x16x32xf32>) outs(%eb : tensor<4x16x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<4x16x32xf32>
  %0 = linalg.generic {kiln.lowering_config = #config, indexing_maps = [affine_map<(m, p, j, k) -> (m, k)>, affine_map<(m, p, j, k) -> (p, k, j)>, affine_map<(m, p, j, k) -> (m, p, j)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%a2, %b2 : tensor<8x16xf32>, tensor<4x16x32xf32>) outs(%c : tensor<8x4x32xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %m, %acc : f32
    linalg.yield %s : f32
  } -> tensor<8x4x32xf32>
  return %0 : tensor<8x4x32xf32>
}
// CHECK-LABEL: func.func @fused_producer
// CHECK: %[[A:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<8x16xf32>)
// CHECK: scf.for {{.*}} = %c0 to %c4 step %c1
// CHECK: %[[PANEL:.*]] = tensor.empty() : tensor<1x16x32xf32>
// CHECK: %[[B:.*]] = linalg.generic {{.*}} outs(%[[PANEL]] : tensor<1x16x32xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[A]], %[[B]] : tensor<8x16xf32>, tensor<1x16x32xf32>)
// CHECK-NOT: tensor<4x16x32xf32>

// -----

// A level's tile_interchange orders its loops: here the columns outside
// the rows (a register tile's N loop outside its M loop).
#config = #kiln.lowering_config<tile_sizes = [array<i64: 4, 32, 1>], tile_interchange = [array<i64: 1, 0, 2>]>
func.func @interchange(%a: tensor<8x16xf32>, %b: tensor<16x64xf32>, %c: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %0 = linalg.matmul {kiln.lowering_config = #config} ins(%a, %b : tensor<8x16xf32>, tensor<16x64xf32>) outs(%c : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %0 : tensor<8x64xf32>
}
// CHECK-LABEL: func.func @interchange
// CHECK: scf.for {{.*}} = %c0 to %c64 step %c32
// CHECK: scf.for {{.*}} = %c0 to %c8 step %c4
// CHECK: scf.for {{.*}} = %c0 to %c16 step %c1
// CHECK: linalg.matmul {{.*}} outs({{.*}} : tensor<4x32xf32>)

// -----

// Loops over the config's parallel_dims are marked kiln.parallel (their
// iterations write disjoint tiles), the reduction loop is not; the marks
// follow the interchange.
#config = #kiln.lowering_config<tile_sizes = [array<i64: 4, 32, 1>], tile_interchange = [array<i64: 1, 2, 0>], parallel_dims = [0, 1]>
func.func @parallel_marks(%a: tensor<8x16xf32>, %b: tensor<16x64xf32>, %c: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %0 = linalg.matmul {kiln.lowering_config = #config} ins(%a, %b : tensor<8x16xf32>, tensor<16x64xf32>) outs(%c : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %0 : tensor<8x64xf32>
}
// CHECK-LABEL: func.func @parallel_marks
// CHECK: scf.for {{.*}} = %c0 to %c64 step %c32
// CHECK: scf.for {{.*}} = %c0 to %c16 step %c1
// CHECK: scf.for {{.*}} = %c0 to %c8 step %c4
// CHECK: linalg.matmul {{.*}} outs({{.*}} : tensor<4x32xf32>)
// CHECK: } {kiln.parallel}
// CHECK-NEXT: scf.yield
// CHECK-NEXT: }{{$}}
// CHECK-NEXT: scf.yield
// CHECK-NEXT: } {kiln.parallel}

// -----

// The elementwise op that alone reads a contraction's result element for
// element (a bias and a ReLU) runs in the contraction's first-level tile
// loops, after the reduction loop, on each 4x32 tile; the reduction loop
// carries the tile, not the whole result. The fused op is then tiled by
// its own config.
#mm = #kiln.lowering_config<tile_sizes = [array<i64: 4, 32, 8>], parallel_dims = [0, 1]>
#ew = #kiln.lowering_config<tile_sizes = [array<i64: 1, 8>], parallel_dims = [0, 1]>
func.func @epilogue(%a: tensor<8x16xf32>, %b: tensor<16x64xf32>, %c: tensor<8x64xf32>, %bias: tensor<64xf32>) -> tensor<8x64xf32> {
  %0 = linalg.matmul {kiln.lowering_config = #mm} ins(%a, %b : tensor<8x16xf32>, tensor<16x64xf32>) outs(%c : tensor<8x64xf32>) -> tensor<8x64xf32>
  %e = tensor.empty() : tensor<8x64xf32>
  %zero = arith.constant 0.0 : f32
  %1 = linalg.generic {kiln.lowering_config = #ew, indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%0, %bias : tensor<8x64xf32>, tensor<64xf32>) outs(%e : tensor<8x64xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<8x64xf32>
  return %1 : tensor<8x64xf32>
}
// CHECK-LABEL: func.func @epilogue
// CHECK: scf.for {{.*}} = %c0 to %c8 step %c4
// CHECK: scf.for {{.*}} = %c0 to %c64 step %c32
// CHECK: %[[TILE:.*]] = scf.for {{.*}} = %c0 to %c16 step %c8 {{.*}} -> (tensor<4x32xf32>)
// CHECK: linalg.matmul {{.*}} outs({{.*}} : tensor<4x32xf32>)
// CHECK: scf.for {{.*}} = %c0 to %c4 step %c1
// CHECK: scf.for {{.*}} = %c0 to %c32 step %c8
// CHECK: %[[ROW:.*]] = tensor.extract_slice %[[TILE]]
// CHECK: linalg.generic {{.*}} ins(%[[ROW]], %{{.*}} : tensor<1x8xf32>, tensor<8xf32>)
// CHECK: arith.maximumf
// CHECK-NOT: tensor<8x64xf32>) {
// CHECK: return

// -----

// Not after a reduction loop that is outermost: the consumer stays a pass
// of its own.
#mm = #kiln.lowering_config<tile_sizes = [array<i64: 4, 32, 8>], tile_interchange = [array<i64: 2, 0, 1>]>
#ew = #kiln.lowering_config<tile_sizes = [array<i64: 1, 8>]>
func.func @reduction_outside(%a: tensor<8x16xf32>, %b: tensor<16x64xf32>, %c: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %0 = linalg.matmul {kiln.lowering_config = #mm} ins(%a, %b : tensor<8x16xf32>, tensor<16x64xf32>) outs(%c : tensor<8x64xf32>) -> tensor<8x64xf32>
  %e = tensor.empty() : tensor<8x64xf32>
  %1 = linalg.generic {kiln.lowering_config = #ew, indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%0 : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  } -> tensor<8x64xf32>
  return %1 : tensor<8x64xf32>
}
// CHECK-LABEL: func.func @reduction_outside
// CHECK: %[[MM:.*]] = scf.for {{.*}} = %c0 to %c16 step %c8
// CHECK: linalg.matmul
// CHECK: scf.for {{.*}} = %c0 to %c8 step %c1 {{.*}}
// CHECK: tensor.extract_slice %[[MM]]
// CHECK: arith.negf

// -----

// The op that computes a contraction's init (a bias broadcast to its
// output) and that only the contraction reads is computed inside the
// contraction's first-level tile loops, into the tile they pass along,
// then tiled by its own config: one pass over the result, not two.
#mm = #kiln.lowering_config<tile_sizes = [array<i64: 4, 32, 0>, array<i64: 2, 16, 1>], parallel_dims = [0, 1]>
#bc = #kiln.lowering_config<tile_sizes = [array<i64: 1, 8>], parallel_dims = [0, 1]>
func.func @init(%a: tensor<8x16xf32>, %b: tensor<16x64xf32>, %bias: tensor<64xf32>) -> tensor<8x64xf32> {
  %e = tensor.empty() : tensor<8x64xf32>
  %c = linalg.generic {kiln.lowering_config = #bc, indexing_maps = [affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%bias : tensor<64xf32>) outs(%e : tensor<8x64xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  } -> tensor<8x64xf32>
  %0 = linalg.matmul {kiln.lowering_config = #mm} ins(%a, %b : tensor<8x16xf32>, tensor<16x64xf32>) outs(%c : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %0 : tensor<8x64xf32>
}
// CHECK-LABEL: func.func @init
// CHECK: %[[E:.*]] = tensor.empty() : tensor<8x64xf32>
// CHECK: scf.for {{.*}} = %c0 to %c8 step %c4 iter_args(%[[OUT:.*]] = %[[E]])
// CHECK: scf.for {{.*}} = %c0 to %c64 step %c32 iter_args(%[[OUT2:.*]] = %[[OUT]])
// CHECK: %[[TILE:.*]] = tensor.extract_slice %[[OUT2]]{{.*}} to tensor<4x32xf32>
// CHECK: %[[INIT:.*]] = scf.for {{.*}} = %c0 to %c4 step %c1 iter_args({{.*}} = %[[TILE]])
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<8xf32>) outs(%{{.*}} : tensor<1x8xf32>)
// CHECK: scf.for {{.*}} = %c0 to %c4 step %c2 iter_args({{.*}} = %[[INIT]])
// CHECK: linalg.matmul {{.*}} outs({{.*}} : tensor<2x16xf32>)
// CHECK-NOT: linalg.generic
// CHECK: return

// -----

// Not where the first level tiles the reduction: each K step would write
// the init over the partial sums. The init is computed in a pass of its
// own.
#mm = #kiln.lowering_config<tile_sizes = [array<i64: 4, 32, 8>], parallel_dims = [0, 1]>
#bc = #kiln.lowering_config<tile_sizes = [array<i64: 1, 8>], parallel_dims = [0, 1]>
func.func @init_reduction_tiled(%a: tensor<8x16xf32>, %b: tensor<16x64xf32>, %bias: tensor<64xf32>) -> tensor<8x64xf32> {
  %e = tensor.empty() : tensor<8x64xf32>
  %c = linalg.generic {kiln.lowering_config = #bc, indexing_maps = [affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%bias : tensor<64xf32>) outs(%e : tensor<8x64xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  } -> tensor<8x64xf32>
  %0 = linalg.matmul {kiln.lowering_config = #mm} ins(%a, %b : tensor<8x16xf32>, tensor<16x64xf32>) outs(%c : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %0 : tensor<8x64xf32>
}
// CHECK-LABEL: func.func @init_reduction_tiled
// CHECK: %[[C:.*]] = scf.for {{.*}} = %c0 to %c8 step %c1
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<8xf32>)
// CHECK: scf.for {{.*}} iter_args({{.*}} = %[[C]])
// CHECK: linalg.matmul
