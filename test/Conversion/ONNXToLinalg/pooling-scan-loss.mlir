// RUN: kiln-opt %s --convert-onnx-to-linalg --canonicalize --split-input-file | FileCheck %s

// AveragePool without count_include_pad divides each window sum by the
// number of input elements the window covers, worked out at compile time.
// CHECK-LABEL: func.func @avgpool(
// CHECK: %[[COUNTS:.*]] = arith.constant dense<{{\[\[}}4.000000e+00, 6.000000e+00], [6.000000e+00, 9.000000e+00]]> : tensor<2x2xf32>
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK: linalg.generic {{.*}} ins(%[[SUM]], %[[COUNTS]] : tensor<1x1x2x2xf32>, tensor<2x2xf32>)
// CHECK: arith.divf
func.func @avgpool(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  %0 = onnx.AveragePool(%x) {kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [2, 2]} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  return %0 : tensor<1x1x2x2xf32>
}

// -----

// CumSum along a run-time axis: a loop over the run in each element.
// CHECK-LABEL: func.func @cumsum(
// CHECK: linalg.generic
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}) -> (f32)
// CHECK: tensor.extract %{{.*}}[%{{.*}}] : tensor<5xf32>
// CHECK: arith.addf
func.func @cumsum(%x: tensor<5xf32>, %a: tensor<i32>) -> tensor<5xf32> {
  %0 = onnx.CumSum(%x, %a) : (tensor<5xf32>, tensor<i32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

// NLL with mean reduction: the summed losses over the summed weights.
// CHECK-LABEL: func.func @nll(
// CHECK: arith.negf
// CHECK: %[[LOSS:.*]] = linalg.generic {{.*}}iterator_types = ["reduction"]
// CHECK: %[[WEIGHTS:.*]] = linalg.generic {{.*}}iterator_types = ["reduction"]
// CHECK: linalg.generic {{.*}}iterator_types = []} ins(%[[LOSS]], %[[WEIGHTS]] : tensor<f32>, tensor<f32>)
// CHECK: arith.divf
func.func @nll(%x: tensor<3x5xf32>, %t: tensor<3xi64>) -> tensor<f32> {
  %none = onnx.NoValue : none
  %0 = onnx.NegativeLogLikelihoodLoss(%x, %t, %none) {reduction = "mean"} : (tensor<3x5xf32>, tensor<3xi64>, none) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// Grouped convolution: one generic on grouped views of input and weights.
// CHECK-LABEL: func.func @grouped_conv(
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2], [3], [4]] {{.*}} : tensor<1x4x5x5xf32> into tensor<1x2x2x5x5xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2], [3], [4]] {{.*}} : tensor<6x2x3x3xf32> into tensor<2x3x2x3x3xf32>
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2], [3], [4]] : tensor<1x2x3x3x3xf32> into tensor<1x6x3x3xf32>
func.func @grouped_conv(%x: tensor<1x4x5x5xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<1x6x3x3xf32> {
  %none = onnx.NoValue : none
  %0 = onnx.Conv(%x, %w, %none) {group = 2 : i64} : (tensor<1x4x5x5xf32>, tensor<6x2x3x3xf32>, none) -> tensor<1x6x3x3xf32>
  return %0 : tensor<1x6x3x3xf32>
}
