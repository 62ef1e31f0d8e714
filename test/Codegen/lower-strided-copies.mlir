// RUN: kiln-opt %s --kiln-lower-strided-copies | FileCheck %s

// CHECK-LABEL: func.func @copies(
func.func @copies(%a: memref<4x8xf32>, %b: memref<4x8xf32>, %c: memref<2x3xf32>, %d: memref<2x2xbf16>, %e: memref<4x8xbf16>) {
  // Contiguous to contiguous stays a memref.copy (a memcpy).
  // CHECK: memref.copy %{{.*}}, %{{.*}} : memref<4x8xf32> to memref<4x8xf32>
  memref.copy %a, %b : memref<4x8xf32> to memref<4x8xf32>
  // Static rows of unit stride: a loop over the rows, each one vector.
  // CHECK: scf.for %[[ROW:.*]] = %c0 to %c2 step %c1
  // CHECK: %[[V:.*]] = vector.transfer_read %{{.*}}[%[[ROW]], %{{.*}}], {{.*}} {in_bounds = [true]} : memref<2x3xf32, strided<[8, 1], offset: 1>>, vector<3xf32>
  // CHECK: vector.transfer_write %[[V]], %{{.*}}[%[[ROW]], %{{.*}}] {in_bounds = [true]} : vector<3xf32>, memref<2x3xf32>
  %s = memref.subview %a[0, 1] [2, 3] [1, 1] : memref<4x8xf32> to memref<2x3xf32, strided<[8, 1], offset: 1>>
  memref.copy %s, %c : memref<2x3xf32, strided<[8, 1], offset: 1>> to memref<2x3xf32>
  // Elements that are not plain vectors (bf16) become linalg.copy, which
  // lowers to loops.
  // CHECK: linalg.copy ins(%{{.*}} : memref<2x2xbf16, strided<[8, 1], offset: 1>>) outs(%{{.*}} : memref<2x2xbf16>)
  // CHECK-NOT: memref.copy
  %t = memref.subview %e[0, 1] [2, 2] [1, 1] : memref<4x8xbf16> to memref<2x2xbf16, strided<[8, 1], offset: 1>>
  memref.copy %t, %d : memref<2x2xbf16, strided<[8, 1], offset: 1>> to memref<2x2xbf16>
  return
}
