// The policy pass decides for the target of the module's llvm.target: the
// same matmul gets 16 lanes on AVX-512, 8 on AVX2, 4 on NEON. The mechanism
// pass tiles by level 0 of the config and nothing else.
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
// CHECK: linalg.matmul {kiln.lowering_config = #kiln.lowering_config<tile_sizes = [array<i64: 64, 64, 0>], vector_sizes = [1, 16, 1], parallel_dims = [0, 1]>}
// TILE-LABEL: func.func @avx512
// TILE: scf.for {{.*}} step %c64
// TILE: scf.for {{.*}} step %c64
// TILE: linalg.matmul {{.*}} -> tensor<64x64xf32>

// -----

module attributes {llvm.target = #llvm.target<triple = "x86_64-unknown-linux-gnu", chip = "haswell", features = #llvm.target_features<["+avx2", "+fma"]>>} {
  func.func @avx2(%a: tensor<256x512xf32>, %b: tensor<512x256xf32>, %c: tensor<256x256xf32>) -> tensor<256x256xf32> {
    %0 = linalg.matmul ins(%a, %b : tensor<256x512xf32>, tensor<512x256xf32>) outs(%c : tensor<256x256xf32>) -> tensor<256x256xf32>
    return %0 : tensor<256x256xf32>
  }
}
// CHECK-LABEL: func.func @avx2
// CHECK: vector_sizes = [1, 8, 1]

// -----

module attributes {llvm.target = #llvm.target<triple = "aarch64-unknown-linux-gnu", chip = "generic", features = #llvm.target_features<["+neon"]>>} {
  func.func @neon(%a: tensor<8x4xf32>, %b: tensor<8x4xf32>) -> tensor<8x4xf32> {
    %0 = linalg.add ins(%a, %a : tensor<8x4xf32>, tensor<8x4xf32>) outs(%b : tensor<8x4xf32>) -> tensor<8x4xf32>
    return %0 : tensor<8x4xf32>
  }
}
// CHECK-LABEL: func.func @neon
// CHECK: linalg.add {kiln.lowering_config = #kiln.lowering_config<vector_sizes = [1, 4], parallel_dims = [0, 1]>}
// TILE-LABEL: func.func @neon
// TILE-NOT: scf.for

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
