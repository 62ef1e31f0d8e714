// The policy pass decides for the target of the module's llvm.target: the
// same matmul gets a register tile of 24 zmm accumulators on AVX-512 (6 rows
// of 4 vectors of 16 lanes: with the 4 B vectors and a broadcast, 29 of 32
// registers, 2.4 FMAs per load) inside a cache tile of 30 rows, and 12 ymm
// accumulators on AVX2 (6 rows of 16 columns: 15 of 16 registers; the 4
// rows left over are a vector tile of their own) inside one of 30 rows: N
// is one cache tile, so M is split into at least 8 blocks, enough to keep
// the caller's threads busy (up to 128 rows where N or other parallel
// loops give 8 tiles already, or the contraction is small; blocks made
// about equal where none divides M). The mechanism pass tiles by each
// level of the config in turn and nothing else.
// RUN: kiln-opt %s --split-input-file --kiln-select-lowering-config | FileCheck %s
// RUN: kiln-opt %s --split-input-file --kiln-select-lowering-config --kiln-tile-by-config | FileCheck %s --check-prefix=TILE

module attributes {llvm.target = #llvm.target<triple = "x86_64-unknown-linux-gnu", chip = "skylake-avx512", features = #llvm.target_features<["+avx512f", "+fma"]>>} {
  func.func @avx512(%a: tensor<256x512xf32>, %b: tensor<512x256xf32>, %c: tensor<256x256xf32>) -> tensor<256x256xf32> {
    %0 = linalg.matmul ins(%a, %b : tensor<256x512xf32>, tensor<512x256xf32>) outs(%c : tensor<256x256xf32>) -> tensor<256x256xf32>
    return %0 : tensor<256x256xf32>
  }
}
// CHECK-LABEL: func.func @avx512
// CHECK-SAME: kiln.translation_info = #kiln.translation_info<pipeline = "cpu-tile-loops", source = "heuristic">
// CHECK: linalg.matmul {kiln.lowering_config = #kiln.lowering_config<tile_sizes = [array<i64: 30, 0, 0>, array<i64: 6, 64, 1>], vector_sizes = [6, 64, 1], parallel_dims = [0, 1]>}
// TILE-LABEL: func.func @avx512
// TILE: scf.for {{.*}} step %c30
// TILE: scf.for {{.*}} step %c6
// TILE: scf.for {{.*}} step %c64
// TILE: scf.for {{.*}} step %c1
// TILE: linalg.matmul {{.*}} ins({{.*}} : tensor<{{6|\?}}x1xf32>, tensor<1x64xf32>) outs({{.*}} : tensor<{{6|\?}}x64xf32>)

// -----

module attributes {llvm.target = #llvm.target<triple = "x86_64-unknown-linux-gnu", chip = "haswell", features = #llvm.target_features<["+avx2", "+fma"]>>} {
  func.func @avx2(%a: tensor<256x512xf32>, %b: tensor<512x256xf32>, %c: tensor<256x256xf32>) -> tensor<256x256xf32> {
    %0 = linalg.matmul ins(%a, %b : tensor<256x512xf32>, tensor<512x256xf32>) outs(%c : tensor<256x256xf32>) -> tensor<256x256xf32>
    return %0 : tensor<256x256xf32>
  }
}
// CHECK-LABEL: func.func @avx2
// CHECK: tile_sizes = [array<i64: 30, 0, 0>, array<i64: 6, 16, 1>], vector_sizes = [6, 16, 1]

// -----

// A contraction of fewer than 2^24 flops keeps blocks of up to 128 rows
// (here 3 blocks of at most 126, a whole number of register tiles, made
// about equal): splitting it would cost more than threads gain.
module attributes {llvm.target = #llvm.target<triple = "x86_64-unknown-linux-gnu", chip = "skylake-avx512", features = #llvm.target_features<["+avx512f", "+fma"]>>} {
  func.func @small(%a: tensor<256x64xf32>, %b: tensor<64x256xf32>, %c: tensor<256x256xf32>) -> tensor<256x256xf32> {
    %0 = linalg.matmul ins(%a, %b : tensor<256x64xf32>, tensor<64x256xf32>) outs(%c : tensor<256x256xf32>) -> tensor<256x256xf32>
    return %0 : tensor<256x256xf32>
  }
}
// CHECK-LABEL: func.func @small
// CHECK: tile_sizes = [array<i64: 90, 0, 0>, array<i64: 6, 64, 1>]

