// RUN: kiln-opt %s --onnx-decompose --split-input-file | FileCheck %s

// MatMulInteger of u8 x s8 with zero points: the kernel form (no zero
// points) and the i32 corrections: - zb * rowsum(a) - za * colsum(b)
// + K * za * zb, za per row.
// CHECK-LABEL: func.func @matmul_integer(
// CHECK-SAME: %[[A:[^:]*]]: tensor<2x4xui8>, %[[AZ:[^:]*]]: tensor<2xui8>, %[[B:[^:]*]]: tensor<4x3xi8>, %[[BZ:[^:]*]]: tensor<i8>
// CHECK: %[[AZI:.*]] = onnx.Cast(%[[AZ]]) {to = 6 : i64} : (tensor<2xui8>) -> tensor<2xi32>
// CHECK: %[[AZC:.*]] = onnx.Unsqueeze(%[[AZI]], %{{.*}}) : (tensor<2xi32>, tensor<1xi64>) -> tensor<2x1xi32>
// CHECK: %[[BZI:.*]] = onnx.Cast(%[[BZ]]) {to = 6 : i64} : (tensor<i8>) -> tensor<i32>
// CHECK: %[[P:.*]] = onnx.MatMulInteger(%[[A]], %[[B]], %{{.*}}, %{{.*}}) : (tensor<2x4xui8>, tensor<4x3xi8>, none, none) -> tensor<2x3xi32>
// CHECK: %[[AI:.*]] = onnx.Cast(%[[A]]) {to = 6 : i64} : (tensor<2x4xui8>) -> tensor<2x4xi32>
// CHECK: %[[RS:.*]] = onnx.ReduceSum(%[[AI]], %{{.*}}) : (tensor<2x4xi32>, tensor<1xi64>) -> tensor<2x1xi32>
// CHECK: %[[T1:.*]] = onnx.Mul(%[[BZI]], %[[RS]])
// CHECK: %[[Y1:.*]] = onnx.Sub(%[[P]], %[[T1]]) : (tensor<2x3xi32>, tensor<2x1xi32>) -> tensor<2x3xi32>
// CHECK: %[[BI:.*]] = onnx.Cast(%[[B]]) {to = 6 : i64} : (tensor<4x3xi8>) -> tensor<4x3xi32>
// CHECK: %[[CS:.*]] = onnx.ReduceSum(%[[BI]], %{{.*}}) : (tensor<4x3xi32>, tensor<1xi64>) -> tensor<1x3xi32>
// CHECK: %[[T2:.*]] = onnx.Mul(%[[AZC]], %[[CS]]) : (tensor<2x1xi32>, tensor<1x3xi32>) -> tensor<2x3xi32>
// CHECK: %[[Y2:.*]] = onnx.Sub(%[[Y1]], %[[T2]])
// CHECK: %[[K:.*]] = onnx.Constant() {value = dense<4> : tensor<i32>}
// CHECK: %[[ZZ:.*]] = onnx.Mul(%[[AZC]], %[[BZI]])
// CHECK: %[[T3:.*]] = onnx.Mul(%[[K]], %[[ZZ]])
// CHECK: %[[Y:.*]] = onnx.Add(%[[Y2]], %[[T3]])
// CHECK: return %[[Y]]
func.func @matmul_integer(%a: tensor<2x4xui8>, %az: tensor<2xui8>, %b: tensor<4x3xi8>, %bz: tensor<i8>) -> tensor<2x3xi32> {
  %y = onnx.MatMulInteger(%a, %b, %az, %bz) : (tensor<2x4xui8>, tensor<4x3xi8>, tensor<2xui8>, tensor<i8>) -> tensor<2x3xi32>
  return %y : tensor<2x3xi32>
}

// -----

