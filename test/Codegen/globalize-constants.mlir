// RUN: kiln-opt %s --kiln-globalize-constants | FileCheck %s
// RUN: kiln-opt %s --kiln-globalize-constants | FileCheck %s --check-prefix=READS
// RUN: kiln-opt %s --kiln-bufferize-pipeline | FileCheck %s --check-prefix=BUF

// Each tensor constant becomes its own aligned private global, read at each
// use through a read-only to_tensor of its own; scalar constants stay.
// CHECK-DAG: memref.global "private" constant @__constant : memref<2xf32> = dense<[1.000000e+00, 2.000000e+00]> {alignment = 64 : i64}
// CHECK-DAG: memref.global "private" constant @__constant_0 : memref<2xf32> = dense<3.000000e+00> {alignment = 64 : i64}
// CHECK-LABEL: func.func @f(
// CHECK: %[[T0:.*]] = bufferization.to_tensor %{{.*}} restrict : memref<2xf32> to tensor<2xf32>
// CHECK: %[[T1:.*]] = bufferization.to_tensor %{{.*}} restrict : memref<2xf32> to tensor<2xf32>
// CHECK: %[[T2:.*]] = bufferization.to_tensor %{{.*}} restrict : memref<2xf32> to tensor<2xf32>
// CHECK-NOT: bufferization.to_tensor
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}} :
// CHECK-NOT: arith.constant dense
// @a, used twice, is read through two get_globals; @b through one.
// READS-LABEL: func.func @f(
// READS-DAG: memref.get_global @__constant : memref<2xf32>
// READS-DAG: memref.get_global @__constant : memref<2xf32>
// READS-DAG: memref.get_global @__constant_0 : memref<2xf32>
// READS: linalg.generic
// The bufferize phase reads the globals in place.
// BUF-LABEL: func.func @f(
// BUF-DAG: memref.get_global @__constant :
// BUF-DAG: memref.get_global @__constant_0 :
// BUF-NOT: memref.copy
// BUF: return
#map = affine_map<(d0) -> (d0)>
func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
  %a = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %b = arith.constant dense<3.0> : tensor<2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2xf32>
  %r = linalg.generic {indexing_maps = [#map, #map, #map, #map, #map], iterator_types = ["parallel"]}
      ins(%x, %a, %b, %a : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) outs(%e : tensor<2xf32>) {
  ^bb0(%i: f32, %j: f32, %k: f32, %l: f32, %o: f32):
    %s0 = arith.addf %i, %j : f32
    %s = arith.addf %s0, %l : f32
    %t = arith.mulf %s, %k : f32
    %u = arith.maximumf %t, %zero : f32
    linalg.yield %u : f32
  } -> tensor<2xf32>
  return %r : tensor<2xf32>
}
