// RUN: not kiln-opt %s --convert-onnx-to-linalg 2>&1 | FileCheck %s

// An op without a lowering is an error located at its ONNX node.
func.func @conv(%x: tensor<1x1x4x4xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x2x2xf32> {
  %none = onnx.NoValue : none
  // CHECK: error: loc("the_conv"): failed to legalize operation 'onnx.Conv'
  %0 = onnx.Conv(%x, %w, %none) : (tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>, none) -> tensor<1x1x2x2xf32> loc("the_conv")
  return %0 : tensor<1x1x2x2xf32>
}
