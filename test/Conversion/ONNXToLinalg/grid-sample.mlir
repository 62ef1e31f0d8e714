// RUN: kiln-opt %s --convert-onnx-to-linalg --split-input-file | FileCheck %s

// Bilinear sampling of a 2-D image: the grid's x and y are read, mapped to
// input coordinates, and 4 taps are weighted and summed; zeros padding
// selects 0 for taps outside.
// CHECK-LABEL: func.func @bilinear_zeros
// CHECK: linalg.generic
// CHECK-COUNT-2: tensor.extract %{{.*}} : tensor<1x2x3x2xf32>
// CHECK: math.floor
// CHECK: math.floor
// CHECK-COUNT-4: tensor.extract %{{.*}} : tensor<1x1x4x4xf32>
// CHECK: -> tensor<1x1x2x3xf32>
func.func @bilinear_zeros(%x: tensor<1x1x4x4xf32>, %g: tensor<1x2x3x2xf32>) -> tensor<1x1x2x3xf32> {
  %0 = onnx.GridSample(%x, %g) : (tensor<1x1x4x4xf32>, tensor<1x2x3x2xf32>) -> tensor<1x1x2x3xf32>
  return %0 : tensor<1x1x2x3xf32>
}

// -----

// Nearest sampling with reflection: coordinates round half to even and one
// tap is read.
// CHECK-LABEL: func.func @nearest_reflection
// CHECK: math.roundeven
// CHECK: math.trunc
// CHECK-COUNT-1: tensor.extract %{{.*}} : tensor<1x2x4x4xf32>
// CHECK-NOT: tensor.extract %{{.*}} : tensor<1x2x4x4xf32>
func.func @nearest_reflection(%x: tensor<1x2x4x4xf32>, %g: tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32> {
  %0 = onnx.GridSample(%x, %g) {mode = "nearest", padding_mode = "reflection"} : (tensor<1x2x4x4xf32>, tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}
