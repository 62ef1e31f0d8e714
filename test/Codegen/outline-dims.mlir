// RUN: kiln-opt %s --kiln-outline-dims --split-input-file --verify-diagnostics | FileCheck %s

// Output dims from an input dim, a static dim and an expand_shape whose
// size is read from an input (a Reshape's shape).
// CHECK-LABEL: func.func @f(
// CHECK-SAME: attributes {kiln.dims_function = @f_dims}
// CHECK-LABEL: func.func @f_dims(
// CHECK-SAME: %[[X:.*]]: memref<?x4xf32>, %[[S:.*]]: memref<2xi64>, %[[R:.*]]: memref<?xi64>) attributes {kiln.dims_of = @f, kiln.shape_checks = []}
// The workspace size slot first, filled in by kiln-plan-workspace.
// CHECK: memref.store %{{.*}}, %[[R]]
// CHECK: %[[N:.*]] = memref.dim %[[X]]
// CHECK: %[[N64:.*]] = arith.index_cast %[[N]] : index to i64
// CHECK: memref.store %[[N64]], %[[R]]
// CHECK: memref.store %{{.*}}, %[[R]]
// CHECK: memref.store %{{.*}}, %[[R]]
// CHECK: %[[V:.*]] = memref.load %[[S]]
// CHECK: %[[I:.*]] = arith.index_cast %[[V]] : i64 to index
// CHECK: %[[I64:.*]] = arith.index_cast %[[I]] : index to i64
// CHECK: memref.store %[[I64]], %[[R]]
// The last slot: no shape check failed.
// CHECK: memref.store %{{.*}}, %[[R]]
// CHECK-NEXT: return
func.func @f(%x: memref<?x4xf32>, %s: memref<2xi64>) -> (memref<?x4xf32>, memref<2x?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %x, %c0 : memref<?x4xf32>
  %a = memref.alloc(%n) : memref<?x4xf32>
  %v = memref.load %s[%c1] : memref<2xi64>
  %m = arith.index_cast %v : i64 to index
  %flat = memref.alloc(%m) : memref<?xf32>
  %e = memref.expand_shape %flat [[0, 1]] output_shape [2, %m] : memref<?xf32> into memref<2x?xf32>
  return %a, %e : memref<?x4xf32>, memref<2x?xf32>
}

// -----

// A dim read from memory the model writes is refused.
// expected-error @+1 {{unsupported: dim 0 of result 0 depends on values the model computes}}
func.func @computed(%x: memref<4xi64>) -> memref<?xf32> {
  %c0 = arith.constant 0 : index
  %t = memref.alloc() : memref<4xi64>
  memref.copy %x, %t : memref<4xi64> to memref<4xi64>
  %v = memref.load %t[%c0] : memref<4xi64>
  %n = arith.index_cast %v : i64 to index
  %a = memref.alloc(%n) : memref<?xf32>
  return %a : memref<?xf32>
}
