// RUN: kiln-opt %s --canonicalize --split-input-file | FileCheck %s

// Shape computations on static shapes fold to constants.
// CHECK-LABEL: func.func @fold_shape_arithmetic
func.func @fold_shape_arithmetic(%x: tensor<2x3x4xf32>) -> tensor<2xi64> {
  // CHECK: %[[C:.*]] = onnx.Constant() {value = dense<[2, 12]> : tensor<2xi64>}
  // CHECK-NEXT: return %[[C]]
  %s = onnx.Shape(%x) : (tensor<2x3x4xf32>) -> tensor<3xi64>
  %i0 = onnx.Constant() {value = dense<0> : tensor<1xi64>} : () -> tensor<1xi64>
  %i1 = onnx.Constant() {value = dense<1> : tensor<1xi64>} : () -> tensor<1xi64>
  %i2 = onnx.Constant() {value = dense<2> : tensor<1xi64>} : () -> tensor<1xi64>
  %d0 = onnx.Gather(%s, %i0) : (tensor<3xi64>, tensor<1xi64>) -> tensor<1xi64>
  %d1 = onnx.Gather(%s, %i1) : (tensor<3xi64>, tensor<1xi64>) -> tensor<1xi64>
  %d2 = onnx.Gather(%s, %i2) : (tensor<3xi64>, tensor<1xi64>) -> tensor<1xi64>
  %m = onnx.Mul(%d1, %d2) : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %r = onnx.Concat(%d0, %m) {axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  return %r : tensor<2xi64>
}

// -----

// CHECK-LABEL: func.func @fold_slice_cast_unsqueeze
func.func @fold_slice_cast_unsqueeze(%x: tensor<5x7xf32>) -> tensor<1x1xi32> {
  // CHECK: %[[C:.*]] = onnx.Constant() {value = dense<7> : tensor<1x1xi32>}
  // CHECK-NEXT: return %[[C]]
  %s = onnx.Shape(%x) : (tensor<5x7xf32>) -> tensor<2xi64>
  %b = onnx.Constant() {value = dense<1> : tensor<1xi64>} : () -> tensor<1xi64>
  %e = onnx.Constant() {value = dense<2> : tensor<1xi64>} : () -> tensor<1xi64>
  %none = onnx.NoValue : none
  %d = onnx.Slice(%s, %b, %e, %none, %none) : (tensor<2xi64>, tensor<1xi64>, tensor<1xi64>, none, none) -> tensor<1xi64>
  %c = onnx.Cast(%d) {to = 6 : i64} : (tensor<1xi64>) -> tensor<1xi32>
  %a = onnx.Constant() {value = dense<0> : tensor<1xi64>} : () -> tensor<1xi64>
  %u = onnx.Unsqueeze(%c, %a) : (tensor<1xi32>, tensor<1xi64>) -> tensor<1x1xi32>
  return %u : tensor<1x1xi32>
}

// -----

// Dynamic dims do not fold.
// CHECK-LABEL: func.func @no_fold_dynamic
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x4xf32>)
func.func @no_fold_dynamic(%x: tensor<?x4xf32>) -> tensor<2xi64> {
  // CHECK-NOT: onnx.Constant
  // CHECK: %[[S:.*]] = onnx.Shape(%[[X]]) : (tensor<?x4xf32>) -> tensor<2xi64>
  // CHECK-NEXT: return %[[S]]
  %s = onnx.Shape(%x) : (tensor<?x4xf32>) -> tensor<2xi64>
  return %s : tensor<2xi64>
}

// -----

// Integer division by zero is left to run time.
// CHECK-LABEL: func.func @no_fold_div_by_zero
func.func @no_fold_div_by_zero() -> tensor<1xi64> {
  %a = onnx.Constant() {value = dense<4> : tensor<1xi64>} : () -> tensor<1xi64>
  %b = onnx.Constant() {value = dense<0> : tensor<1xi64>} : () -> tensor<1xi64>
  // CHECK-DAG: %[[A:.*]] = onnx.Constant() {value = dense<4> : tensor<1xi64>}
  // CHECK-DAG: %[[B:.*]] = onnx.Constant() {value = dense<0> : tensor<1xi64>}
  // CHECK: %[[Q:.*]] = onnx.Div(%[[A]], %[[B]]) : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  // CHECK-NEXT: return %[[Q]]
  %c = onnx.Div(%a, %b) : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  return %c : tensor<1xi64>
}

// -----

// CHECK-LABEL: func.func @compose_transposes
func.func @compose_transposes(%x: tensor<2x3x4xf32>) -> tensor<3x2x4xf32> {
  // CHECK: %[[T:.*]] = onnx.Transpose(%{{.*}}) {perm = [1, 0, 2]}
  // CHECK-NEXT: return %[[T]]
  %0 = onnx.Transpose(%x) {perm = [2, 0, 1]} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %1 = onnx.Transpose(%0) {perm = [2, 1, 0]} : (tensor<4x2x3xf32>) -> tensor<3x2x4xf32>
  return %1 : tensor<3x2x4xf32>
}

// -----

// CHECK-LABEL: func.func @identity_transpose_and_reshape
func.func @identity_transpose_and_reshape(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK-NOT: onnx.Transpose
  // CHECK-NOT: onnx.Reshape
  // CHECK: return %arg0
  %0 = onnx.Transpose(%x) {perm = [0, 1]} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %s = onnx.Constant() {value = dense<[2, 3]> : tensor<2xi64>} : () -> tensor<2xi64>
  %1 = onnx.Reshape(%0, %s) : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @compose_reshapes
func.func @compose_reshapes(%x: tensor<?x6xf32>) -> tensor<?x2xf32> {
  // CHECK: onnx.Reshape(%arg0, %{{.*}}) : (tensor<?x6xf32>, tensor<2xi64>) -> tensor<?x2xf32>
  // CHECK-NOT: onnx.Reshape
  %s1 = onnx.Constant() {value = dense<[-1, 3, 2]> : tensor<3xi64>} : () -> tensor<3xi64>
  %0 = onnx.Reshape(%x, %s1) : (tensor<?x6xf32>, tensor<3xi64>) -> tensor<?x3x2xf32>
  %s2 = onnx.Constant() {value = dense<[-1, 2]> : tensor<2xi64>} : () -> tensor<2xi64>
  %1 = onnx.Reshape(%0, %s2) : (tensor<?x3x2xf32>, tensor<2xi64>) -> tensor<?x2xf32>
  return %1 : tensor<?x2xf32>
}