// -----

// Constant weights are packed into N-panels as wide as the register tile,
// whatever their layout (here N x K, as Gemm's transB).
module attributes {llvm.target = #llvm.target<triple = "x86_64-unknown-linux-gnu", chip = "skylake-avx512", features = #llvm.target_features<["+avx512f", "+fma"]>>} {
  func.func @weights(%a: tensor<64x32xf32>, %c: tensor<64x128xf32>) -> tensor<64x128xf32> {
    %b = arith.constant dense<1.0> : tensor<128x32xf32>
    %0 = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>] ins(%a, %b : tensor<64x32xf32>, tensor<128x32xf32>) outs(%c : tensor<64x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
}
// CHECK-LABEL: func.func @weights
// CHECK: packing = [1, 64, 1]

// -----

module attributes {llvm.target = #llvm.target<triple = "aarch64-unknown-linux-gnu", chip = "generic", features = #llvm.target_features<["+neon"]>>} {
  func.func @neon(%a: tensor<8x4xf32>, %b: tensor<8x4xf32>) -> tensor<8x4xf32> {
    %0 = linalg.add ins(%a, %a : tensor<8x4xf32>, tensor<8x4xf32>) outs(%b : tensor<8x4xf32>) -> tensor<8x4xf32>
    return %0 : tensor<8x4xf32>
  }
}
// CHECK-LABEL: func.func @neon
// CHECK: linalg.add {kiln.lowering_config = #kiln.lowering_config<tile_sizes = [array<i64: 1, 4>], vector_sizes = [1, 4], parallel_dims = [0, 1]>}
// TILE-LABEL: func.func @neon
// TILE: scf.for {{.*}} step %c1
// TILE: linalg.add {{.*}} -> tensor<1x4xf32>

// -----

// A depthwise convolution: one channel plane at a time, then blocks of
// output rows (8 beside the 9 broadcast weights of 32 zmm registers, 4 of
// 16 ymm ones) by a vector of columns; the block is the vector shape.
module attributes {llvm.target = #llvm.target<triple = "x86_64-unknown-linux-gnu", chip = "skylake-avx512", features = #llvm.target_features<["+avx512f", "+fma"]>>} {
  func.func @depthwise(%in: tensor<1x32x58x58xf32>, %w: tensor<32x3x3xf32>, %out: tensor<1x32x56x56xf32>) -> tensor<1x32x56x56xf32> {
    %0 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%in, %w : tensor<1x32x58x58xf32>, tensor<32x3x3xf32>) outs(%out : tensor<1x32x56x56xf32>) -> tensor<1x32x56x56xf32>
    return %0 : tensor<1x32x56x56xf32>
  }
}
// CHECK-LABEL: func.func @depthwise
// CHECK: linalg.depthwise_conv_2d_nchw_chw {{{.*}}kiln.lowering_config = #kiln.lowering_config<tile_sizes = [array<i64: 1, 0, 0, 1, 0, 0>, array<i64: 0, 8, 16, 0, 0, 0>], vector_sizes = [1, 8, 16, 1, 3, 3]
// TILE-LABEL: func.func @depthwise
// TILE: scf.for {{.*}} step %c1
// TILE: scf.for {{.*}} step %c8
// TILE: scf.for {{.*}} step %c16
// TILE: linalg.depthwise_conv_2d_nchw_chw {{.*}} ins({{.*}} : tensor<1x1x10x{{.*}}xf32>, tensor<1x3x3xf32>) outs({{.*}} : tensor<1x1x8x{{.*}}xf32>)

// -----

module attributes {llvm.target = #llvm.target<triple = "x86_64-unknown-linux-gnu", chip = "haswell", features = #llvm.target_features<["+avx2", "+fma"]>>} {
  func.func @depthwise_avx2(%in: tensor<1x32x58x58xf32>, %w: tensor<32x3x3xf32>, %out: tensor<1x32x56x56xf32>) -> tensor<1x32x56x56xf32> {
    %0 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%in, %w : tensor<1x32x58x58xf32>, tensor<32x3x3xf32>) outs(%out : tensor<1x32x56x56xf32>) -> tensor<1x32x56x56xf32>
    return %0 : tensor<1x32x56x56xf32>
  }
}
// CHECK-LABEL: func.func @depthwise_avx2
// CHECK: tile_sizes = [array<i64: 1, 0, 0, 1, 0, 0>, array<i64: 0, 4, 8, 0, 0, 0>], vector_sizes = [1, 4, 8, 1, 3, 3]

