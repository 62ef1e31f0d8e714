// RUN: not kiln-opt %s --convert-onnx-to-linalg --split-input-file 2>&1 | FileCheck %s

// An op without a lowering (here: LpPool, which the graph phase decomposes)
// is an "unsupported" error located at its ONNX node, with the cause.
func.func @lppool(%x: tensor<1x3x8x8xf32>) -> tensor<1x3x7x7xf32> {
  // CHECK: error: loc("the_pool"): unsupported: cannot lower 'onnx.LpPool': no lowering pattern applies{{$}}
  %0 = onnx.LpPool(%x) {kernel_shape = [2, 2], p = 2 : i64} : (tensor<1x3x8x8xf32>) -> tensor<1x3x7x7xf32> loc("the_pool")
  return %0 : tensor<1x3x7x7xf32>
}

// -----

// MaxPool's Indices output needs static shapes.
func.func @maxpool_indices(%x: tensor<?x1x4x4xf32>) -> tensor<?x1x2x2xi64> {
  // CHECK: error: loc("indices"): unsupported: cannot lower 'onnx.MaxPool': indices need static shapes{{$}}
  %0:2 = onnx.MaxPool(%x) {kernel_shape = [2, 2], strides = [2, 2]} : (tensor<?x1x4x4xf32>) -> (tensor<?x1x2x2xf32>, tensor<?x1x2x2xi64>) loc("indices")
  return %0#1 : tensor<?x1x2x2xi64>
}
