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

// -----

// Weight-only int4 (blocks of 2 along K): codes (q + 8) two to a byte,
// element 2i of K in the low nibble, an f32 scale (max|w| / 7) per block
// and column; unpacked by nibble, offset by 8 and scaled, then read by the
// MatMul. Column 0 is [7, -7, 1, 0.5] -> codes 15, 1 | 15, 11 (scales 1
// and 1/7; 0.5 * 7 rounds down in f32); column 1 is zeros (scale 1, code
// 8).
// CHECK-LABEL: func.func @int4_matmul(
// CHECK-SAME: %[[A:[^:]*]]: tensor<3x4xf32>
// CHECK: %[[P:.*]] = onnx.Constant() {value = dense_resource<wmm_int4> : tensor<2x2xui8>}
// CHECK: %[[S:.*]] = onnx.Constant() {value = dense_resource<wmm_int4_scales> : tensor<2x2xf32>}
// CHECK: %[[LO:.*]] = onnx.BitwiseAnd(%[[P]], %{{.*}})
// CHECK: %[[HI:.*]] = onnx.BitShift(%[[P]], %{{.*}}) {direction = "RIGHT"}
// CHECK: %[[PAIRS:.*]] = onnx.Concat(%{{.*}}, %{{.*}}) {axis = 1 : i64} : (tensor<2x1x2xui8>, tensor<2x1x2xui8>) -> tensor<2x2x2xui8>
// CHECK: %[[W:.*]] = onnx.Reshape(%{{.*}}, %{{.*}}) {{.*}} -> tensor<4x2xf32>
// CHECK: %[[Y:.*]] = onnx.MatMul(%[[A]], %[[W]]) : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
// CHECK: return %[[Y]]
// CHECK: wmm_int4: "0x010000001F88BF88"
// CHECK: wmm_int4_scales: "0x040000000000803F0000803F2549123E0000803F"
func.func @int4_matmul(%a: tensor<3x4xf32>) -> tensor<3x2xf32> {
  %w = onnx.Constant() {value = dense<[[7.0, 0.0], [-7.0, 0.0], [1.0, 0.0], [0.5, 0.0]]> : tensor<4x2xf32>} : () -> tensor<4x2xf32>
  %y = onnx.MatMul(%a, %w) {kiln.precision = "int4", kiln.block_size = 2 : i64} : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32> loc("mm")
  return %y : tensor<3x2xf32>
}

// -----

// An int4 embedding table: the packed rows and their scales gathered, then
// unpacked along the embedded dim.
// CHECK-LABEL: func.func @int4_gather(
// CHECK-SAME: %[[IDS:[^:]*]]: tensor<2x3xi64>
// CHECK: %[[P:.*]] = onnx.Constant() {value = dense_resource<wemb_int4> : tensor<5x2xui8>}
// CHECK: %[[S:.*]] = onnx.Constant() {value = dense_resource<wemb_int4_scales> : tensor<5x2xf32>}
// CHECK: onnx.Gather(%[[P]], %[[IDS]]) : (tensor<5x2xui8>, tensor<2x3xi64>) -> tensor<2x3x2xui8>
// CHECK: onnx.Gather(%[[S]], %[[IDS]]) : (tensor<5x2xf32>, tensor<2x3xi64>) -> tensor<2x3x2xf32>
// CHECK: onnx.Concat(%{{.*}}, %{{.*}}) {axis = 3 : i64} : (tensor<2x3x2x1xui8>, tensor<2x3x2x1xui8>) -> tensor<2x3x2x2xui8>
// CHECK: %[[Y:.*]] = onnx.Reshape({{.*}} -> tensor<2x3x4xf32>
// CHECK: return %[[Y]]
func.func @int4_gather(%ids: tensor<2x3xi64>) -> tensor<2x3x4xf32> {
  %t = onnx.Constant() {value = dense<0.5> : tensor<5x4xf32>} : () -> tensor<5x4xf32>
  %y = onnx.Gather(%t, %ids) {kiln.precision = "int4", kiln.block_size = 2 : i64} : (tensor<5x4xf32>, tensor<2x3xi64>) -> tensor<2x3x4xf32> loc("emb")
  return %y : tensor<2x3x4xf32>
}