// A signed A is offset by +128 to u8 and its zero point with it; a
// constant B's column sums are computed at compile time; no zero point of
// B, so no row sums.
// CHECK-LABEL: func.func @signed_a_constant_b(
// CHECK-SAME: %[[A:[^:]*]]: tensor<2x2xi8>, %[[AZ:[^:]*]]: tensor<i8>
// CHECK: %[[B:.*]] = onnx.Constant() {value = dense<{{\[}}[1, -2], [3, 4]]> : tensor<2x2xi8>}
// CHECK: %[[AI:.*]] = onnx.Cast(%[[A]]) {to = 6 : i64}
// CHECK: %[[C128:.*]] = onnx.Constant() {value = dense<128> : tensor<i32>}
// CHECK: %[[AS:.*]] = onnx.Add(%[[AI]], %[[C128]])
// CHECK: %[[AU:.*]] = onnx.Cast(%[[AS]]) {to = 2 : i64} : (tensor<2x2xi32>) -> tensor<2x2xui8>
// CHECK: %[[AZI:.*]] = onnx.Cast(%[[AZ]]) {to = 6 : i64}
// CHECK: %[[AZS:.*]] = onnx.Add(%[[AZI]], %{{.*}})
// CHECK: %[[P:.*]] = onnx.MatMulInteger(%[[AU]], %[[B]], %{{.*}}, %{{.*}}) : (tensor<2x2xui8>, tensor<2x2xi8>, none, none) -> tensor<2x2xi32>
// CHECK-NOT: onnx.ReduceSum
// CHECK: %[[SUMS:.*]] = onnx.Constant() {value = dense<{{\[}}[4, 2]]> : tensor<1x2xi32>}
// CHECK: %[[T:.*]] = onnx.Mul(%[[AZS]], %[[SUMS]])
// CHECK: %[[Y:.*]] = onnx.Sub(%[[P]], %[[T]])
// CHECK: return %[[Y]]
func.func @signed_a_constant_b(%a: tensor<2x2xi8>, %az: tensor<i8>) -> tensor<2x2xi32> {
  %b = onnx.Constant() {value = dense<[[1, -2], [3, 4]]> : tensor<2x2xi8>} : () -> tensor<2x2xi8>
  %none = onnx.NoValue : none
  %y = onnx.MatMulInteger(%a, %b, %az, %none) : (tensor<2x2xi8>, tensor<2x2xi8>, tensor<i8>, none) -> tensor<2x2xi32>
  return %y : tensor<2x2xi32>
}

// -----

// The kernel's own form stays.
// CHECK-LABEL: func.func @kernel_form(
// CHECK: %[[Y:.*]] = onnx.MatMulInteger
// CHECK-NEXT: return %[[Y]]
func.func @kernel_form(%a: tensor<2x4xui8>, %b: tensor<4x3xi8>) -> tensor<2x3xi32> {
  %none = onnx.NoValue : none
  %y = onnx.MatMulInteger(%a, %b, %none, %none) : (tensor<2x4xui8>, tensor<4x3xi8>, none, none) -> tensor<2x3xi32>
  return %y : tensor<2x3xi32>
}

// -----

// A dynamic K: the fallback, an i32 MatMul of the operands less their
// zero points.
// CHECK-LABEL: func.func @dynamic_k(
// CHECK-NOT: onnx.MatMulInteger
// CHECK: onnx.Sub
// CHECK: %[[Y:.*]] = onnx.MatMul(%{{.*}}, %{{.*}}) : (tensor<2x?xi32>, tensor<?x3xi32>) -> tensor<2x3xi32>
// CHECK: return %[[Y]]
func.func @dynamic_k(%a: tensor<2x?xui8>, %b: tensor<?x3xi8>, %bz: tensor<i8>) -> tensor<2x3xi32> {
  %none = onnx.NoValue : none
  %y = onnx.MatMulInteger(%a, %b, %none, %bz) : (tensor<2x?xui8>, tensor<?x3xi8>, none, tensor<i8>) -> tensor<2x3xi32>
  return %y : tensor<2x3xi32>
}

// -----