// -----

// Elementwise ops are tiled to one vector (of their length, if shorter),
// but those on i1 get no vector sizes at all: a vector of i1 is a bit mask
// in memory, a tensor of i1 a byte per element (NEON's 16 byte lanes once
// vectorized a Cast to bool of 16 elements that way, AArch64 only).
module attributes {llvm.target = #llvm.target<triple = "x86_64-unknown-linux-gnu", chip = "skylake-avx512", features = #llvm.target_features<["+avx512f", "+fma"]>>} {
  func.func @elementwise(%a: tensor<3x40xf32>, %b: tensor<3x40xf32>, %p: tensor<5xi1>, %q: tensor<5xi1>) -> (tensor<3x40xf32>, tensor<5xi1>) {
    %0 = linalg.add ins(%a, %a : tensor<3x40xf32>, tensor<3x40xf32>) outs(%b : tensor<3x40xf32>) -> tensor<3x40xf32>
    %1 = linalg.map { arith.xori } ins(%p, %p : tensor<5xi1>, tensor<5xi1>) outs(%q : tensor<5xi1>)
    return %0, %1 : tensor<3x40xf32>, tensor<5xi1>
  }
}
// CHECK-LABEL: func.func @elementwise
// CHECK: linalg.add {kiln.lowering_config = #kiln.lowering_config<tile_sizes = [array<i64: 1, 16>], vector_sizes = [1, 16]
// CHECK: linalg.map {{.*}} {kiln.lowering_config = #kiln.lowering_config<parallel_dims = [0]>}

// -----

// An empty tensor (a fuzzed model's dim of 0) is not tiled: no vector
// has 0 lanes.
module attributes {llvm.target = #llvm.target<triple = "x86_64-unknown-linux-gnu", chip = "skylake-avx512", features = #llvm.target_features<["+avx512f", "+fma"]>>} {
  func.func @empty(%a: tensor<3x0xf32>) -> tensor<3x0xf32> {
    %zero = arith.constant 0.0 : f32
    %0 = linalg.fill ins(%zero : f32) outs(%a : tensor<3x0xf32>) -> tensor<3x0xf32>
    return %0 : tensor<3x0xf32>
  }
}
// CHECK-LABEL: func.func @empty
// CHECK: linalg.fill {kiln.lowering_config = #kiln.lowering_config<vector_sizes = [1, 16]

// -----

// An op whose body reads its indices (a pool's border counts) is not
// tiled to vectors either: a tile per row (rows can run on several
// threads), and no vector sizes.
module attributes {llvm.target = #llvm.target<triple = "x86_64-unknown-linux-gnu", chip = "skylake-avx512", features = #llvm.target_features<["+avx512f", "+fma"]>>} {
  func.func @indexed(%a: tensor<4x32xf32>) -> tensor<4x32xf32> {
    %0 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} outs(%a : tensor<4x32xf32>) {
    ^bb0(%out: f32):
      %i = linalg.index 1 : index
      %n = arith.index_cast %i : index to i32
      %f = arith.sitofp %n : i32 to f32
      linalg.yield %f : f32
    } -> tensor<4x32xf32>
    return %0 : tensor<4x32xf32>
  }
}
// CHECK-LABEL: func.func @indexed
// CHECK: linalg.generic {{.*}}kiln.lowering_config = #kiln.lowering_config<tile_sizes = [array<i64: 1, 0>], parallel_dims = [0, 1]>

// -----

// Constant weights times a matrix of 49 columns (a 1x1 convolution on 7x7
// pixels): 16-column tiles leave a scalar column, so the result is
// computed transposed, 49x64 in tiles of 7 rows of 32 columns.
module attributes {llvm.target = #llvm.target<triple = "x86_64-unknown-linux-gnu", chip = "skylake-avx512", features = #llvm.target_features<["+avx512f", "+fma"]>>} {
  func.func @transposed(%x: tensor<32x49xf32>, %c: tensor<64x49xf32>) -> tensor<64x49xf32> {
    %w = arith.constant dense<1.0> : tensor<64x32xf32>
    %0 = linalg.matmul ins(%w, %x : tensor<64x32xf32>, tensor<32x49xf32>) outs(%c : tensor<64x49xf32>) -> tensor<64x49xf32>
    return %0 : tensor<64x49xf32>
  }
}
// CHECK-LABEL: func.func @transposed
// CHECK: linalg.matmul {kiln.lowering_config = #kiln.lowering_config<strategy = "transposed_output">}

