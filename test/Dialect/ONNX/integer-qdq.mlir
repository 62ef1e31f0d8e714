// RUN: kiln-opt %s --onnx-integer-qdq --split-input-file | FileCheck %s
// RUN: kiln-opt %s --onnx-integer-qdq=explain=true --split-input-file 2>&1 | FileCheck %s --check-prefix=EXPLAIN

// A QDQ MatMul (u8 activation, s8 weights per column): the integer product
// of the quantized operands with their zero points, cast to f32, scaled by
// a_scale * w_scale (per column).
// CHECK-LABEL: func.func @matmul(
// CHECK-SAME: %[[A:[^:]*]]: tensor<4x8xui8>, %[[W:[^:]*]]: tensor<8x16xi8>, %[[AS:[^:]*]]: tensor<f32>, %[[AZ:[^:]*]]: tensor<ui8>, %[[WS:[^:]*]]: tensor<16xf32>, %[[WZ:[^:]*]]: tensor<16xi8>
// CHECK-NOT: onnx.MatMul(
// CHECK: %[[P:.*]] = onnx.MatMulInteger(%[[A]], %[[W]], %[[AZ]], %[[WZ]]) : (tensor<4x8xui8>, tensor<8x16xi8>, tensor<ui8>, tensor<16xi8>) -> tensor<4x16xi32>
// CHECK: %[[WSC:.*]] = onnx.Reshape(%[[WS]], %{{.*}}) : (tensor<16xf32>, tensor<2xi64>) -> tensor<1x16xf32>
// CHECK: %[[S:.*]] = onnx.Mul(%[[AS]], %[[WSC]])
// CHECK: %[[F:.*]] = onnx.Cast(%[[P]]) {to = 1 : i64} : (tensor<4x16xi32>) -> tensor<4x16xf32>
// CHECK: %[[Y:.*]] = onnx.Mul(%[[F]], %[[S]])
// CHECK: return %[[Y]]
// EXPLAIN: remark: precision of MatMul: int8 (an integer product of its quantized operands, scaled once)
func.func @matmul(%a: tensor<4x8xui8>, %w: tensor<8x16xi8>, %as: tensor<f32>, %az: tensor<ui8>, %ws: tensor<16xf32>, %wz: tensor<16xi8>) -> tensor<4x16xf32> {
  %af = onnx.DequantizeLinear(%a, %as, %az) : (tensor<4x8xui8>, tensor<f32>, tensor<ui8>) -> tensor<4x8xf32>
  %wf = onnx.DequantizeLinear(%w, %ws, %wz) {axis = 1 : i64} : (tensor<8x16xi8>, tensor<16xf32>, tensor<16xi8>) -> tensor<8x16xf32>
  %y = onnx.MatMul(%af, %wf) : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}

// -----

// A QDQ Conv with its f32 bias: ConvInteger with the conv's attributes,
// scaled (w's scale per filter), plus the bias per channel.
// CHECK-LABEL: func.func @conv(
// CHECK-SAME: %[[X:[^:]*]]: tensor<1x3x8x8xui8>, %[[W:[^:]*]]: tensor<4x3x3x3xi8>, %[[XS:[^:]*]]: tensor<f32>, %[[XZ:[^:]*]]: tensor<ui8>, %[[WS:[^:]*]]: tensor<f32>, %[[B:[^:]*]]: tensor<4xf32>
// CHECK: %[[P:.*]] = onnx.ConvInteger(%[[X]], %[[W]], %[[XZ]], %{{.*}}) {pads = [1, 1, 1, 1], strides = [2, 2]} : (tensor<1x3x8x8xui8>, tensor<4x3x3x3xi8>, tensor<ui8>, none) -> tensor<1x4x4x4xi32>
// CHECK: %[[S:.*]] = onnx.Mul(%[[XS]], %[[WS]])
// CHECK: %[[F:.*]] = onnx.Cast(%[[P]]) {to = 1 : i64}
// CHECK: %[[R:.*]] = onnx.Mul(%[[F]], %[[S]])
// CHECK: %[[BC:.*]] = onnx.Reshape(%[[B]], %{{.*}}) : (tensor<4xf32>, tensor<4xi64>) -> tensor<1x4x1x1xf32>
// CHECK: %[[Y:.*]] = onnx.Add(%[[R]], %[[BC]])
// CHECK: return %[[Y]]
// EXPLAIN: remark: precision of Conv: int8
func.func @conv(%x: tensor<1x3x8x8xui8>, %w: tensor<4x3x3x3xi8>, %xs: tensor<f32>, %xz: tensor<ui8>, %ws: tensor<f32>, %b: tensor<4xf32>) -> tensor<1x4x4x4xf32> {
  %none = onnx.NoValue : none
  %xf = onnx.DequantizeLinear(%x, %xs, %xz) : (tensor<1x3x8x8xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x3x8x8xf32>
  %wf = onnx.DequantizeLinear(%w, %ws, %none) : (tensor<4x3x3x3xi8>, tensor<f32>, none) -> tensor<4x3x3x3xf32>
  %y = onnx.Conv(%xf, %wf, %b) {pads = [1, 1, 1, 1], strides = [2, 2]} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// -----

// Weights quantized per row (along K) are not an integer product's: the
// layer stays in f32, and --explain says why.
// CHECK-LABEL: func.func @per_row(
// CHECK: onnx.MatMul(
// CHECK-NOT: onnx.MatMulInteger
// EXPLAIN: remark: precision of MatMul: f32 (a scale is neither per tensor nor per output channel)
func.func @per_row(%a: tensor<4x8xui8>, %w: tensor<8x16xi8>, %as: tensor<f32>, %ws: tensor<8xf32>) -> tensor<4x16xf32> {
  %none = onnx.NoValue : none
  %af = onnx.DequantizeLinear(%a, %as, %none) : (tensor<4x8xui8>, tensor<f32>, none) -> tensor<4x8xf32>
  %wf = onnx.DequantizeLinear(%w, %ws, %none) {axis = 0 : i64} : (tensor<8x16xi8>, tensor<8xf32>, none) -> tensor<8x16xf32>
  %y = onnx.MatMul(%af, %wf) : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}

// -----

// A grouped (depthwise) QDQ Conv stays in f32: the integer kernel takes
// ungrouped convolutions only.
// CHECK-LABEL: func.func @depthwise(
// CHECK: onnx.Conv(
// CHECK-NOT: onnx.ConvInteger
// EXPLAIN: remark: precision of Conv: f32 (a grouped convolution, which the integer kernel does not take)
func.func @depthwise(%x: tensor<1x4x8x8xui8>, %w: tensor<4x1x3x3xi8>, %xs: tensor<f32>, %ws: tensor<f32>) -> tensor<1x4x6x6xf32> {
  %none = onnx.NoValue : none
  %xf = onnx.DequantizeLinear(%x, %xs, %none) : (tensor<1x4x8x8xui8>, tensor<f32>, none) -> tensor<1x4x8x8xf32>
  %wf = onnx.DequantizeLinear(%w, %ws, %none) : (tensor<4x1x3x3xi8>, tensor<f32>, none) -> tensor<4x1x3x3xf32>
  %y = onnx.Conv(%xf, %wf, %none) {group = 4 : i64} : (tensor<1x4x8x8xf32>, tensor<4x1x3x3xf32>, none) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}
