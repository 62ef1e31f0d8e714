// RUN: kiln-opt %s --kiln-split-empty-tensors | FileCheck %s
// RUN: kiln-opt %s --kiln-bufferize-pipeline | FileCheck %s --check-prefix=BUF

// One tensor.empty that CSE shared between two destinations becomes one per
// use, each right before its user, with the original's dynamic size.
// CHECK-LABEL: func.func @chain(
// CHECK-SAME: %[[X:.*]]: tensor<?xf32>
// CHECK: %[[N:.*]] = tensor.dim %[[X]]
// CHECK-NEXT: %[[E0:.*]] = tensor.empty(%[[N]]) : tensor<?xf32>
// CHECK-NEXT: %[[A:.*]] = linalg.generic {{.*}} ins(%[[X]] : tensor<?xf32>) outs(%[[E0]] : tensor<?xf32>)
// CHECK: %[[E1:.*]] = tensor.empty(%[[N]]) : tensor<?xf32>
// CHECK-NEXT: linalg.generic {{.*}} ins(%[[A]] : tensor<?xf32>) outs(%[[E1]] : tensor<?xf32>)
// CHECK-NOT: tensor.empty
// CHECK: return
// In the bufferize phase, each destination is its own buffer, written in
// place: the result goes straight to the out-param, with no copy.
// BUF-LABEL: func.func @chain
// BUF-NOT: memref.copy
// BUF-NOT: linalg.copy
// BUF: return
#map = affine_map<(d0) -> (d0)>
func.func @chain(%x: tensor<?xf32>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xf32>
  %e = tensor.empty(%n) : tensor<?xf32>
  %a = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%x : tensor<?xf32>) outs(%e : tensor<?xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.negf %in : f32
    linalg.yield %r : f32
  } -> tensor<?xf32>
  %b = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%a : tensor<?xf32>) outs(%e : tensor<?xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.negf %in : f32
    linalg.yield %r : f32
  } -> tensor<?xf32>
  return %b : tensor<?xf32>
}

// Four ops in a chain: each of the three 64-byte intermediates lives from
// its writer to its reader, so the first and the third share bytes and the
// workspace is 128 bytes, not 192.
// BUF-LABEL: func.func @three(
// BUF-SAME: memref<128xi8> {kiln.workspace}
func.func @three(%x: tensor<16xf32>) -> tensor<16xf32> {
  %e = tensor.empty() : tensor<16xf32>
  %a = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%x : tensor<16xf32>) outs(%e : tensor<16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.negf %in : f32
    linalg.yield %r : f32
  } -> tensor<16xf32>
  %b = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%a : tensor<16xf32>) outs(%e : tensor<16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.negf %in : f32
    linalg.yield %r : f32
  } -> tensor<16xf32>
  %c = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%b : tensor<16xf32>) outs(%e : tensor<16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.negf %in : f32
    linalg.yield %r : f32
  } -> tensor<16xf32>
  %d = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%c : tensor<16xf32>) outs(%e : tensor<16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.negf %in : f32
    linalg.yield %r : f32
  } -> tensor<16xf32>
  return %d : tensor<16xf32>
}

// The zero accumulator CSE shared between two matmuls: each gets its own
// fill of its own empty, right before it.
// CHECK-LABEL: func.func @accumulators(
// CHECK: %[[Z:.*]] = arith.constant 0.0
// CHECK-NEXT: %[[E0:.*]] = tensor.empty() : tensor<4x4xf32>
// CHECK-NEXT: %[[F0:.*]] = linalg.fill ins(%[[Z]] : f32) outs(%[[E0]] : tensor<4x4xf32>)
// CHECK-NEXT: %[[M0:.*]] = linalg.matmul ins({{.*}}) outs(%[[F0]] : tensor<4x4xf32>)
// CHECK-NEXT: %[[E1:.*]] = tensor.empty() : tensor<4x4xf32>
// CHECK-NEXT: %[[F1:.*]] = linalg.fill ins(%[[Z]] : f32) outs(%[[E1]] : tensor<4x4xf32>)
// CHECK-NEXT: linalg.matmul ins(%[[M0]], {{.*}}) outs(%[[F1]] : tensor<4x4xf32>)
// In the bufferize phase each matmul accumulates in place: no copies.
// BUF-LABEL: func.func @accumulators
// BUF-NOT: memref.copy
// BUF-NOT: linalg.copy
// BUF: return
func.func @accumulators(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x4xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  %m0 = linalg.matmul ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%acc : tensor<4x4xf32>) -> tensor<4x4xf32>
  %m1 = linalg.matmul ins(%m0, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%acc : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %m1 : tensor<4x4xf32>
}