// -----

// 196 columns (14x14 pixels) too, over a long K (a 3x3 convolution of 256
// channels) that pays for the transpose back; over a short K (a 1x1 of 64
// channels), not.
module attributes {llvm.target = #llvm.target<triple = "x86_64-unknown-linux-gnu", chip = "skylake-avx512", features = #llvm.target_features<["+avx512f", "+fma"]>>} {
  func.func @transposed_long_k(%x: tensor<2304x196xf32>, %c: tensor<64x196xf32>) -> tensor<64x196xf32> {
    %w = arith.constant dense<1.0> : tensor<64x2304xf32>
    %0 = linalg.matmul ins(%w, %x : tensor<64x2304xf32>, tensor<2304x196xf32>) outs(%c : tensor<64x196xf32>) -> tensor<64x196xf32>
    return %0 : tensor<64x196xf32>
  }
  func.func @direct_short_k(%x: tensor<64x196xf32>, %c: tensor<64x196xf32>) -> tensor<64x196xf32> {
    %w = arith.constant dense<1.0> : tensor<64x64xf32>
    %0 = linalg.matmul ins(%w, %x : tensor<64x64xf32>, tensor<64x196xf32>) outs(%c : tensor<64x196xf32>) -> tensor<64x196xf32>
    return %0 : tensor<64x196xf32>
  }
}
// CHECK-LABEL: func.func @transposed_long_k
// CHECK: linalg.matmul {kiln.lowering_config = #kiln.lowering_config<strategy = "transposed_output">}
// CHECK-LABEL: func.func @direct_short_k
// CHECK: linalg.matmul {kiln.lowering_config = #kiln.lowering_config<tile_sizes

// -----

