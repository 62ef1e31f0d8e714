// RUN: kiln-opt %s --kiln-lower-strided-copies | FileCheck %s

// CHECK-LABEL: func.func @copies(
func.func @copies(%a: memref<4x8xf32>, %b: memref<4x8xf32>, %c: memref<2x3xf32>) {
  // Contiguous to contiguous stays a memref.copy (a memcpy).
  // CHECK: memref.copy %{{.*}}, %{{.*}} : memref<4x8xf32> to memref<4x8xf32>
  memref.copy %a, %b : memref<4x8xf32> to memref<4x8xf32>
  // A strided source becomes linalg.copy, which lowers to loops.
  // CHECK: linalg.copy ins(%{{.*}} : memref<2x3xf32, strided<[8, 1], offset: 1>>) outs(%{{.*}} : memref<2x3xf32>)
  // CHECK-NOT: memref.copy
  %s = memref.subview %a[0, 1] [2, 3] [1, 1] : memref<4x8xf32> to memref<2x3xf32, strided<[8, 1], offset: 1>>
  memref.copy %s, %c : memref<2x3xf32, strided<[8, 1], offset: 1>> to memref<2x3xf32>
  return
}
