// RUN: kiln-opt %s --convert-onnx-to-linalg --canonicalize --split-input-file | FileCheck %s

// Concat is a chain of insert_slices into an empty tensor.
// CHECK-LABEL: func.func @concat(
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x4xf32>
// CHECK: %[[S:.*]] = tensor.insert_slice %{{.*}} into %[[E]][0, 0] [2, 3] [1, 1]
// CHECK: tensor.insert_slice %{{.*}} into %[[S]][0, 3] [2, 1] [1, 1]
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x1xf32>) -> tensor<2x4xf32> {
  %0 = onnx.Concat(%a, %b) {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Gather reads the index, counts negatives from the end and clamps it.
// CHECK-LABEL: func.func @gather(
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<3x4xf32>)
// CHECK: %[[I:.*]] = tensor.extract %{{.*}}[%{{.*}}] : tensor<3xi64>
// CHECK: arith.cmpi slt
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: tensor.extract %{{.*}}[%{{.*}}, %{{.*}}] : tensor<5x4xf32>
func.func @gather(%d: tensor<5x4xf32>, %i: tensor<3xi64>) -> tensor<3x4xf32> {
  %0 = onnx.Gather(%d, %i) {axis = 0 : i64} : (tensor<5x4xf32>, tensor<3xi64>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// A negative step: data[8 - 3 i].
// CHECK-LABEL: func.func @slice(
// CHECK-DAG: %[[STEP:.*]] = arith.constant -3 : index
// CHECK-DAG: %[[START:.*]] = arith.constant 8 : index
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: %[[M:.*]] = arith.muli %[[I]], %[[STEP]] : index
// CHECK: %[[A:.*]] = arith.addi %[[M]], %[[START]] : index
// CHECK: tensor.extract %{{.*}}[%[[A]]] : tensor<10xf32>
func.func @slice(%d: tensor<10xf32>) -> tensor<3xf32> {
  %s = onnx.Constant() {value = dense<[8]> : tensor<1xi64>} : () -> tensor<1xi64>
  %e = onnx.Constant() {value = dense<[1]> : tensor<1xi64>} : () -> tensor<1xi64>
  %ax = onnx.Constant() {value = dense<[0]> : tensor<1xi64>} : () -> tensor<1xi64>
  %st = onnx.Constant() {value = dense<[-3]> : tensor<1xi64>} : () -> tensor<1xi64>
  %0 = onnx.Slice(%d, %s, %e, %ax, %st) : (tensor<10xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Unsigned tensors become signless; the ops pick unsigned arithmetic, and
// integer division never divides by zero.
// CHECK-LABEL: func.func @unsigned(
// CHECK-SAME: %[[A:[^:]*]]: tensor<4xi8>, %[[B:[^:]*]]: tensor<4xi8>) -> (tensor<4xi8>, tensor<4xi1>)
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1 : i8
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0 : i8
// a / b, with a zero divisor replaced by 1.
// CHECK: %[[Q:.*]] = linalg.generic {{.*}} ins(%[[A]], %[[B]] : tensor<4xi8>, tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[AV:[^:]*]]: i8, %[[BV:[^:]*]]: i8, %{{[^:]*}}: i8):
// CHECK-NEXT: %[[BZ:.*]] = arith.cmpi eq, %[[BV]], %[[ZERO]] : i8
// CHECK-NEXT: %[[D:.*]] = arith.select %[[BZ]], %[[ONE]], %[[BV]] : i8
// CHECK-NEXT: %[[QV:.*]] = arith.divui %[[AV]], %[[D]] : i8
// CHECK-NEXT: linalg.yield %[[QV]] : i8
// a < b, unsigned.
// CHECK: %[[L:.*]] = linalg.generic {{.*}} ins(%[[A]], %[[B]] : tensor<4xi8>, tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[AV2:[^:]*]]: i8, %[[BV2:[^:]*]]: i8, %{{[^:]*}}: i1):
// CHECK-NEXT: %[[LT:.*]] = arith.cmpi ult, %[[AV2]], %[[BV2]] : i8
// CHECK-NEXT: linalg.yield %[[LT]] : i1
// CHECK: return %[[Q]], %[[L]]
func.func @unsigned(%a: tensor<4xui8>, %b: tensor<4xui8>) -> (tensor<4xui8>, tensor<4xi1>) {
  %0 = onnx.Div(%a, %b) : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %1 = onnx.Less(%a, %b) : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xi1>
  return %0, %1 : tensor<4xui8>, tensor<4xi1>
}

// -----

// Pad with pads read at run time: the begin pads shift the index, and each
// static result dim is checked against input + pads.
// CHECK-LABEL: func.func @pad_runtime
// CHECK: tensor.extract %{{.*}} : tensor<4xi64>
// CHECK: cf.assert %{{.*}}, "the pads do not give dim 0 of the declared result"
// CHECK: linalg.generic
// CHECK: scf.if
func.func @pad_runtime(%x: tensor<2x3xf32>, %p: tensor<4xi64>) -> tensor<4x5xf32> {
  %none = onnx.NoValue : none
  %0 = onnx.Pad(%x, %p, %none, %none) : (tensor<2x3xf32>, tensor<4xi64>, none, none) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

// EyeLike with k = 1: ones where column - row == 1 (the select of 1 and 0
// canonicalizes to a zero extension).
// CHECK-LABEL: func.func @eye_like
// CHECK: linalg.generic
// CHECK: %[[R:.*]] = linalg.index 0
// CHECK: %[[C:.*]] = linalg.index 1
// CHECK: %[[D:.*]] = arith.subi %[[C]], %[[R]]
// CHECK: %[[EQ:.*]] = arith.cmpi eq, %[[D]], %c1
// CHECK: arith.extui %[[EQ]] : i1 to i32
func.func @eye_like(%x: tensor<3x4xf32>) -> tensor<3x4xi32> {
  %0 = onnx.EyeLike(%x) {dtype = 6 : i64, k = 1 : i64} : (tensor<3x4xf32>) -> tensor<3x4xi32>
  return %0 : tensor<3x4xi32>
}