// A config already there is kept: the pass only fills in.
func.func @kept(%a: tensor<256x512xf32>, %b: tensor<512x256xf32>, %c: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %0 = linalg.matmul {kiln.lowering_config = #kiln.lowering_config<tile_sizes = [array<i64: 8, 0, 0>]>} ins(%a, %b : tensor<256x512xf32>, tensor<512x256xf32>) outs(%c : tensor<256x256xf32>) -> tensor<256x256xf32>
  return %0 : tensor<256x256xf32>
}
// CHECK-LABEL: func.func @kept
// CHECK: #kiln.lowering_config<tile_sizes = [array<i64: 8, 0, 0>]>
// TILE-LABEL: func.func @kept
// TILE: scf.for {{.*}} step %c8
// TILE-NOT: scf.for

// -----

// A static f32 NCHW convolution goes through im2col; the contraction that
// makes is decided for when the policy runs again.
func.func @conv(%x: tensor<1x8x18x18xf32>, %w: tensor<16x8x3x3xf32>, %y: tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x8x18x18xf32>, tensor<16x8x3x3xf32>) outs(%y : tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32>
  return %0 : tensor<1x16x16x16xf32>
}
// CHECK-LABEL: func.func @conv
// CHECK: linalg.conv_2d_nchw_fchw {dilations = {{.*}}, kiln.lowering_config = #kiln.lowering_config<strategy = "im2col">

// -----

// On AVX-512 the window matrix is laid out in 64-pixel panels, the width of
// the register tile of 64 filters by 256 pixels, so the kernel reads it in
// order (the tile's column of B, 72 x 64 floats, is more than half of L1;
// a shorter one, as in @conv above, stays in L1 unpacked); a 1x1 filter
// with unit strides reads its input in place, unpacked.
// Then the panel contraction (image, filter, panel, pixel, window element):
// one panel per cache tile (an outer N loop tiled as a batch loop), 4 rows
// of 64 pixels per register tile. A copy that reads a pad is tiled first by
// whole padded planes (its image and channel loops), then by rows.
module attributes {llvm.target = #llvm.target<triple = "x86_64-unknown-linux-gnu", chip = "skylake-avx512", features = #llvm.target_features<["+avx512f", "+fma"]>>} {
  func.func @conv_panels(%x: tensor<1x8x18x18xf32>, %w: tensor<64x8x3x3xf32>, %y: tensor<1x64x16x16xf32>) -> tensor<1x64x16x16xf32> {
    %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x8x18x18xf32>, tensor<64x8x3x3xf32>) outs(%y : tensor<1x64x16x16xf32>) -> tensor<1x64x16x16xf32>
    return %0 : tensor<1x64x16x16xf32>
  }
  func.func @conv_pointwise(%x: tensor<1x8x16x16xf32>, %w: tensor<64x8x1x1xf32>, %y: tensor<1x64x16x16xf32>) -> tensor<1x64x16x16xf32> {
    %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x8x16x16xf32>, tensor<64x8x1x1xf32>) outs(%y : tensor<1x64x16x16xf32>) -> tensor<1x64x16x16xf32>
    return %0 : tensor<1x64x16x16xf32>
  }
  func.func @conv_many_filters(%x: tensor<1x8x18x18xf32>, %w: tensor<256x8x3x3xf32>, %y: tensor<1x256x16x16xf32>) -> tensor<1x256x16x16xf32> {
    %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x8x18x18xf32>, tensor<256x8x3x3xf32>) outs(%y : tensor<1x256x16x16xf32>) -> tensor<1x256x16x16xf32>
    return %0 : tensor<1x256x16x16xf32>
  }
  func.func @panel_contraction(%w: tensor<64x72xf32>, %x: tensor<1x4x72x64xf32>, %y: tensor<1x64x4x64xf32>) -> tensor<1x64x4x64xf32> {
    %0 = linalg.generic {indexing_maps = [affine_map<(n, f, b, p, k) -> (f, k)>, affine_map<(n, f, b, p, k) -> (n, b, k, p)>, affine_map<(n, f, b, p, k) -> (n, f, b, p)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%w, %x : tensor<64x72xf32>, tensor<1x4x72x64xf32>) outs(%y : tensor<1x64x4x64xf32>) {
    ^bb0(%a: f32, %b: f32, %c: f32):
      %m = arith.mulf %a, %b : f32
      %s = arith.addf %m, %c : f32
      linalg.yield %s : f32
    } -> tensor<1x64x4x64xf32>
    return %0 : tensor<1x64x4x64xf32>
  }
  func.func @gather_copy(%image: tensor<1x2592xf32>, %w: tensor<64x72xf32>, %y: tensor<1x64x4x64xf32>) -> tensor<1x64x4x64xf32> {
    %window = arith.constant dense<3> : tensor<72xi32>
    %pixel = arith.constant dense<5> : tensor<4x64xi32>
    %e = tensor.empty() : tensor<1x4x72x64xf32>
    %x = linalg.generic {indexing_maps = [affine_map<(n, b, k, p) -> (k)>, affine_map<(n, b, k, p) -> (b, p)>, affine_map<(n, b, k, p) -> (n, b, k, p)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%window, %pixel : tensor<72xi32>, tensor<4x64xi32>) outs(%e : tensor<1x4x72x64xf32>) {
    ^bb0(%i: i32, %j: i32, %out: f32):
      %a = arith.index_cast %i : i32 to index
      %b = arith.index_cast %j : i32 to index
      %at = arith.addi %a, %b : index
      %n = linalg.index 0 : index
      %v = tensor.extract %image[%n, %at] : tensor<1x2592xf32>
      linalg.yield %v : f32
    } -> tensor<1x4x72x64xf32>
    %0 = linalg.generic {indexing_maps = [affine_map<(n, f, b, p, k) -> (f, k)>, affine_map<(n, f, b, p, k) -> (n, b, k, p)>, affine_map<(n, f, b, p, k) -> (n, f, b, p)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%w, %x : tensor<64x72xf32>, tensor<1x4x72x64xf32>) outs(%y : tensor<1x64x4x64xf32>) {
    ^bb0(%a: f32, %b: f32, %c: f32):
      %m = arith.mulf %a, %b : f32
      %s = arith.addf %m, %c : f32
      linalg.yield %s : f32
    } -> tensor<1x64x4x64xf32>
    return %0 : tensor<1x64x4x64xf32>
  }
  func.func @runtime_gather(%image: tensor<1x2592xf32>, %window: tensor<72xi32>, %pixel: tensor<4x64xi32>, %w: tensor<64x72xf32>, %y: tensor<1x64x4x64xf32>) -> tensor<1x64x4x64xf32> {
    %e = tensor.empty() : tensor<1x4x72x64xf32>
    %x = linalg.generic {indexing_maps = [affine_map<(n, b, k, p) -> (k)>, affine_map<(n, b, k, p) -> (b, p)>, affine_map<(n, b, k, p) -> (n, b, k, p)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%window, %pixel : tensor<72xi32>, tensor<4x64xi32>) outs(%e : tensor<1x4x72x64xf32>) {
    ^bb0(%i: i32, %j: i32, %out: f32):
      %a = arith.index_cast %i : i32 to index
      %b = arith.index_cast %j : i32 to index
      %at = arith.addi %a, %b : index
      %n = linalg.index 0 : index
      %v = tensor.extract %image[%n, %at] : tensor<1x2592xf32>
      linalg.yield %v : f32
    } -> tensor<1x4x72x64xf32>
    %0 = linalg.generic {indexing_maps = [affine_map<(n, f, b, p, k) -> (f, k)>, affine_map<(n, f, b, p, k) -> (n, b, k, p)>, affine_map<(n, f, b, p, k) -> (n, f, b, p)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%w, %x : tensor<64x72xf32>, tensor<1x4x72x64xf32>) outs(%y : tensor<1x64x4x64xf32>) {
    ^bb0(%a: f32, %b: f32, %c: f32):
      %m = arith.mulf %a, %b : f32
      %s = arith.addf %m, %c : f32
      linalg.yield %s : f32
    } -> tensor<1x64x4x64xf32>
    return %0 : tensor<1x64x4x64xf32>
  }
  func.func @padded_planes(%x: tensor<1x4x16x16xf32>, %y: tensor<1x4x3x3x16x16xf32>) -> tensor<1x4x3x3x16x16xf32> {
    %zero = arith.constant 0.0 : f32
    %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
    ^bb0(%i: index, %j: index, %k: index, %l: index):
      tensor.yield %zero : f32
    } : tensor<1x4x16x16xf32> to tensor<1x4x18x18xf32>
    %0 = linalg.generic {indexing_maps = [affine_map<(n, c, kh, kw, oh, ow) -> (n, c, oh + kh, ow + kw)>, affine_map<(n, c, kh, kw, oh, ow) -> (n, c, kh, kw, oh, ow)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%p : tensor<1x4x18x18xf32>) outs(%y : tensor<1x4x3x3x16x16xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<1x4x3x3x16x16xf32>
    return %0 : tensor<1x4x3x3x16x16xf32>
  }
}
// CHECK-LABEL: func.func @conv_panels
// CHECK: linalg.conv_2d_nchw_fchw {{.*}}#kiln.lowering_config<packing = [1, 1, 1, 64, 1, 1, 1], strategy = "im2col">
// CHECK-LABEL: func.func @conv_pointwise
// CHECK: linalg.conv_2d_nchw_fchw {{.*}}#kiln.lowering_config<strategy = "im2col">
// More filters than one M cache block (128) would copy each panel once
// per block: the plain window matrix.
// CHECK-LABEL: func.func @conv_many_filters
// CHECK: linalg.conv_2d_nchw_fchw {{.*}}#kiln.lowering_config<strategy = "im2col">
// CHECK-LABEL: func.func @panel_contraction
// CHECK: #kiln.lowering_config<tile_sizes = [array<i64: 1, 0, 1, 0, 0>, array<i64: 1, 6, 1, 64, 1>], vector_sizes = [1, 6, 1, 64, 1], parallel_dims = [0, 1, 2, 3]>
// An im2col panel copy (reads at offsets from constant tables, read by one
// contraction) is left untiled: the contraction's cache tiles compute its
// slices.
// CHECK-LABEL: func.func @gather_copy
// CHECK: linalg.generic {{.*}}kiln.lowering_config = #kiln.lowering_config<parallel_dims = [0, 1, 2, 3]>
// CHECK: linalg.generic {{.*}}kiln.lowering_config = #kiln.lowering_config<tile_sizes = [array<i64: 1, 0, 1, 0, 0>,
// The same copy at run-time indices (a Gather's) keeps its row tiles.
// CHECK-LABEL: func.func @runtime_gather
// CHECK: linalg.generic {{.*}}kiln.lowering_config = #kiln.lowering_config<tile_sizes = [array<i64: 0, 1, 1, 0>], parallel_dims = [0, 1, 2, 3]>
// CHECK-LABEL: func.func @padded_planes
// CHECK: #kiln.lowering_config<tile_sizes = [array<i64: 0, 1, 0, 0, 0, 0>, array<i64: 0, 1, 1, 1, 1, 0>], parallel_dims = [0, 1, 2, 3, 4, 5]>
// TILE-LABEL: func.func @conv_panels
// TILE-LABEL: func.func @conv_many_filters
// TILE-LABEL: func.func @gather_copy
// TILE: scf.for {{.*}} to %c4 step %c1
// TILE: tensor.empty() : tensor<1x1x72x64xf32>
// TILE: tensor.extract %arg0
// TILE-LABEL: func.func @runtime_gather
// TILE-LABEL: func.func @padded_planes
// TILE: scf.for
// TILE: tensor.pad
// TILE: } : tensor<1x1x16x16xf32> to tensor<1x1x18x18xf32>
// TILE-COUNT-3: scf.for
// TILE-NOT: tensor.pad
// TILE: linalg.generic

// -----

// A row reduction (a softmax's max): a tile per row; the reduction, the
// innermost loop, stays whole.
module attributes {llvm.target = #llvm.target<triple = "x86_64-unknown-linux-gnu", chip = "skylake-avx512", features = #llvm.target_features<["+avx512f", "+fma"]>>} {
  func.func @rows(%a: tensor<2x12x128x128xf32>, %init: tensor<2x12x128xf32>) -> tensor<2x12x128xf32> {
    %0 = linalg.generic {indexing_maps = [affine_map<(b, h, i, j) -> (b, h, i, j)>, affine_map<(b, h, i, j) -> (b, h, i)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%a : tensor<2x12x128x128xf32>) outs(%init : tensor<2x12x128xf32>) {
    ^bb0(%in: f32, %out: f32):
      %m = arith.maximumf %in, %out : f32
      linalg.yield %m : f32
    } -> tensor<2x12x128xf32>
    return %0 : tensor<2x12x128xf32>
  }
}
// CHECK-LABEL: func.func @rows
// CHECK: linalg.generic {{.*}}kiln.lowering_config = #kiln.lowering_config<tile_sizes = [array<i64: 1, 1, 1, 0>], parallel_dims = [0, 1, 2]>
// TILE-LABEL: func.func @rows
// TILE: scf.for {{.*}} = %c0 to %c2 step %c1
// TILE: scf.for {{.*}} = %c0 to %c12 step %c1
// TILE: scf.for {{.*}} = %c0 to %c128 step %c1
// TILE: linalg.generic {{.*}} ins({{.*}} : tensor<1x1x1x128xf32>)
// TILE: } {kiln.parallel}


// -----

// An elementwise op reading a per-channel scale as [1, C, 1, 1] (0 in its
// map for the unit dims) is vector code like any broadcast, not a loop of
// scalars per row.
module attributes {llvm.target = #llvm.target<triple = "x86_64-unknown-linux-gnu", chip = "skylake-avx512", features = #llvm.target_features<["+avx512f", "+fma"]>>} {
  func.func @unit_dims(%x: tensor<1x8x4x32xf32>, %s: tensor<1x8x1x1xf32>, %y: tensor<1x8x4x32xf32>) -> tensor<1x8x4x32xf32> {
    %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (0, d1, 0, 0)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x, %s : tensor<1x8x4x32xf32>, tensor<1x8x1x1xf32>) outs(%y : tensor<1x8x4x32xf32>) {
    ^bb0(%a: f32, %b: f32, %o: f32):
      %m = arith.mulf %a, %b : f32
      linalg.yield %m : f32
    } -> tensor<1x8x4x32xf32>
    return %0 : tensor<1x8x4x32xf32>
  }
}
// CHECK-LABEL: func.func @unit_dims
// CHECK: kiln.lowering_config = #kiln.lowering_config<tile_sizes = [array<i64: 1, 1, 1, 16>], vector_sizes = [1, 1, 1, 16]
// TILE-LABEL: func.func @unit_dims
