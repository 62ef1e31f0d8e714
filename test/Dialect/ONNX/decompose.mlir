// RUN: kiln-opt %s --onnx-decompose --split-input-file | FileCheck %s

// 4-D attention with a causal mask: both operands scaled by sqrt(1/sqrt(8)),
// K transposed, the causal bias (key j <= query i) added, softmax, rows
// with no key zeroed, then P @ V.
// CHECK-LABEL: func.func @causal(
// CHECK-SAME: %[[Q:[^:]*]]: tensor<2x3x4x8xf32>, %[[K:[^:]*]]: tensor<2x3x6x8xf32>, %[[V:[^:]*]]: tensor<2x3x6x8xf32>
// CHECK-NOT: onnx.Attention
// CHECK-DAG: onnx.Range
// CHECK-DAG: %[[ALLOWED:.*]] = onnx.LessOrEqual({{.*}}) : (tensor<?xi64>, tensor<?x1xi64>) -> tensor<?x?xi1>
// CHECK-DAG: %[[BIAS:.*]] = onnx.Where(%[[ALLOWED]], {{.*}}) : (tensor<?x?xi1>, tensor<f32>, tensor<f32>) -> tensor<?x?xf32>
// CHECK-DAG: %[[ROOT:.*]] = onnx.Constant() {value = dense<0.594603539> : tensor<f32>}
// CHECK-DAG: %[[QS:.*]] = onnx.Mul(%[[Q]], %[[ROOT]])
// CHECK-DAG: %[[KT:.*]] = onnx.Transpose(%[[K]]) {perm = [0, 1, 3, 2]}
// CHECK: %[[S:.*]] = onnx.MatMul(%[[QS]], {{.*}}) : (tensor<2x3x4x8xf32>, tensor<2x3x8x6xf32>) -> tensor<2x3x4x6xf32>
// CHECK: %[[B:.*]] = onnx.Add(%[[S]], %[[BIAS]])
// CHECK: %[[P:.*]] = onnx.Softmax(%[[B]])
// CHECK: onnx.ReduceMax(%[[BIAS]]
// CHECK: %[[ROWS:.*]] = onnx.IsInf
// CHECK: %[[PZ:.*]] = onnx.Where(%[[ROWS]], {{.*}}, %[[P]])
// CHECK: %[[Y:.*]] = onnx.MatMul(%[[PZ]], %[[V]]) : (tensor<2x3x4x6xf32>, tensor<2x3x6x8xf32>) -> tensor<2x3x4x8xf32>
// CHECK: return %[[Y]]
func.func @causal(%q: tensor<2x3x4x8xf32>, %k: tensor<2x3x6x8xf32>, %v: tensor<2x3x6x8xf32>) -> tensor<2x3x4x8xf32> {
  %none = onnx.NoValue : none
  %y, %pk, %pv, %qk = onnx.Attention(%q, %k, %v, %none, %none, %none, %none) {is_causal = 1 : i64} : (tensor<2x3x4x8xf32>, tensor<2x3x6x8xf32>, tensor<2x3x6x8xf32>, none, none, none, none) -> (tensor<2x3x4x8xf32>, none, none, none)
  return %y : tensor<2x3x4x8xf32>
}

// -----

// 3-D inputs with grouped KV heads and a cache: heads split by Reshape and
// Transpose, the cache concatenated (the present outputs), each KV head
// repeated for 2 query heads, and the heads merged back.
// CHECK-LABEL: func.func @gqa_cache(
// CHECK-SAME: %[[PK:[^:]*]]: tensor<1x2x3x4xf32>, %[[PV:[^:]*]]: tensor<1x2x3x4xf32>
// CHECK-NOT: onnx.Attention
// CHECK: onnx.Transpose({{.*}}) {perm = [0, 2, 1, 3]} : (tensor<1x5x4x4xf32>) -> tensor<1x4x5x4xf32>
// CHECK: %[[KC:.*]] = onnx.Concat(%[[PK]], {{.*}}) {axis = 2 : i64} : (tensor<1x2x3x4xf32>, tensor<1x2x5x4xf32>) -> tensor<1x2x8x4xf32>
// CHECK: %[[VC:.*]] = onnx.Concat(%[[PV]], {{.*}}) {axis = 2 : i64}
// CHECK: onnx.Expand({{.*}}) : (tensor<1x2x1x8x4xf32>, tensor<5xi64>) -> tensor<1x2x2x8x4xf32>
// CHECK: onnx.Reshape({{.*}}) : (tensor<1x2x2x8x4xf32>, tensor<4xi64>) -> tensor<1x4x8x4xf32>
// CHECK: onnx.Reshape({{.*}}) : (tensor<1x5x4x4xf32>, tensor<3xi64>) -> tensor<1x5x16xf32>
// CHECK: return {{.*}}, %[[KC]], %[[VC]]
func.func @gqa_cache(%q: tensor<1x5x16xf32>, %k: tensor<1x5x8xf32>, %v: tensor<1x5x8xf32>, %pk: tensor<1x2x3x4xf32>, %pv: tensor<1x2x3x4xf32>) -> (tensor<1x5x16xf32>, tensor<1x2x8x4xf32>, tensor<1x2x8x4xf32>) {
  %none = onnx.NoValue : none
  %y, %pk2, %pv2, %qk = onnx.Attention(%q, %k, %v, %none, %pk, %pv, %none) {q_num_heads = 4 : i64, kv_num_heads = 2 : i64} : (tensor<1x5x16xf32>, tensor<1x5x8xf32>, tensor<1x5x8xf32>, none, tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, none) -> (tensor<1x5x16xf32>, tensor<1x2x8x4xf32>, tensor<1x2x8x4xf32>, none)
  return %y, %pk2, %pv2 : tensor<1x5x16xf32>, tensor<1x2x8x4xf32>, tensor<1x2x8x4xf32>
}

