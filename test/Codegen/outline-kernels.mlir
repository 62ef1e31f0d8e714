// RUN: kiln-opt %s --kiln-outline-kernels | FileCheck %s
// RUN: kiln-opt %s --kiln-outline-kernels --kiln-llvm-pipeline \
// RUN:   | FileCheck %s --check-prefix=LLVM

// Each linalg op on buffers moves into a private noinline function; the
// buffers it uses are arguments, the constant its body uses is cloned in.
// The second Relu is the first's twin and calls the same kernel; the
// negation differs and gets its own.
// CHECK-LABEL: func.func @graph(
// CHECK-SAME: %[[X:.*]]: memref<8xf32>, %[[T:.*]]: memref<8xf32>, %[[Y:.*]]: memref<8xf32>)
// CHECK: call @graph_kernel0(%[[X]], %[[T]]) : (memref<8xf32>, memref<8xf32>) -> ()
// CHECK-NEXT: call @graph_kernel0(%[[T]], %[[Y]]) : (memref<8xf32>, memref<8xf32>) -> ()
// CHECK-NEXT: call @graph_kernel1(%[[Y]], %[[T]]) : (memref<8xf32>, memref<8xf32>) -> ()
// CHECK-NEXT: return
// CHECK: func.func private @graph_kernel0(%[[A:.*]]: memref<8xf32>, %[[B:.*]]: memref<8xf32>) attributes {passthrough = ["noinline"]}
// CHECK-NEXT: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: linalg.generic {{.*}} ins(%[[A]] : memref<8xf32>) outs(%[[B]] : memref<8xf32>)
// CHECK: arith.maximumf %{{.*}}, %[[Z]]
// CHECK: func.func private @graph_kernel1(
// CHECK: arith.negf
// CHECK-NOT: func.func private @graph_kernel2

// In the llvm phase the three calls form one segment (kiln-outline-segments).
// LLVM: llvm.func @graph(
// LLVM: llvm.call @graph_segment0(
// LLVM: llvm.func @graph_kernel0({{.*}}) attributes {passthrough = ["noinline"]
// LLVM: llvm.func @graph_segment0(
// LLVM-COUNT-2: llvm.call @graph_kernel0(
// LLVM: llvm.call @graph_kernel1(
#map = affine_map<(d0) -> (d0)>
func.func @graph(%x: memref<8xf32>, %t: memref<8xf32>, %y: memref<8xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%x : memref<8xf32>) outs(%t : memref<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%t : memref<8xf32>) outs(%y : memref<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%y : memref<8xf32>) outs(%t : memref<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.negf %in : f32
    linalg.yield %r : f32
  }
  return
}
