// RUN: not kiln-opt %s --convert-onnx-to-linalg --split-input-file 2>&1 | FileCheck %s

// An op without a lowering (here: TopK on a dynamic shape) is an error
// located at its ONNX node.
func.func @topk(%x: tensor<?x6xf32>) -> tensor<?x3xf32> {
  %k = onnx.Constant() {value = dense<3> : tensor<1xi64>} : () -> tensor<1xi64>
  // CHECK: error: loc("the_topk"): failed to legalize operation 'onnx.TopK'
  %0:2 = onnx.TopK(%x, %k) : (tensor<?x6xf32>, tensor<1xi64>) -> (tensor<?x3xf32>, tensor<?x3xi64>) loc("the_topk")
  return %0#0 : tensor<?x3xf32>
}

// -----

// Grouped convolutions with a dynamic batch have no lowering yet.
func.func @grouped_conv(%x: tensor<?x4x5x5xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<?x4x3x3xf32> {
  %none = onnx.NoValue : none
  // CHECK: error: loc("grouped"): failed to legalize operation 'onnx.Conv'
  %0 = onnx.Conv(%x, %w, %none) {group = 4 : i64} : (tensor<?x4x5x5xf32>, tensor<4x1x3x3xf32>, none) -> tensor<?x4x3x3xf32> loc("grouped")
  return %0 : tensor<?x4x3x3xf32>
}
