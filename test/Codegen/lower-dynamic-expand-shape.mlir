// RUN: kiln-opt %s --kiln-lower-dynamic-expand-shape | FileCheck %s

// One dim expanded into two dynamic ones and a static one: new sizes and
// row-major strides (static where every later size is).
// CHECK-LABEL: func.func @two_dynamic(
// CHECK-SAME: %[[A:.*]]: memref<?x64xf32>, %[[B:.*]]: index, %[[S:.*]]: index)
// CHECK: %[[C64:.*]] = arith.constant 64 : index
// CHECK: %[[STRIDE:.*]] = arith.muli %[[C64]], %[[S]] : index
// CHECK: %[[R:.*]] = memref.reinterpret_cast %[[A]] to offset: [0], sizes: [%[[B]], %[[S]], 64], strides: [%[[STRIDE]], 64, 1]
// CHECK-NOT: memref.expand_shape
// CHECK: return %[[R]]
func.func @two_dynamic(%a: memref<?x64xf32>, %b: index, %s: index) -> memref<?x?x64xf32> {
  %e = memref.expand_shape %a [[0, 1], [2]] output_shape [%b, %s, 64] : memref<?x64xf32> into memref<?x?x64xf32>
  return %e : memref<?x?x64xf32>
}

// One dynamic dim per group is left to upstream.
// CHECK-LABEL: func.func @one_dynamic(
// CHECK: memref.expand_shape
func.func @one_dynamic(%a: memref<?xf32>, %b: index) -> memref<?x4xf32> {
  %e = memref.expand_shape %a [[0, 1]] output_shape [%b, 4] : memref<?xf32> into memref<?x4xf32>
  return %e : memref<?x4xf32>
}
