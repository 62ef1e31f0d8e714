// RUN: kiln-opt %s --onnx-decompose --split-input-file | FileCheck %s

// 4-D attention with a causal mask: both operands scaled by sqrt(1/sqrt(8)),
// K transposed, the causal bias (key j <= query i) added, softmax, rows
// with no key zeroed, then P @ V.
// CHECK-LABEL: func.func @causal(
// CHECK-SAME: %[[Q:[^:]*]]: tensor<2x3x4x8xf32>, %[[K:[^:]*]]: tensor<2x3x6x8xf32>, %[[V:[^:]*]]: tensor<2x3x6x8xf32>
// CHECK-NOT: onnx.Attention
// The query positions i as a column against the key positions j as a row,
// each Range(0, length, 1) over its own operand's sequence dim.
// CHECK-DAG: %[[I0:.*]] = onnx.Constant() {value = dense<0> : tensor<i64>}
// CHECK-DAG: %[[I1:.*]] = onnx.Constant() {value = dense<1> : tensor<i64>}
// CHECK-DAG: %[[QLEN:.*]] = onnx.Shape(%[[Q]]) {end = 3 : i64, start = 2 : i64}
// CHECK-DAG: %[[KLEN:.*]] = onnx.Shape(%[[K]]) {end = 3 : i64, start = 2 : i64}
// CHECK-DAG: %[[QN:.*]] = onnx.Reshape(%[[QLEN]], %{{.*}}) : (tensor<1xi64>, tensor<0xi64>) -> tensor<i64>
// CHECK-DAG: %[[KN:.*]] = onnx.Reshape(%[[KLEN]], %{{.*}}) : (tensor<1xi64>, tensor<0xi64>) -> tensor<i64>
// CHECK-DAG: %[[QI:.*]] = onnx.Range(%[[I0]], %[[QN]], %[[I1]])
// CHECK-DAG: %[[KJ:.*]] = onnx.Range(%[[I0]], %[[KN]], %[[I1]])
// CHECK-DAG: %[[QCOL:.*]] = onnx.Reshape(%[[QI]], %{{.*}}) : (tensor<?xi64>, tensor<2xi64>) -> tensor<?x1xi64>
// CHECK-DAG: %[[ALLOWED:.*]] = onnx.LessOrEqual(%[[KJ]], %[[QCOL]]) : (tensor<?xi64>, tensor<?x1xi64>) -> tensor<?x?xi1>
// The bias: 0 where allowed, -inf elsewhere.
// CHECK-DAG: %[[ZERO:.*]] = onnx.Constant() {value = dense<0.000000e+00> : tensor<f32>}
// CHECK-DAG: %[[NEGINF:.*]] = onnx.Constant() {value = dense<0xFF800000> : tensor<f32>}
// CHECK-DAG: %[[BIAS:.*]] = onnx.Where(%[[ALLOWED]], %[[ZERO]], %[[NEGINF]]) : (tensor<?x?xi1>, tensor<f32>, tensor<f32>) -> tensor<?x?xf32>
// Q and the transposed K are each scaled by 8^(-1/4), one constant for both.
// CHECK-DAG: %[[ROOT:.*]] = onnx.Constant() {value = dense<0.594603539> : tensor<f32>}
// CHECK-DAG: %[[QS:.*]] = onnx.Mul(%[[Q]], %[[ROOT]]) : (tensor<2x3x4x8xf32>, tensor<f32>) -> tensor<2x3x4x8xf32>
// CHECK-DAG: %[[KT:.*]] = onnx.Transpose(%[[K]]) {perm = [0, 1, 3, 2]} : (tensor<2x3x6x8xf32>) -> tensor<2x3x8x6xf32>
// CHECK-DAG: %[[KS:.*]] = onnx.Mul(%[[KT]], %[[ROOT]]) : (tensor<2x3x8x6xf32>, tensor<f32>) -> tensor<2x3x8x6xf32>
// CHECK: %[[S:.*]] = onnx.MatMul(%[[QS]], %[[KS]]) : (tensor<2x3x4x8xf32>, tensor<2x3x8x6xf32>) -> tensor<2x3x4x6xf32>
// CHECK: %[[B:.*]] = onnx.Add(%[[S]], %[[BIAS]]) : (tensor<2x3x4x6xf32>, tensor<?x?xf32>) -> tensor<2x3x4x6xf32>
// CHECK: %[[P:.*]] = onnx.Softmax(%[[B]]) : (tensor<2x3x4x6xf32>) -> tensor<2x3x4x6xf32>
// A row is empty when its largest bias is -inf; its probabilities become 0.
// CHECK: %[[LAST:.*]] = onnx.Constant() {value = dense<-1> : tensor<1xi64>}
// CHECK: %[[RMAX:.*]] = onnx.ReduceMax(%[[BIAS]], %[[LAST]]) : (tensor<?x?xf32>, tensor<1xi64>) -> tensor<?x1xf32>
// CHECK: %[[ROWS:.*]] = onnx.IsInf(%[[RMAX]]) {detect_positive = 0 : i64}
// CHECK: %[[PZERO:.*]] = onnx.Constant() {value = dense<0.000000e+00> : tensor<f32>}
// CHECK: %[[PZ:.*]] = onnx.Where(%[[ROWS]], %[[PZERO]], %[[P]])
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
// CHECK-SAME: %[[Q:[^:]*]]: tensor<1x5x16xf32>, %[[K:[^:]*]]: tensor<1x5x8xf32>, %[[V:[^:]*]]: tensor<1x5x8xf32>, %[[PK:[^:]*]]: tensor<1x2x3x4xf32>, %[[PV:[^:]*]]: tensor<1x2x3x4xf32>
// CHECK-NOT: onnx.Attention
// (batch, seq, heads * 4) -> (batch, heads, seq, 4): 4 query heads, 2 KV heads.
// CHECK: %[[Q4:.*]] = onnx.Reshape(%[[Q]], %{{.*}}) : (tensor<1x5x16xf32>, tensor<4xi64>) -> tensor<1x5x4x4xf32>
// CHECK: %[[QH:.*]] = onnx.Transpose(%[[Q4]]) {perm = [0, 2, 1, 3]} : (tensor<1x5x4x4xf32>) -> tensor<1x4x5x4xf32>
// CHECK: %[[K4:.*]] = onnx.Reshape(%[[K]], %{{.*}}) : (tensor<1x5x8xf32>, tensor<4xi64>) -> tensor<1x5x2x4xf32>
// CHECK: %[[KH:.*]] = onnx.Transpose(%[[K4]]) {perm = [0, 2, 1, 3]} : (tensor<1x5x2x4xf32>) -> tensor<1x2x5x4xf32>
// CHECK: %[[V4:.*]] = onnx.Reshape(%[[V]], %{{.*}}) : (tensor<1x5x8xf32>, tensor<4xi64>) -> tensor<1x5x2x4xf32>
// CHECK: %[[VH:.*]] = onnx.Transpose(%[[V4]]) {perm = [0, 2, 1, 3]} : (tensor<1x5x2x4xf32>) -> tensor<1x2x5x4xf32>
// The past keys and values come first along the sequence.
// CHECK: %[[KC:.*]] = onnx.Concat(%[[PK]], %[[KH]]) {axis = 2 : i64} : (tensor<1x2x3x4xf32>, tensor<1x2x5x4xf32>) -> tensor<1x2x8x4xf32>
// CHECK: %[[VC:.*]] = onnx.Concat(%[[PV]], %[[VH]]) {axis = 2 : i64} : (tensor<1x2x3x4xf32>, tensor<1x2x5x4xf32>) -> tensor<1x2x8x4xf32>
// KV head h serves query heads 2h and 2h+1: a new axis after the KV head
// axis, expanded to 2 and merged into it.
// CHECK: %[[KU:.*]] = onnx.Unsqueeze(%[[KC]], %{{.*}}) : (tensor<1x2x8x4xf32>, tensor<1xi64>) -> tensor<1x2x1x8x4xf32>
// CHECK: %[[KE:.*]] = onnx.Expand(%[[KU]], %{{.*}}) : (tensor<1x2x1x8x4xf32>, tensor<5xi64>) -> tensor<1x2x2x8x4xf32>
// CHECK: %[[KR:.*]] = onnx.Reshape(%[[KE]], %{{.*}}) : (tensor<1x2x2x8x4xf32>, tensor<4xi64>) -> tensor<1x4x8x4xf32>
// CHECK: %[[VU:.*]] = onnx.Unsqueeze(%[[VC]], %{{.*}}) : (tensor<1x2x8x4xf32>, tensor<1xi64>) -> tensor<1x2x1x8x4xf32>
// CHECK: %[[VE:.*]] = onnx.Expand(%[[VU]], %{{.*}}) : (tensor<1x2x1x8x4xf32>, tensor<5xi64>) -> tensor<1x2x2x8x4xf32>
// CHECK: %[[VR:.*]] = onnx.Reshape(%[[VE]], %{{.*}}) : (tensor<1x2x2x8x4xf32>, tensor<4xi64>) -> tensor<1x4x8x4xf32>
// Head size 4: Q and the transposed K are each scaled by 4^(-1/4).
// CHECK: %[[ROOT:.*]] = onnx.Constant() {value = dense<0.707106769> : tensor<f32>}
// CHECK: %[[QS:.*]] = onnx.Mul(%[[QH]], %[[ROOT]])
// CHECK: %[[KT:.*]] = onnx.Transpose(%[[KR]]) {perm = [0, 1, 3, 2]} : (tensor<1x4x8x4xf32>) -> tensor<1x4x4x8xf32>
// CHECK: %[[KS:.*]] = onnx.Mul(%[[KT]], %[[ROOT]])
// CHECK: %[[S:.*]] = onnx.MatMul(%[[QS]], %[[KS]]) : (tensor<1x4x5x4xf32>, tensor<1x4x4x8xf32>) -> tensor<1x4x5x8xf32>
// CHECK: %[[P:.*]] = onnx.Softmax(%[[S]])
// CHECK: %[[O:.*]] = onnx.MatMul(%[[P]], %[[VR]]) : (tensor<1x4x5x8xf32>, tensor<1x4x8x4xf32>) -> tensor<1x4x5x4xf32>
// CHECK: %[[OT:.*]] = onnx.Transpose(%[[O]]) {perm = [0, 2, 1, 3]} : (tensor<1x4x5x4xf32>) -> tensor<1x5x4x4xf32>
// CHECK: %[[Y:.*]] = onnx.Reshape(%[[OT]], %{{.*}}) : (tensor<1x5x4x4xf32>, tensor<3xi64>) -> tensor<1x5x16xf32>
// CHECK: return %[[Y]], %[[KC]], %[[VC]]
func.func @gqa_cache(%q: tensor<1x5x16xf32>, %k: tensor<1x5x8xf32>, %v: tensor<1x5x8xf32>, %pk: tensor<1x2x3x4xf32>, %pv: tensor<1x2x3x4xf32>) -> (tensor<1x5x16xf32>, tensor<1x2x8x4xf32>, tensor<1x2x8x4xf32>) {
  %none = onnx.NoValue : none
  %y, %pk2, %pv2, %qk = onnx.Attention(%q, %k, %v, %none, %pk, %pv, %none) {q_num_heads = 4 : i64, kv_num_heads = 2 : i64} : (tensor<1x5x16xf32>, tensor<1x5x8xf32>, tensor<1x5x8xf32>, none, tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, none) -> (tensor<1x5x16xf32>, tensor<1x2x8x4xf32>, tensor<1x2x8x4xf32>, none)
  return %y, %pk2, %pv2 : tensor<1x5x16xf32>, tensor<1x2x8x4xf32>, tensor<1x2x8x4xf32>
}

