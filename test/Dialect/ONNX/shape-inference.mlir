// RUN: kiln-opt %s --onnx-shape-inference --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @broadcast_dynamic
// CHECK-SAME: -> tensor<?x4x3xf32>
func.func @broadcast_dynamic(%a: tensor<?x1x3xf32>, %b: tensor<4x1xf32>) -> tensor<*xf32> {
  // CHECK: onnx.Add{{.*}} -> tensor<?x4x3xf32>
  %0 = onnx.Add(%a, %b) : (tensor<?x1x3xf32>, tensor<4x1xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @compare_gives_bool
func.func @compare_gives_bool(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<*xi1> {
  // CHECK: onnx.Greater{{.*}} -> tensor<2x3xi1>
  %0 = onnx.Greater(%a, %b) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<*xi1>
  return %0 : tensor<*xi1>
}

// -----

// CHECK-LABEL: func.func @matmul_batched
func.func @matmul_batched(%a: tensor<5x1x2x3xf32>, %b: tensor<7x3x4xf32>, %v: tensor<3xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  // CHECK: onnx.MatMul{{.*}} -> tensor<5x7x2x4xf32>
  %0 = onnx.MatMul(%a, %b) : (tensor<5x1x2x3xf32>, tensor<7x3x4xf32>) -> tensor<*xf32>
  // CHECK: onnx.MatMul{{.*}} -> tensor<5x1x2xf32>
  %1 = onnx.MatMul(%a, %v) : (tensor<5x1x2x3xf32>, tensor<3xf32>) -> tensor<*xf32>
  return %0, %1 : tensor<*xf32>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @gemm_transposed
func.func @gemm_transposed(%a: tensor<3x2xf32>, %b: tensor<4x3xf32>, %c: tensor<4xf32>) -> tensor<*xf32> {
  // CHECK: onnx.Gemm{{.*}} -> tensor<2x4xf32>
  %0 = onnx.Gemm(%a, %b, %c) {transA = 1 : i64, transB = 1 : i64} : (tensor<3x2xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @conv_forms
func.func @conv_forms(%x: tensor<?x8x15x15xf32>, %w: tensor<16x4x3x3xf32>, %wt: tensor<8x4x3x3xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %none = onnx.NoValue : none
  // Grouped, strided, dilated.
  // CHECK: onnx.Conv{{.*}} -> tensor<?x16x6x6xf32>
  %0 = onnx.Conv(%x, %w, %none) {group = 2 : i64, strides = [2, 2], dilations = [2, 2]} : (tensor<?x8x15x15xf32>, tensor<16x4x3x3xf32>, none) -> tensor<*xf32>
  // CHECK: onnx.Conv{{.*}} -> tensor<?x16x8x8xf32>
  %1 = onnx.Conv(%x, %w, %none) {group = 2 : i64, strides = [2, 2], auto_pad = "SAME_UPPER"} : (tensor<?x8x15x15xf32>, tensor<16x4x3x3xf32>, none) -> tensor<*xf32>
  // W is (C, M / group, k...): 8 x 4 x 2 output channels.
  // CHECK: onnx.ConvTranspose{{.*}} -> tensor<?x8x31x31xf32>
  %2 = onnx.ConvTranspose(%x, %wt, %none) {strides = [2, 2], group = 2 : i64} : (tensor<?x8x15x15xf32>, tensor<8x4x3x3xf32>, none) -> tensor<*xf32>
  return %0, %1, %2 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @pooling
func.func @pooling(%x: tensor<1x3x32x32xf32>) -> (tensor<*xf32>, tensor<*xi64>, tensor<*xf32>, tensor<*xf32>) {
  // CHECK: onnx.MaxPool{{.*}} -> (tensor<1x3x16x16xf32>, tensor<1x3x16x16xi64>)
  %0:2 = onnx.MaxPool(%x) {kernel_shape = [3, 3], strides = [2, 2], ceil_mode = 1 : i64} : (tensor<1x3x32x32xf32>) -> (tensor<*xf32>, tensor<*xi64>)
  // CHECK: onnx.AveragePool{{.*}} -> tensor<1x3x16x16xf32>
  %1 = onnx.AveragePool(%x) {kernel_shape = [3, 3], strides = [2, 2], pads = [1, 1, 1, 1]} : (tensor<1x3x32x32xf32>) -> tensor<*xf32>
  // CHECK: onnx.GlobalAveragePool{{.*}} -> tensor<1x3x1x1xf32>
  %2 = onnx.GlobalAveragePool(%x) : (tensor<1x3x32x32xf32>) -> tensor<*xf32>
  return %0#0, %0#1, %1, %2 : tensor<*xf32>, tensor<*xi64>, tensor<*xf32>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_with_constant_shape
func.func @reshape_with_constant_shape(%x: tensor<2x3x4xf32>, %d: tensor<?x3x4xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %s = onnx.Constant() {value = dense<[0, -1]> : tensor<2xi64>} : () -> tensor<2xi64>
  // CHECK: onnx.Reshape{{.*}} -> tensor<2x12xf32>
  %0 = onnx.Reshape(%x, %s) : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<*xf32>
  // CHECK: onnx.Reshape{{.*}} -> tensor<?x?xf32>
  %1 = onnx.Reshape(%d, %s) : (tensor<?x3x4xf32>, tensor<2xi64>) -> tensor<*xf32>
  return %0, %1 : tensor<*xf32>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_unknown_shape_keeps_rank
func.func @reshape_unknown_shape_keeps_rank(%x: tensor<2x3x4xf32>, %s: tensor<3xi64>) -> tensor<*xf32> {
  // CHECK: onnx.Reshape{{.*}} -> tensor<?x?x?xf32>
  %0 = onnx.Reshape(%x, %s) : (tensor<2x3x4xf32>, tensor<3xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @data_movement
func.func @data_movement(%x: tensor<2x3x4xf32>, %y: tensor<2x5x4xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  // CHECK: onnx.Transpose{{.*}} -> tensor<4x2x3xf32>
  %0 = onnx.Transpose(%x) {perm = [2, 0, 1]} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  // CHECK: onnx.Concat{{.*}} -> tensor<2x8x4xf32>
  %1 = onnx.Concat(%x, %y) {axis = -2 : i64} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<*xf32>
  // CHECK: onnx.Flatten{{.*}} -> tensor<6x4xf32>
  %2 = onnx.Flatten(%x) {axis = 2 : i64} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  %i = onnx.Constant() {value = dense<[[0, 1], [1, 0]]> : tensor<2x2xi64>} : () -> tensor<2x2xi64>
  // CHECK: onnx.Gather{{.*}} -> tensor<2x2x2x4xf32>
  %3 = onnx.Gather(%x, %i) {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x2xi64>) -> tensor<*xf32>
  %starts = onnx.Constant() {value = dense<[1, -1]> : tensor<2xi64>} : () -> tensor<2xi64>
  %ends = onnx.Constant() {value = dense<[9223372036854775807, -5]> : tensor<2xi64>} : () -> tensor<2xi64>
  %axes = onnx.Constant() {value = dense<[1, 2]> : tensor<2xi64>} : () -> tensor<2xi64>
  %steps = onnx.Constant() {value = dense<[1, -1]> : tensor<2xi64>} : () -> tensor<2xi64>
  // CHECK: onnx.Slice{{.*}} -> tensor<2x2x4xf32>
  %4 = onnx.Slice(%x, %starts, %ends, %axes, %steps) : (tensor<2x3x4xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<*xf32>
  return %0, %1, %2, %3, %4 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @split_num_outputs
func.func @split_num_outputs(%x: tensor<7x2xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %none = onnx.NoValue : none
  // CHECK: onnx.Split{{.*}} -> (tensor<3x2xf32>, tensor<3x2xf32>, tensor<1x2xf32>)
  %0:3 = onnx.Split(%x, %none) {num_outputs = 3 : i64} : (tensor<7x2xf32>, none) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  return %0#0, %0#1, %0#2 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @squeeze_unsqueeze_expand
func.func @squeeze_unsqueeze_expand(%x: tensor<1x3x1xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %none = onnx.NoValue : none
  // CHECK: onnx.Squeeze{{.*}} -> tensor<3xf32>
  %0 = onnx.Squeeze(%x, %none) : (tensor<1x3x1xf32>, none) -> tensor<*xf32>
  %a = onnx.Constant() {value = dense<[0, -1]> : tensor<2xi64>} : () -> tensor<2xi64>
  // CHECK: onnx.Unsqueeze{{.*}} -> tensor<1x1x3x1x1xf32>
  %1 = onnx.Unsqueeze(%x, %a) : (tensor<1x3x1xf32>, tensor<2xi64>) -> tensor<*xf32>
  %s = onnx.Constant() {value = dense<[2, 1, 1, 4]> : tensor<4xi64>} : () -> tensor<4xi64>
  // CHECK: onnx.Expand{{.*}} -> tensor<2x1x3x4xf32>
  %2 = onnx.Expand(%x, %s) : (tensor<1x3x1xf32>, tensor<4xi64>) -> tensor<*xf32>
  return %0, %1, %2 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @reductions
func.func @reductions(%x: tensor<2x3x4xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %a = onnx.Constant() {value = dense<[-1]> : tensor<1xi64>} : () -> tensor<1xi64>
  %none = onnx.NoValue : none
  // CHECK: onnx.ReduceMean{{.*}} -> tensor<2x3x1xf32>
  %0 = onnx.ReduceMean(%x, %a) : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<*xf32>
  // CHECK: onnx.ReduceSum{{.*}} -> tensor<f32>
  %1 = onnx.ReduceSum(%x, %none) {keepdims = 0 : i64} : (tensor<2x3x4xf32>, none) -> tensor<*xf32>
  // CHECK: onnx.ReduceMax{{.*}} -> tensor<2x3x4xf32>
  %2 = onnx.ReduceMax(%x, %none) {noop_with_empty_axes = 1 : i64} : (tensor<2x3x4xf32>, none) -> tensor<*xf32>
  return %0, %1, %2 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @norms_and_casts
func.func @norms_and_casts(%x: tensor<2x5x8xf16>, %s: tensor<8xf16>) -> (tensor<*xf16>, tensor<*xf32>, tensor<*xi64>, tensor<*xf32>) {
  %none = onnx.NoValue : none
  // CHECK: onnx.LayerNormalization{{.*}} -> (tensor<2x5x8xf16>, tensor<2x5x1xf32>, none)
  %0:3 = onnx.LayerNormalization(%x, %s, %none) : (tensor<2x5x8xf16>, tensor<8xf16>, none) -> (tensor<*xf16>, tensor<*xf32>, none)
  // CHECK: onnx.Cast{{.*}} -> tensor<2x5x8xi64>
  %1 = onnx.Cast(%x) {to = 7 : i64} : (tensor<2x5x8xf16>) -> tensor<*xi64>
  %shape = onnx.Constant() {value = dense<[3, 2]> : tensor<2xi64>} : () -> tensor<2xi64>
  // A constant shape makes ConstantOfShape a constant (its folder).
  // CHECK: onnx.Constant() {value = dense<0.000000e+00> : tensor<3x2xf32>}
  %2 = onnx.ConstantOfShape(%shape) : (tensor<2xi64>) -> tensor<*xf32>
  return %0#0, %0#1, %1, %2 : tensor<*xf16>, tensor<*xf32>, tensor<*xi64>, tensor<*xf32>
}

// -----

// Unranked inputs stay unranked: nothing is guessed.
// CHECK-LABEL: func.func @unknown_stays_unknown
func.func @unknown_stays_unknown(%x: tensor<*xf32>) -> tensor<*xf32> {
  // CHECK: onnx.Relu{{.*}} -> tensor<*xf32>
  %0 = onnx.Relu(%x) : (tensor<*xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @layout_ops
func.func @layout_ops(%x: tensor<1x8x4x6xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %pads = onnx.Constant() {value = dense<[0, 0, 1, 2, 0, 0, 3, 4]> : tensor<8xi64>} : () -> tensor<8xi64>
  %none = onnx.NoValue : none
  // CHECK: onnx.Pad{{.*}} -> tensor<1x8x8x12xf32>
  %0 = onnx.Pad(%x, %pads, %none, %none) {mode = "reflect"} : (tensor<1x8x4x6xf32>, tensor<8xi64>, none, none) -> tensor<*xf32>
  %reps = onnx.Constant() {value = dense<[2, 1, 1, 3]> : tensor<4xi64>} : () -> tensor<4xi64>
  // CHECK: onnx.Tile{{.*}} -> tensor<2x8x4x18xf32>
  %1 = onnx.Tile(%x, %reps) : (tensor<1x8x4x6xf32>, tensor<4xi64>) -> tensor<*xf32>
  // CHECK: onnx.DepthToSpace{{.*}} -> tensor<1x2x8x12xf32>
  %2 = onnx.DepthToSpace(%x) {blocksize = 2 : i64} : (tensor<1x8x4x6xf32>) -> tensor<*xf32>
  // CHECK: onnx.SpaceToDepth{{.*}} -> tensor<1x32x2x3xf32>
  %3 = onnx.SpaceToDepth(%x) {blocksize = 2 : i64} : (tensor<1x8x4x6xf32>) -> tensor<*xf32>
  return %0, %1, %2, %3 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @indexing_ops
func.func @indexing_ops(%x: tensor<5x6xf32>, %i: tensor<5x2xi64>, %nd: tensor<3x1xi64>) -> (tensor<*xf32>, tensor<*xi64>, tensor<*xf32>, tensor<*xf32>, tensor<*xi64>) {
  %k = onnx.Constant() {value = dense<3> : tensor<1xi64>} : () -> tensor<1xi64>
  // CHECK: onnx.TopK{{.*}} -> (tensor<5x3xf32>, tensor<5x3xi64>)
  %0:2 = onnx.TopK(%x, %k) : (tensor<5x6xf32>, tensor<1xi64>) -> (tensor<*xf32>, tensor<*xi64>)
  // CHECK: onnx.GatherElements{{.*}} -> tensor<5x2xf32>
  %1 = onnx.GatherElements(%x, %i) {axis = 1 : i64} : (tensor<5x6xf32>, tensor<5x2xi64>) -> tensor<*xf32>
  // CHECK: onnx.GatherND{{.*}} -> tensor<3x6xf32>
  %2 = onnx.GatherND(%x, %nd) : (tensor<5x6xf32>, tensor<3x1xi64>) -> tensor<*xf32>
  // CHECK: onnx.ArgMax{{.*}} -> tensor<5xi64>
  %3 = onnx.ArgMax(%x) {axis = -1 : i64, keepdims = 0 : i64} : (tensor<5x6xf32>) -> tensor<*xi64>
  return %0#0, %0#1, %1, %2, %3 : tensor<*xf32>, tensor<*xi64>, tensor<*xf32>, tensor<*xf32>, tensor<*xi64>
}

// -----

// CHECK-LABEL: func.func @range_and_onehot
func.func @range_and_onehot(%idx: tensor<4xi64>, %values: tensor<2xf32>) -> (tensor<*xi64>, tensor<*xf32>) {
  %start = onnx.Constant() {value = dense<10> : tensor<i64>} : () -> tensor<i64>
  %limit = onnx.Constant() {value = dense<1> : tensor<i64>} : () -> tensor<i64>
  %delta = onnx.Constant() {value = dense<-3> : tensor<i64>} : () -> tensor<i64>
  // CHECK: onnx.Range{{.*}} -> tensor<3xi64>
  %0 = onnx.Range(%start, %limit, %delta) : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<*xi64>
  %depth = onnx.Constant() {value = dense<7> : tensor<1xi64>} : () -> tensor<1xi64>
  // CHECK: onnx.OneHot{{.*}} -> tensor<7x4xf32>
  %1 = onnx.OneHot(%idx, %depth, %values) {axis = 0 : i64} : (tensor<4xi64>, tensor<1xi64>, tensor<2xf32>) -> tensor<*xf32>
  return %0, %1 : tensor<*xi64>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @resize_quantize_loss
func.func @resize_quantize_loss(%x: tensor<1x3x4x6xf32>, %s: tensor<f32>, %zp: tensor<i8>, %labels: tensor<1x4x6xi64>) -> (tensor<*xf32>, tensor<*xi8>, tensor<*xf32>, tensor<*xf32>) {
  %none = onnx.NoValue : none
  %scales = onnx.Constant() {value = dense<[1.0, 1.0, 2.0, 1.5]> : tensor<4xf32>} : () -> tensor<4xf32>
  // CHECK: onnx.Resize{{.*}} -> tensor<1x3x8x9xf32>
  %0 = onnx.Resize(%x, %none, %scales, %none) {mode = "linear"} : (tensor<1x3x4x6xf32>, none, tensor<4xf32>, none) -> tensor<*xf32>
  // CHECK: onnx.QuantizeLinear{{.*}} -> tensor<1x3x4x6xi8>
  %1 = onnx.QuantizeLinear(%x, %s, %zp) : (tensor<1x3x4x6xf32>, tensor<f32>, tensor<i8>) -> tensor<*xi8>
  // CHECK: onnx.DequantizeLinear{{.*}} -> tensor<1x3x4x6xf32>
  %2 = onnx.DequantizeLinear(%1, %s, %zp) : (tensor<*xi8>, tensor<f32>, tensor<i8>) -> tensor<*xf32>
  // CHECK: onnx.SoftmaxCrossEntropyLoss{{.*}} -> (tensor<f32>, tensor<1x3x4x6xf32>)
  %3:2 = onnx.SoftmaxCrossEntropyLoss(%x, %labels, %none) : (tensor<1x3x4x6xf32>, tensor<1x4x6xi64>, none) -> (tensor<*xf32>, tensor<*xf32>)
  return %0, %1, %2, %3#0 : tensor<*xf32>, tensor<*xi8>, tensor<*xf32>, tensor<*xf32>
}

// -----

// The exporters' shape idioms fold in the same walk that refines types, so
// what follows them becomes static: Expand(x, Where(Equal(c, -1), 1, c)),
// a Slice bounded by Mod, and integer ops over a resource constant.
// CHECK-LABEL: func.func @shape_idioms
func.func @shape_idioms(%x: tensor<1x8xi64>, %y: tensor<6xf32>) -> (tensor<*xi64>, tensor<*xf32>, tensor<*xi64>, tensor<*xi1>) {
  %c = onnx.Constant() {value = dense<[1, -1]> : tensor<2xi64>} : () -> tensor<2xi64>
  %minus1 = onnx.Constant() {value = dense<-1> : tensor<2xi64>} : () -> tensor<2xi64>
  %ones = onnx.Constant() {value = dense<1> : tensor<2xi64>} : () -> tensor<2xi64>
  %eq = onnx.Equal(%c, %minus1) : (tensor<2xi64>, tensor<2xi64>) -> tensor<*xi1>
  %shape = onnx.Where(%eq, %ones, %c) : (tensor<*xi1>, tensor<2xi64>, tensor<2xi64>) -> tensor<*xi64>
  // CHECK: onnx.Expand{{.*}} -> tensor<1x8xi64>
  %0 = onnx.Expand(%x, %shape) : (tensor<1x8xi64>, tensor<*xi64>) -> tensor<*xi64>
  %two = onnx.Constant() {value = dense<[2]> : tensor<1xi64>} : () -> tensor<1xi64>
  %three = onnx.Constant() {value = dense<[3]> : tensor<1xi64>} : () -> tensor<1xi64>
  %minus5 = onnx.Constant() {value = dense<[-5]> : tensor<1xi64>} : () -> tensor<1xi64>
  // Mod takes the divisor's sign: -5 mod 3 = 1; 2 mod 3 = 2; so [1, 5).
  %start = onnx.Mod(%minus5, %three) : (tensor<1xi64>, tensor<1xi64>) -> tensor<*xi64>
  %m = onnx.Mod(%two, %three) : (tensor<1xi64>, tensor<1xi64>) -> tensor<*xi64>
  %end = onnx.Add(%m, %three) : (tensor<*xi64>, tensor<1xi64>) -> tensor<*xi64>
  // CHECK: onnx.Slice{{.*}} -> tensor<4xf32>
  %none = onnx.NoValue : none
  %1 = onnx.Slice(%y, %start, %end, %none, %none) : (tensor<6xf32>, tensor<*xi64>, tensor<*xi64>, none, none) -> tensor<*xf32>
  // A resource constant (a large initializer) broadcast against a splat.
  // CHECK: %[[R:.*]] = onnx.Constant() {value = dense<{{\[}}[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>}
  %r = onnx.Constant() {value = dense_resource<ids> : tensor<2x3xi64>} : () -> tensor<2x3xi64>
  %zero = onnx.Constant() {value = dense<[[1], [4]]> : tensor<2x1xi64>} : () -> tensor<2x1xi64>
  %k = onnx.Constant() {value = dense<0> : tensor<i64>} : () -> tensor<i64>
  %2 = onnx.Sub(%r, %zero) : (tensor<2x3xi64>, tensor<2x1xi64>) -> tensor<*xi64>
  %3 = onnx.Max(%2, %k) : (tensor<*xi64>, tensor<i64>) -> tensor<*xi64>
  %4 = onnx.Add(%3, %zero) : (tensor<*xi64>, tensor<2x1xi64>) -> tensor<*xi64>
  %5 = onnx.GreaterOrEqual(%4, %zero) : (tensor<*xi64>, tensor<2x1xi64>) -> tensor<*xi1>
  %6 = onnx.Not(%5) : (tensor<*xi1>) -> tensor<*xi1>
  %7 = onnx.Or(%6, %5) : (tensor<*xi1>, tensor<*xi1>) -> tensor<*xi1>
  // CHECK: onnx.Constant() {value = dense<false> : tensor<2x3xi1>}
  // CHECK-NEXT: %[[T:.*]] = onnx.Constant() {value = dense<true> : tensor<2x3xi1>}
  // CHECK-NEXT: return %{{.*}}, %{{.*}}, %[[R]], %[[T]]
  return %0, %1, %4, %7 : tensor<*xi64>, tensor<*xf32>, tensor<*xi64>, tensor<*xi1>
}

{-#
  dialect_resources: {
    builtin: {
      ids: "0x08000000010000000000000002000000000000000300000000000000040000000000000005000000000000000600000000000000"
    }
  }
#-}
