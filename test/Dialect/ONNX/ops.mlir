// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// Every op prints in the custom form and parses back, with its operands in
// order, its attributes and its types.

// CHECK-LABEL: func.func @elementwise
// CHECK-SAME: (%[[A:[^:]*]]: tensor<2x3xf32>, %[[B:[^:]*]]: tensor<3xf32>, %[[C:[^:]*]]: tensor<2x3xi1>)
func.func @elementwise(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %c: tensor<2x3xi1>) -> tensor<2x3xf32> {
  // CHECK: %[[ADD:.*]] = onnx.Add(%[[A]], %[[B]]) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %0 = onnx.Add(%a, %b) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[LR:.*]] = onnx.LeakyRelu(%[[ADD]]) {alpha = 2.000000e-01 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = onnx.LeakyRelu(%0) {alpha = 0.2 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[GELU:.*]] = onnx.Gelu(%[[LR]]) {approximate = "tanh"} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = onnx.Gelu(%1) {approximate = "tanh"} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[LESS:.*]] = onnx.Less(%[[GELU]], %[[B]]) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %3 = onnx.Less(%2, %b) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: %[[WHERE:.*]] = onnx.Where(%[[LESS]], %[[GELU]], %[[A]]) : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %4 = onnx.Where(%3, %2, %a) : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[SUM:.*]] = onnx.Sum(%[[WHERE]], %[[A]], %[[B]]) : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %5 = onnx.Sum(%4, %a, %b) : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[SM:.*]] = onnx.Softmax(%[[SUM]]) {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %6 = onnx.Softmax(%5) {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: return %[[SM]] : tensor<2x3xf32>
  return %6 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @optional_operands_and_results
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x3x8x8xf32>, %[[W:[^:]*]]: tensor<4x3x3x3xf32>)
func.func @optional_operands_and_results(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x3x3xf32> {
  // CHECK: %[[NONE:.*]] = onnx.NoValue : none
  %none = onnx.NoValue : none
  // CHECK: %[[CONV:.*]] = onnx.Conv(%[[X]], %[[W]], %[[NONE]]) {strides = [2, 2]} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x3x3xf32>
  %0 = onnx.Conv(%x, %w, %none) {strides = [2, 2]} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x3x3xf32>
  // CHECK: %[[POOL:[^,]*]], %{{[^ ]*}} = onnx.MaxPool(%[[CONV]]) {kernel_shape = [1, 1]} : (tensor<1x4x3x3xf32>) -> (tensor<1x4x3x3xf32>, none)
  %1:2 = onnx.MaxPool(%0) {kernel_shape = [1, 1]} : (tensor<1x4x3x3xf32>) -> (tensor<1x4x3x3xf32>, none)
  // CHECK: return %[[POOL]] : tensor<1x4x3x3xf32>
  return %1#0 : tensor<1x4x3x3xf32>
}

// CHECK-LABEL: func.func @shapes
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x4xf32>)
func.func @shapes(%x: tensor<?x4xf32>) -> (tensor<2xi64>, tensor<?x2x2xf32>, tensor<*xf32>) {
  // CHECK: %[[SHAPE:.*]] = onnx.Constant() {value = dense<[-1, 2, 2]> : tensor<3xi64>} : () -> tensor<3xi64>
  %shape = onnx.Constant() {value = dense<[-1, 2, 2]> : tensor<3xi64>} : () -> tensor<3xi64>
  // CHECK: %[[R:.*]] = onnx.Reshape(%[[X]], %[[SHAPE]]) : (tensor<?x4xf32>, tensor<3xi64>) -> tensor<?x2x2xf32>
  %0 = onnx.Reshape(%x, %shape) : (tensor<?x4xf32>, tensor<3xi64>) -> tensor<?x2x2xf32>
  // CHECK: %[[DIMS:.*]] = onnx.Shape(%[[R]]) {start = 1 : i64} : (tensor<?x2x2xf32>) -> tensor<2xi64>
  %1 = onnx.Shape(%0) {start = 1 : i64} : (tensor<?x2x2xf32>) -> tensor<2xi64>
  // CHECK: %[[NONE:.*]] = onnx.NoValue : none
  // CHECK: %[[SPLIT:.*]]:2 = onnx.Split(%[[R]], %[[NONE]]) {axis = 1 : i64, num_outputs = 2 : i64} : (tensor<?x2x2xf32>, none) -> (tensor<?x1x2xf32>, tensor<*xf32>)
  %none = onnx.NoValue : none
  %2:2 = onnx.Split(%0, %none) {axis = 1 : i64, num_outputs = 2 : i64} : (tensor<?x2x2xf32>, none) -> (tensor<?x1x2xf32>, tensor<*xf32>)
  // CHECK: return %[[DIMS]], %[[R]], %[[SPLIT]]#1 : tensor<2xi64>, tensor<?x2x2xf32>, tensor<*xf32>
  return %1, %0, %2#1 : tensor<2xi64>, tensor<?x2x2xf32>, tensor<*xf32>
}