// -----

// DynamicQuantizeLinear: scale and zero point from the range widened to
// include 0, then QuantizeLinear.
// CHECK-LABEL: func.func @dynamic_quantize(
// CHECK-SAME: %[[X:[^:]*]]: tensor<3x4xf32>
// CHECK-NOT: onnx.DynamicQuantizeLinear
// CHECK-DAG: %[[ZERO:.*]] = onnx.Constant() {value = dense<0.000000e+00> : tensor<f32>}
// CHECK-DAG: %[[QMAX:.*]] = onnx.Constant() {value = dense<2.550000e+02> : tensor<f32>}
// CHECK: %[[MIN:.*]] = onnx.ReduceMin(%[[X]], %{{.*}}) {keepdims = 0 : i64} : (tensor<3x4xf32>, none) -> tensor<f32>
// CHECK: %[[LO:.*]] = onnx.Min(%[[MIN]], %[[ZERO]])
// CHECK: %[[MAX:.*]] = onnx.ReduceMax(%[[X]], %{{.*}}) {keepdims = 0 : i64} : (tensor<3x4xf32>, none) -> tensor<f32>
// CHECK: %[[HI:.*]] = onnx.Max(%[[MAX]], %[[ZERO]])
// scale = (hi - lo) / 255
// CHECK: %[[RANGE:.*]] = onnx.Sub(%[[HI]], %[[LO]])
// CHECK: %[[SCALE:.*]] = onnx.Div(%[[RANGE]], %[[QMAX]])
// zero point = cast(round(clip(0 - lo / scale, 0, 255)))
// CHECK: %[[LOS:.*]] = onnx.Div(%[[LO]], %[[SCALE]])
// CHECK: %[[ZPF:.*]] = onnx.Sub(%[[ZERO]], %[[LOS]])
// CHECK: %[[ZPC:.*]] = onnx.Clip(%[[ZPF]], %[[ZERO]], %[[QMAX]])
// CHECK: %[[ZPR:.*]] = onnx.Round(%[[ZPC]])
// CHECK: %[[ZP:.*]] = onnx.Cast(%[[ZPR]]) {to = 2 : i64} : (tensor<f32>) -> tensor<ui8>
// CHECK: %[[Y:.*]] = onnx.QuantizeLinear(%[[X]], %[[SCALE]], %[[ZP]]) : (tensor<3x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<3x4xui8>
// CHECK: return %[[Y]], %[[SCALE]], %[[ZP]]
func.func @dynamic_quantize(%x: tensor<3x4xf32>) -> (tensor<3x4xui8>, tensor<f32>, tensor<ui8>) {
  %y, %s, %z = onnx.DynamicQuantizeLinear(%x) : (tensor<3x4xf32>) -> (tensor<3x4xui8>, tensor<f32>, tensor<ui8>)
  return %y, %s, %z : tensor<3x4xui8>, tensor<f32>, tensor<ui8>
}
