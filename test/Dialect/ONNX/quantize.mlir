// RUN: kiln-opt %s --onnx-quantize --split-input-file | FileCheck %s

// A Conv marked int8: its activation through Q/DQ with uint8 parameters of
// its range ([-1.5, 6]: scale 7.5 / 255, zero point 51), its weights
// quantized per filter (scale max|w| / 127), the marks dropped.
// CHECK-LABEL: func.func @conv(
// CHECK-SAME: %[[X:[^:]*]]: tensor<1x2x4x4xf32>
// CHECK-DAG: %[[S:.*]] = onnx.Constant() {value = dense<0.0294117648> : tensor<f32>}
// CHECK-DAG: %[[Z:.*]] = onnx.Constant() {value = dense<51> : tensor<ui8>}
// CHECK: %[[Q:.*]] = onnx.QuantizeLinear(%[[X]], %[[S]], %[[Z]]) : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x4x4xui8>
// CHECK: %[[DQ:.*]] = onnx.DequantizeLinear(%[[Q]], %[[S]], %[[Z]])
// CHECK: %[[W:.*]] = onnx.Constant() {value = dense_resource<wconv_int8> : tensor<2x2x1x1xi8>}
// CHECK: %[[WS:.*]] = onnx.Constant() {value = dense<[0.00393700786, 0.0157480314]> : tensor<2xf32>}
// CHECK: %[[WDQ:.*]] = onnx.DequantizeLinear(%[[W]], %[[WS]], %{{.*}}) {axis = 0 : i64} : (tensor<2x2x1x1xi8>, tensor<2xf32>, none) -> tensor<2x2x1x1xf32>
// CHECK: onnx.Conv(%[[DQ]], %[[WDQ]], %{{.*}}) : (
// CHECK-NOT: kiln.
// CHECK: wconv_int8: "0x010000007F40C07F"
func.func @conv(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %none = onnx.NoValue : none
  %w = onnx.Constant() {value = dense<[[[[0.5]], [[0.25]]], [[[-1.0]], [[2.0]]]]> : tensor<2x2x1x1xf32>} : () -> tensor<2x2x1x1xf32>
  %c = onnx.Conv(%x, %w, %none) {kiln.activation_range = array<f64: -1.5, 6.0>, kiln.precision = "int8"} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, none) -> tensor<1x2x4x4xf32> loc("conv")
  return %c : tensor<1x2x4x4xf32>
}

// -----

// A Gemm with transB marked int8: a MatMul of the Q/DQ activation by its B
// laid out K x N, quantized per column, plus its C. A layer marked f32
// only loses the mark.
// CHECK-LABEL: func.func @gemm(
// CHECK: %[[Q:.*]] = onnx.QuantizeLinear(
// CHECK: %[[DQ:.*]] = onnx.DequantizeLinear(%[[Q]],
// CHECK: %[[W:.*]] = onnx.Constant() {value = dense_resource<wfc_int8> : tensor<2x3xi8>}
// CHECK: %[[WDQ:.*]] = onnx.DequantizeLinear(%[[W]], %{{.*}}, %{{.*}}) : (tensor<2x3xi8>, tensor<3xf32>, none) -> tensor<2x3xf32>
// CHECK: %[[M:.*]] = onnx.MatMul(%[[DQ]], %[[WDQ]]) : (tensor<4x2xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
// CHECK: %[[Y:.*]] = onnx.Add(%[[M]], %{{.*}}) : (tensor<4x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
// CHECK: %[[F:.*]] = onnx.MatMul(%[[Y]], %{{.*}}) : (tensor<4x3xf32>, tensor<3x3xf32>) -> tensor<4x3xf32>
// CHECK: return %[[F]]
// CHECK-NOT: kiln.
// CHECK: wfc_int8: "0x010000007F7F00814000"
func.func @gemm(%a: tensor<4x2xf32>) -> tensor<4x3xf32> {
  %b = onnx.Constant() {value = dense<[[1.0, -1.0], [0.5, 0.25], [0.0, 0.0]]> : tensor<3x2xf32>} : () -> tensor<3x2xf32>
  %c = onnx.Constant() {value = dense<[1.0, 2.0, 3.0]> : tensor<3xf32>} : () -> tensor<3xf32>
  %y = onnx.Gemm(%a, %b, %c) {transB = 1 : i64, kiln.activation_range = array<f64: 0.0, 1.0>, kiln.precision = "int8"} : (tensor<4x2xf32>, tensor<3x2xf32>, tensor<3xf32>) -> tensor<4x3xf32> loc("fc")
  %w = onnx.Constant() {value = dense<1.0> : tensor<3x3xf32>} : () -> tensor<3x3xf32>
  %f = onnx.MatMul(%y, %w) {kiln.precision = "f32"} : (tensor<4x3xf32>, tensor<3x3xf32>) -> tensor<4x3xf32> loc("out")
  return %f : tensor<4x3xf32>
}