// -----

// DynamicQuantizeLinear: scale and zero point from the range widened to
// include 0, then QuantizeLinear.
// CHECK-LABEL: func.func @dynamic_quantize(
// CHECK-NOT: onnx.DynamicQuantizeLinear
// CHECK: onnx.ReduceMin
// CHECK: onnx.ReduceMax
// CHECK: %[[SCALE:.*]] = onnx.Div
// CHECK: %[[ZP:.*]] = onnx.Cast({{.*}}) {to = 2 : i64} : (tensor<f32>) -> tensor<ui8>
// CHECK: %[[Y:.*]] = onnx.QuantizeLinear({{.*}}, %[[SCALE]], %[[ZP]]) : (tensor<3x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<3x4xui8>
// CHECK: return %[[Y]], %[[SCALE]], %[[ZP]]
func.func @dynamic_quantize(%x: tensor<3x4xf32>) -> (tensor<3x4xui8>, tensor<f32>, tensor<ui8>) {
  %y, %s, %z = onnx.DynamicQuantizeLinear(%x) : (tensor<3x4xf32>) -> (tensor<3x4xui8>, tensor<f32>, tensor<ui8>)
  return %y, %s, %z : tensor<3x4xui8>, tensor<f32>, tensor<ui8>
}


// -----

// QLinearMatMul: dequantize in f32 (a per row, b per column: the default
// axis 1), MatMul,
// quantize.
// CHECK-LABEL: func.func @qlinear_matmul(
// CHECK-NOT: onnx.QLinearMatMul
// CHECK: %[[A:.*]] = onnx.DequantizeLinear({{.*}}) {axis = 0 : i64} : (tensor<2x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x4xf32>
// CHECK: %[[B:.*]] = onnx.DequantizeLinear({{.*}}) : (tensor<4x3xui8>, tensor<3xf32>, tensor<3xui8>) -> tensor<4x3xf32>
// CHECK: %[[P:.*]] = onnx.MatMul(%[[A]], %[[B]])
// CHECK: onnx.QuantizeLinear(%[[P]], {{.*}}) {axis = -1 : i64} : (tensor<2x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x3xui8>
func.func @qlinear_matmul(%a: tensor<2x4xui8>, %as: tensor<f32>, %az: tensor<ui8>, %b: tensor<4x3xui8>, %bs: tensor<3xf32>, %bz: tensor<3xui8>, %ys: tensor<f32>, %yz: tensor<ui8>) -> tensor<2x3xui8> {
  %y = onnx.QLinearMatMul(%a, %as, %az, %b, %bs, %bz, %ys, %yz) : (tensor<2x4xui8>, tensor<f32>, tensor<ui8>, tensor<4x3xui8>, tensor<3xf32>, tensor<3xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x3xui8>
  return %y : tensor<2x3xui8>
}

// -----

// MatMulInteger: i32 operands less their zero points, a's per row.
// CHECK-LABEL: func.func @matmul_integer(
// CHECK-NOT: onnx.MatMulInteger
// CHECK: onnx.Unsqueeze({{.*}}) : (tensor<2xi32>, tensor<1xi64>) -> tensor<2x1xi32>
// CHECK: %[[A:.*]] = onnx.Sub({{.*}}) : (tensor<2x4xi32>, tensor<2x1xi32>) -> tensor<2x4xi32>
// CHECK: %[[B:.*]] = onnx.Sub({{.*}}) : (tensor<4x3xi32>, tensor<i32>) -> tensor<4x3xi32>
// CHECK: onnx.MatMul(%[[A]], %[[B]]) : (tensor<2x4xi32>, tensor<4x3xi32>) -> tensor<2x3xi32>
func.func @matmul_integer(%a: tensor<2x4xui8>, %az: tensor<2xui8>, %b: tensor<4x3xi8>, %bz: tensor<i8>) -> tensor<2x3xi32> {
  %y = onnx.MatMulInteger(%a, %b, %az, %bz) : (tensor<2x4xui8>, tensor<4x3xi8>, tensor<2xui8>, tensor<i8>) -> tensor<2x3xi32>
  return %y : tensor<2x3xi32>
}
