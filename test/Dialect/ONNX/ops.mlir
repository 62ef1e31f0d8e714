// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// Every op prints in the custom form and parses back.

// CHECK-LABEL: func.func @elementwise
func.func @elementwise(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %c: tensor<2x3xi1>) -> tensor<2x3xf32> {
  // CHECK: onnx.Add(%{{.*}}, %{{.*}}) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %0 = onnx.Add(%a, %b) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: onnx.LeakyRelu(%{{.*}}) {alpha = 2.000000e-01 : f32}
  %1 = onnx.LeakyRelu(%0) {alpha = 0.2 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: onnx.Gelu(%{{.*}}) {approximate = "tanh"}
  %2 = onnx.Gelu(%1) {approximate = "tanh"} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: onnx.Less
  %3 = onnx.Less(%2, %b) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: onnx.Where
  %4 = onnx.Where(%3, %2, %a) : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: onnx.Sum(%{{.*}}, %{{.*}}, %{{.*}})
  %5 = onnx.Sum(%4, %a, %b) : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: onnx.Softmax(%{{.*}}) {axis = 0 : i64}
  %6 = onnx.Softmax(%5) {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %6 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @optional_operands_and_results
func.func @optional_operands_and_results(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x3x3xf32> {
  // CHECK: %[[NONE:.*]] = onnx.NoValue : none
  %none = onnx.NoValue : none
  // CHECK: onnx.Conv(%{{.*}}, %{{.*}}, %[[NONE]]) {strides = [2, 2]}
  %0 = onnx.Conv(%x, %w, %none) {strides = [2, 2]} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x3x3xf32>
  // CHECK: onnx.MaxPool(%{{.*}}) {kernel_shape = [1, 1]} : (tensor<1x4x3x3xf32>) -> (tensor<1x4x3x3xf32>, none)
  %1:2 = onnx.MaxPool(%0) {kernel_shape = [1, 1]} : (tensor<1x4x3x3xf32>) -> (tensor<1x4x3x3xf32>, none)
  return %1#0 : tensor<1x4x3x3xf32>
}

// CHECK-LABEL: func.func @shapes
func.func @shapes(%x: tensor<?x4xf32>) -> (tensor<2xi64>, tensor<?x2x2xf32>, tensor<*xf32>) {
  // CHECK: onnx.Constant() {value = dense<[-1, 2, 2]> : tensor<3xi64>}
  %shape = onnx.Constant() {value = dense<[-1, 2, 2]> : tensor<3xi64>} : () -> tensor<3xi64>
  // CHECK: onnx.Reshape
  %0 = onnx.Reshape(%x, %shape) : (tensor<?x4xf32>, tensor<3xi64>) -> tensor<?x2x2xf32>
  // CHECK: onnx.Shape(%{{.*}}) {start = 1 : i64}
  %1 = onnx.Shape(%0) {start = 1 : i64} : (tensor<?x2x2xf32>) -> tensor<2xi64>
  // CHECK: onnx.Split(%{{.*}}, %{{.*}}) {axis = 1 : i64, num_outputs = 2 : i64}
  %none = onnx.NoValue : none
  %2:2 = onnx.Split(%0, %none) {axis = 1 : i64, num_outputs = 2 : i64} : (tensor<?x2x2xf32>, none) -> (tensor<?x1x2xf32>, tensor<*xf32>)
  return %1, %0, %2#1 : tensor<2xi64>, tensor<?x2x2xf32>, tensor<*xf32>
}
