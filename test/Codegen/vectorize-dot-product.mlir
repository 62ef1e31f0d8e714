// A u8 x s8 contraction summed in i32 on a target with AVX512-VNNI: the
// policy packs B into 64-column panels of 4 of K and names the dot_u8s8
// microkernel; each register tile becomes, per row of A, its 4 bytes
// broadcast to every i32 lane and one kiln.dot_u8s8 per vector of the
// row's accumulators, which stay in registers across the K loop; the llvm
// phase makes them vpdpbusd.
// RUN: kiln-opt %s --kiln-select-lowering-config | FileCheck %s --check-prefix=CONFIG
// RUN: kiln-opt %s --kiln-select-lowering-config --kiln-pack-by-config --kiln-tile-by-config --canonicalize --kiln-vectorize-by-config --canonicalize --cse | FileCheck %s
// RUN: kiln-opt %s --kiln-select-lowering-config --kiln-pack-by-config --kiln-tile-by-config --canonicalize --kiln-vectorize-by-config --kiln-lower-dot-products | FileCheck %s --check-prefix=LLVM

#mA = affine_map<(m, n, k) -> (m, k)>
#mB = affine_map<(m, n, k) -> (k, n)>
#mC = affine_map<(m, n, k) -> (m, n)>
module attributes {llvm.target = #llvm.target<triple = "x86_64-unknown-linux-gnu", chip = "sapphirerapids", features = #llvm.target_features<["+avx512f", "+avx512bw", "+avx512vnni", "+fma"]>>} {
  func.func @dot(%a: tensor<128x256xi8>, %c: tensor<128x256xi32>) -> tensor<128x256xi32> {
    %b = arith.constant dense<3> : tensor<256x256xi8>
    %0 = linalg.generic {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : tensor<128x256xi8>, tensor<256x256xi8>) outs(%c : tensor<128x256xi32>) {
    ^bb0(%x: i8, %w: i8, %o: i32):
      %xe = arith.extui %x : i8 to i32
      %we = arith.extsi %w : i8 to i32
      %p = arith.muli %xe, %we : i32
      %s = arith.addi %o, %p : i32
      linalg.yield %s : i32
    } -> tensor<128x256xi32>
    return %0 : tensor<128x256xi32>
  }
}
// CONFIG: linalg.generic {{.*}}kiln.lowering_config = #kiln.lowering_config<tile_sizes = [array<i64: 48, 64, 0>, array<i64: 6, 64, 4>], vector_sizes = [6, 64, 4], packing = [1, 64, 4], microkernel = "dot_u8s8", parallel_dims = [0, 1]>

// CHECK-LABEL: func.func @dot
// CHECK: %[[A:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2]] output_shape [128, 64, 4] : tensor<128x256xi8> into tensor<128x64x4xi8>
// CHECK: scf.for %[[M:.*]] = %{{.*}} iter_args(%[[C:.*]] = %{{.*}}) -> (tensor<48x1x64xi32>)
// CHECK: %[[SUMS:.*]] = vector.transfer_read %[[C]][%[[M]], %{{.*}}, %{{.*}}], %{{.*}} {in_bounds = [true, true, true]} : tensor<48x1x64xi32>, vector<6x1x64xi32>
// CHECK: scf.for %[[K:.*]] = {{.*}} iter_args(%[[ACC:.*]] = %[[SUMS]]) -> (vector<6x1x64xi32>)
// CHECK-COUNT-4: vector.transfer_read {{.*}} : tensor<256xi8>, vector<64xi8>
// CHECK: %[[BYTES:.*]] = vector.transfer_read %[[A]][%{{.*}}, %[[K]], %{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<128x64x4xi8>, vector<4xi8>
// CHECK: %[[WORD:.*]] = vector.bitcast %[[BYTES]] : vector<4xi8> to vector<1xi32>
// CHECK: %[[SCALAR:.*]] = vector.extract %[[WORD]][0] : i32 from vector<1xi32>
// CHECK: %[[SPLAT:.*]] = vector.broadcast %[[SCALAR]] : i32 to vector<16xi32>
// CHECK: %[[ROW:.*]] = vector.bitcast %[[SPLAT]] : vector<16xi32> to vector<64xi8>
// CHECK: kiln.dot_u8s8 %{{.*}}, %[[ROW]], %{{.*}} : vector<64xi8> into vector<16xi32>
// CHECK-COUNT-23: kiln.dot_u8s8
// CHECK-NOT: kiln.dot_u8s8
// CHECK: scf.yield %{{.*}} : vector<6x1x64xi32>
// CHECK: vector.transfer_write %{{.*}}, %[[C]][%[[M]], %{{.*}}, %{{.*}}] {in_bounds = [true, true, true]} : vector<6x1x64xi32>, tensor<48x1x64xi32>

// LLVM-LABEL: func.func @dot
// LLVM-NOT: kiln.dot_u8s8
// LLVM: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%{{.*}}, %{{.*}}, %{{.*}}) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
