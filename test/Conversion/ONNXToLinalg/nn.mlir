// RUN: kiln-opt %s --convert-onnx-to-linalg --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @conv_same_upper
func.func @conv_same_upper(%x: tensor<?x3x5x5xf32>, %w: tensor<8x3x2x2xf32>, %b: tensor<8xf32>) -> tensor<?x8x5x5xf32> {
  // SAME_UPPER with an even kernel pads 0 before, 1 after.
  // CHECK: tensor.pad %{{.*}} low[0, 0, 0, 0] high[0, 0, 1, 1]
  // CHECK: linalg.fill
  // CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
  // CHECK: linalg.generic
  // CHECK: arith.addf
  %0 = onnx.Conv(%x, %w, %b) {auto_pad = "SAME_UPPER"} : (tensor<?x3x5x5xf32>, tensor<8x3x2x2xf32>, tensor<8xf32>) -> tensor<?x8x5x5xf32>
  return %0 : tensor<?x8x5x5xf32>
}
