// RUN: kiln-opt %s --onnx-calibration-probes | FileCheck %s

// Each quantizable layer's activation and output are returned after the
// graph's own outputs, named by its node; a grouped Conv and a MatMul by
// a non-constant matrix are not quantizable layers.
// CHECK-LABEL: func.func @main_graph(
// CHECK-SAME: %[[X:[^:]*]]: tensor<1x2x4x4xf32>
// CHECK-SAME: -> (tensor<1x4x4x4xf32> {onnx.name = "y"}, tensor<1x2x4x4xf32> {onnx.name = "calibration:conv"}, tensor<1x4x4x4xf32> {onnx.name = "calibration-output:conv"}, tensor<1x4x4x4xf32> {onnx.name = "calibration:fc"}, tensor<1x4x4x4xf32> {onnx.name = "calibration-output:fc"})
// CHECK: %[[C:.*]] = onnx.Conv({{.*}}: (tensor<1x2x4x4xf32>
// CHECK: %[[G:.*]] = onnx.Conv({{.*}}group = 4
// CHECK: %[[F:.*]] = onnx.MatMul(
// CHECK: %[[Y:.*]] = onnx.MatMul(
// CHECK: return %[[Y]], %[[X]], %[[C]], %[[G]], %[[F]] :
func.func @main_graph(%x: tensor<1x2x4x4xf32> {onnx.name = "x"}, %m: tensor<4x4xf32> {onnx.name = "m"}) -> (tensor<1x4x4x4xf32> {onnx.name = "y"}) {
  %none = onnx.NoValue : none
  %w = onnx.Constant() {value = dense<0.5> : tensor<4x2x1x1xf32>} : () -> tensor<4x2x1x1xf32>
  %c = onnx.Conv(%x, %w, %none) : (tensor<1x2x4x4xf32>, tensor<4x2x1x1xf32>, none) -> tensor<1x4x4x4xf32> loc("conv")
  %r = onnx.Relu(%c) : (tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %wg = onnx.Constant() {value = dense<0.5> : tensor<4x1x1x1xf32>} : () -> tensor<4x1x1x1xf32>
  %g = onnx.Conv(%r, %wg, %none) {group = 4 : i64} : (tensor<1x4x4x4xf32>, tensor<4x1x1x1xf32>, none) -> tensor<1x4x4x4xf32> loc("grouped")
  %wf = onnx.Constant() {value = dense<0.25> : tensor<4x4xf32>} : () -> tensor<4x4xf32>
  %f = onnx.MatMul(%g, %wf) : (tensor<1x4x4x4xf32>, tensor<4x4xf32>) -> tensor<1x4x4x4xf32> loc("fc")
  %y = onnx.MatMul(%f, %m) : (tensor<1x4x4x4xf32>, tensor<4x4xf32>) -> tensor<1x4x4x4xf32> loc("variable")
  return %y : tensor<1x4x4x4xf32>
}