// QLinearMatMul: the integer product (u8 B offset by -128 to s8, its zero
// point per column with it), scaled in f32 by a_scale * b_scale, then
// quantized per column of the result.
// CHECK-LABEL: func.func @qlinear_matmul(
// CHECK-SAME: %[[A:[^:]*]]: tensor<2x4xui8>, %[[AS:[^:]*]]: tensor<f32>, %[[AZ:[^:]*]]: tensor<ui8>, %[[B:[^:]*]]: tensor<4x3xui8>, %[[BS:[^:]*]]: tensor<3xf32>, %[[BZ:[^:]*]]: tensor<3xui8>, %[[YS:[^:]*]]: tensor<f32>, %[[YZ:[^:]*]]: tensor<ui8>
// CHECK-NOT: onnx.QLinearMatMul
// CHECK: %[[BI:.*]] = onnx.Cast(%[[B]]) {to = 6 : i64}
// CHECK: %[[M128:.*]] = onnx.Constant() {value = dense<-128> : tensor<i32>}
// CHECK: %[[BSH:.*]] = onnx.Add(%[[BI]], %[[M128]])
// CHECK: %[[BK:.*]] = onnx.Cast(%[[BSH]]) {to = 3 : i64} : (tensor<4x3xi32>) -> tensor<4x3xi8>
// CHECK: %[[P:.*]] = onnx.MatMulInteger(%[[A]], %[[BK]], %{{.*}}, %{{.*}}) : (tensor<2x4xui8>, tensor<4x3xi8>, none, none) -> tensor<2x3xi32>
// CHECK: %[[S:.*]] = onnx.Mul(%[[AS]], %[[BS]]) : (tensor<f32>, tensor<3xf32>) -> tensor<3xf32>
// CHECK: %[[PF:.*]] = onnx.Cast(%{{.*}}) {to = 1 : i64} : (tensor<2x3xi32>) -> tensor<2x3xf32>
// CHECK: %[[R:.*]] = onnx.Mul(%[[PF]], %[[S]])
// CHECK: %[[Y:.*]] = onnx.QuantizeLinear(%[[R]], %[[YS]], %[[YZ]]) {axis = -1 : i64} : (tensor<2x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x3xui8>
// CHECK: return %[[Y]]
func.func @qlinear_matmul(%a: tensor<2x4xui8>, %as: tensor<f32>, %az: tensor<ui8>, %b: tensor<4x3xui8>, %bs: tensor<3xf32>, %bz: tensor<3xui8>, %ys: tensor<f32>, %yz: tensor<ui8>) -> tensor<2x3xui8> {
  %y = onnx.QLinearMatMul(%a, %as, %az, %b, %bs, %bz, %ys, %yz) : (tensor<2x4xui8>, tensor<f32>, tensor<ui8>, tensor<4x3xui8>, tensor<3xf32>, tensor<3xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x3xui8>
  return %y : tensor<2x3xui8>
}

// -----

// ConvInteger with a u8 input, its zero point, s8 constant weights and
// pads: the padding holds the zero point (an explicit Pad), the kernel form
// without pads, and the zero point times each filter's sum (computed here).
// CHECK-LABEL: func.func @conv_integer(
// CHECK-SAME: %[[X:[^:]*]]: tensor<1x2x4x4xui8>, %[[XZ:[^:]*]]: tensor<ui8>
// CHECK: %[[W:.*]] = onnx.Constant() {value = dense<{{.*}}> : tensor<3x2x1x1xi8>}
// CHECK: %[[XZI:.*]] = onnx.Cast(%[[XZ]]) {to = 6 : i64}
// CHECK: %[[PADS:.*]] = onnx.Constant() {value = dense<[0, 0, 1, 1, 0, 0, 1, 1]> : tensor<8xi64>}
// CHECK: %[[P:.*]] = onnx.Pad(%[[X]], %[[PADS]], %{{.*}}, %{{.*}}) : (tensor<1x2x4x4xui8>, tensor<8xi64>, tensor<ui8>, none) -> tensor<1x2x6x6xui8>
// CHECK: %[[C:.*]] = onnx.ConvInteger(%[[P]], %[[W]], %{{.*}}, %{{.*}}) {pads = [0, 0, 0, 0]} : (tensor<1x2x6x6xui8>, tensor<3x2x1x1xi8>, none, none) -> tensor<1x3x6x6xi32>
// CHECK: %[[SUMS:.*]] = onnx.Constant() {value = dense<{{\[\[\[\[}}3]], {{\[\[}}4]], {{\[\[}}-7]]]]> : tensor<1x3x1x1xi32>}
// CHECK: %[[T:.*]] = onnx.Mul(%[[XZI]], %[[SUMS]])
// CHECK: %[[Y:.*]] = onnx.Sub(%[[C]], %[[T]])
// CHECK: return %[[Y]]
func.func @conv_integer(%x: tensor<1x2x4x4xui8>, %xz: tensor<ui8>) -> tensor<1x3x6x6xi32> {
  %w = onnx.Constant() {value = dense<[[[[1]], [[2]]], [[[-1]], [[5]]], [[[0]], [[-7]]]]> : tensor<3x2x1x1xi8>} : () -> tensor<3x2x1x1xi8>
  %none = onnx.NoValue : none
  %y = onnx.ConvInteger(%x, %w, %xz, %none) {pads = [1, 1, 1, 1]} : (tensor<1x2x4x4xui8>, tensor<3x2x1x1xi8>, tensor<ui8>, none) -> tensor<1x3x6x6xi32>
  return %y : tensor<1x3x6x6xi32>
}

// -----

// Unsigned weights with a zero point: the fallback, an exact f64 Conv of
// the operands less their zero points.
// CHECK-LABEL: func.func @conv_integer_unsigned_w(
// CHECK-NOT: onnx.ConvInteger
// CHECK: %[[C:.*]] = onnx.Conv(%{{.*}}, %{{.*}}, %{{.*}}) : (tensor<1x2x4x4xf64>, tensor<3x2x3x3xf64>, none) -> tensor<1x3x2x2xf64>
// CHECK: %[[Y:.*]] = onnx.Cast(%[[C]]) {to = 6 : i64} : (tensor<1x3x2x2xf64>) -> tensor<1x3x2x2xi32>
// CHECK: return %[[Y]]
func.func @conv_integer_unsigned_w(%x: tensor<1x2x4x4xui8>, %w: tensor<3x2x3x3xui8>, %wz: tensor<ui8>) -> tensor<1x3x2x2xi32> {
  %none = onnx.NoValue : none
  %y = onnx.ConvInteger(%x, %w, %none, %wz) : (tensor<1x2x4x4xui8>, tensor<3x2x3x3xui8>, none, tensor<ui8>) -> tensor<1x3x2x2xi32>
  return %y : tensor<1x3x2x2xi32>
}

// -----

// QLinearConv: the integer convolution (here the fallback: the weights'
// zero points are not known to be 0), its i32 bias per channel, the product
// of the scales (w's per filter), then QuantizeLinear.
// CHECK-LABEL: func.func @qlinear_conv(
// CHECK-SAME: %[[XS:[^:]*]]: tensor<f32>, %{{[^:]*}}: tensor<ui8>, %{{[^:]*}}: tensor<3x2x3x3xi8>, %[[WS:[^:]*]]: tensor<3xf32>, %{{[^:]*}}: tensor<3xi8>, %[[YS:[^:]*]]: tensor<f32>, %[[YZ:[^:]*]]: tensor<ui8>, %[[B:[^:]*]]: tensor<3xi32>
// CHECK: %[[C:.*]] = onnx.Conv
// CHECK: %[[CI:.*]] = onnx.Cast(%[[C]]) {to = 6 : i64}
// CHECK: %[[BC:.*]] = onnx.Reshape(%[[B]], %{{.*}}) : (tensor<3xi32>, tensor<4xi64>) -> tensor<1x3x1x1xi32>
// CHECK: %[[ACC:.*]] = onnx.Add(%[[CI]], %[[BC]])
// CHECK: %[[WSC:.*]] = onnx.Reshape(%[[WS]], %{{.*}}) : (tensor<3xf32>, tensor<4xi64>) -> tensor<1x3x1x1xf32>
// CHECK: %[[S:.*]] = onnx.Mul(%[[XS]], %[[WSC]])
// CHECK: %[[F:.*]] = onnx.Cast(%[[ACC]]) {to = 1 : i64}
// CHECK: %[[R:.*]] = onnx.Mul(%[[F]], %[[S]])
// CHECK: %[[Y:.*]] = onnx.QuantizeLinear(%[[R]], %[[YS]], %[[YZ]])
// CHECK: return %[[Y]]
func.func @qlinear_conv(%x: tensor<1x2x4x4xui8>, %xs: tensor<f32>, %xz: tensor<ui8>, %w: tensor<3x2x3x3xi8>, %ws: tensor<3xf32>, %wz: tensor<3xi8>, %ys: tensor<f32>, %yz: tensor<ui8>, %b: tensor<3xi32>) -> tensor<1x3x2x2xui8> {
  %y = onnx.QLinearConv(%x, %xs, %xz, %w, %ws, %wz, %ys, %yz, %b) : (tensor<1x2x4x4xui8>, tensor<f32>, tensor<ui8>, tensor<3x2x3x3xi8>, tensor<3xf32>, tensor<3xi8>, tensor<f32>, tensor<ui8>, tensor<3xi32>) -> tensor<1x3x2x2xui8>
  return %y : tensor<1x3x2x2xui8>
}
