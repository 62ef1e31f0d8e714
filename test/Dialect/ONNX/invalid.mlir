// RUN: kiln-opt %s -split-input-file -verify-diagnostics

func.func @gemm_inner_dims(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) -> tensor<2x5xf32> {
  %none = onnx.NoValue : none
  // expected-error @+1 {{inner dimensions do not match: 3 vs 4}}
  %0 = onnx.Gemm(%a, %b, %none) : (tensor<2x3xf32>, tensor<4x5xf32>, none) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @matmul_inner_dims(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{inner dimensions do not match: 3 vs 4}}
  %0 = onnx.MatMul(%a, %b) : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @wrong_result_shape(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{result #0 has type 'tensor<2x5xf32>', incompatible with the inferred type 'tensor<2x4xf32>'}}
  %0 = onnx.MatMul(%a, %b) : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{operands are not broadcast-compatible: dim 3 vs 4}}
  %0 = onnx.Add(%a, %b) : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @element_types(%a: tensor<2xf32>, %b: tensor<2xf64>) -> tensor<*xf32> {
  // expected-error @+1 {{all of {A, B, C} have same element type}}
  %0 = onnx.Add(%a, %b) : (tensor<2xf32>, tensor<2xf64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @conv_channels(%x: tensor<1x3x8x8xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<*xf32> {
  %none = onnx.NoValue : none
  // expected-error @+1 {{input channels 3 do not match W's 2 x group 1}}
  %0 = onnx.Conv(%x, %w, %none) : (tensor<1x3x8x8xf32>, tensor<4x2x3x3xf32>, none) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @conv_pads(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<*xf32> {
  %none = onnx.NoValue : none
  // expected-error @+1 {{pads has 2 values, expected 4}}
  %0 = onnx.Conv(%x, %w, %none) {pads = [1, 1]} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @conv_auto_pad(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<*xf32> {
  %none = onnx.NoValue : none
  // expected-error @+1 {{unknown auto_pad "SAME"}}
  %0 = onnx.Conv(%x, %w, %none) {auto_pad = "SAME"} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @pool_window(%x: tensor<1x3x2x2xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{the window does not fit spatial dim 0 (size 2)}}
  %0 = onnx.AveragePool(%x) {kernel_shape = [3, 3]} : (tensor<1x3x2x2xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @softmax_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %0 = onnx.Softmax(%x) {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @gelu_mode(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{approximate must be "none" or "tanh", got "erf"}}
  %0 = onnx.Gelu(%x) {approximate = "erf"} : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @transpose_perm(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{perm is not a permutation of [0, 2)}}
  %0 = onnx.Transpose(%x) {perm = [0, 0]} : (tensor<2x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @concat_dims(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{inputs differ in dim 1: 3 vs 4}}
  %0 = onnx.Concat(%a, %b) {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @reshape_count(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  %s = onnx.Constant() {value = dense<[4, 2]> : tensor<2xi64>} : () -> tensor<2xi64>
  // expected-error @+1 {{cannot reshape 6 elements into 8}}
  %0 = onnx.Reshape(%x, %s) : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @reshape_two_infers(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  %s = onnx.Constant() {value = dense<[-1, -1]> : tensor<2xi64>} : () -> tensor<2xi64>
  // expected-error @+1 {{shape has more than one -1}}
  %0 = onnx.Reshape(%x, %s) : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @split_sizes(%x: tensor<6xf32>) -> tensor<*xf32> {
  %s = onnx.Constant() {value = dense<[2, 3]> : tensor<2xi64>} : () -> tensor<2xi64>
  // expected-error @+1 {{split sizes sum to 5 but the dim is 6}}
  %0:2 = onnx.Split(%x, %s) : (tensor<6xf32>, tensor<2xi64>) -> (tensor<*xf32>, tensor<*xf32>)
  return %0#0 : tensor<*xf32>
}

// -----

func.func @squeeze_non_one(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  %a = onnx.Constant() {value = dense<[0]> : tensor<1xi64>} : () -> tensor<1xi64>
  // expected-error @+1 {{cannot squeeze dim 0 of size 2}}
  %0 = onnx.Squeeze(%x, %a) : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @gather_index(%x: tensor<4x3xf32>) -> tensor<*xf32> {
  %i = onnx.Constant() {value = dense<[5]> : tensor<1xi64>} : () -> tensor<1xi64>
  // expected-error @+1 {{index 5 is out of range for dim 4}}
  %0 = onnx.Gather(%x, %i) : (tensor<4x3xf32>, tensor<1xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @reduce_axis(%x: tensor<4x3xf32>) -> tensor<*xf32> {
  %a = onnx.Constant() {value = dense<[1, -1]> : tensor<2xi64>} : () -> tensor<2xi64>
  // expected-error @+1 {{reduction axis -1 is repeated}}
  %0 = onnx.ReduceSum(%x, %a) : (tensor<4x3xf32>, tensor<2xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @cast_target(%x: tensor<4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{cannot cast to ONNX data type STRING (8)}}
  %0 = onnx.Cast(%x) {to = 8 : i64} : (tensor<4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @batchnorm_params(%x: tensor<1x3x4x4xf32>, %p: tensor<4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{per-channel parameters and channels do not match: 4 vs 3}}
  %0:3 = onnx.BatchNormalization(%x, %p, %p, %p, %p) : (tensor<1x3x4x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<*xf32>, none, none)
  return %0#0 : tensor<*xf32>
}

// -----

func.func @clip_bounds(%x: tensor<4xf32>, %b: tensor<2xf32>) -> tensor<4xf32> {
  %none = onnx.NoValue : none
  // expected-error @+1 {{bounds must be scalars, got 'tensor<2xf32>'}}
  %0 = onnx.Clip(%x, %b, %none) : (tensor<4xf32>, tensor<2xf32>, none) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @wrong_attribute_kind(%x: tensor<2x3xf32>, %y: tensor<3x4xf32>) -> tensor<*xf32> {
  %none = onnx.NoValue : none
  // expected-error @+1 {{attribute 'alpha' failed to satisfy constraint: 32-bit float attribute}}
  %0 = onnx.Gemm(%x, %y, %none) {alpha = 1 : i64} : (tensor<2x3xf32>, tensor<3x4xf32>, none) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @topk_too_many(%x: tensor<5x6xf32>) -> tensor<*xf32> {
  %k = onnx.Constant() {value = dense<7> : tensor<1xi64>} : () -> tensor<1xi64>
  // expected-error @+1 {{K 7 exceeds the axis size 6}}
  %0:2 = onnx.TopK(%x, %k) : (tensor<5x6xf32>, tensor<1xi64>) -> (tensor<*xf32>, tensor<*xi64>)
  return %0#0 : tensor<*xf32>
}

// -----

func.func @depth_to_space_channels(%x: tensor<1x6x4x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{channels (6) are not divisible by 4}}
  %0 = onnx.DepthToSpace(%x) {blocksize = 2 : i64} : (tensor<1x6x4x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @bitshift_direction(%x: tensor<4xui8>) -> tensor<4xui8> {
  // expected-error @+1 {{direction must be "LEFT" or "RIGHT", got "UP"}}
  %0 = onnx.BitShift(%x, %x) {direction = "UP"} : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// 3-D attention inputs need the head counts.
func.func @no_heads(%q: tensor<1x5x16xf32>, %k: tensor<1x5x16xf32>, %v: tensor<1x5x16xf32>) -> tensor<*xf32> {
  %none = onnx.NoValue : none
  // expected-error @+1 {{3-D inputs need the q_num_heads and kv_num_heads attributes}}
  %y, %a, %b, %c = onnx.Attention(%q, %k, %v, %none, %none, %none, %none) : (tensor<1x5x16xf32>, tensor<1x5x16xf32>, tensor<1x5x16xf32>, none, none, none, none) -> (tensor<*xf32>, none, none, none)
  return %y : tensor<*xf32>
}

// -----

func.func @reverse_sequence_axes(%x: tensor<4x4xf32>, %l: tensor<4xi64>) -> tensor<4x4xf32> {
  // expected-error @+1 {{batch_axis and time_axis must be 0 and 1 (in either order) of an input of rank 2 or more}}
  %0 = onnx.ReverseSequence(%x, %l) {batch_axis = 0 : i64, time_axis = 9 : i64} : (tensor<4x4xf32>, tensor<4xi64>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

func.func @tensor_scatter_batch_axis(%p: tensor<2x8x4xf32>, %u: tensor<2x1x4xf32>) -> tensor<2x8x4xf32> {
  %none = onnx.NoValue : none
  // expected-error @+1 {{axis 0 must be a non-batch dim}}
  %0 = onnx.TensorScatter(%p, %u, %none) {axis = 0 : i64} : (tensor<2x8x4xf32>, tensor<2x1x4xf32>, none) -> tensor<2x8x4xf32>
  return %0 : tensor<2x8x4xf32>
}

// -----

// A scan needs an axis (a fuzzed CumSum: the conversion built a malformed
// region for rank 0).
func.func @cumsum_rank0(%x: tensor<f32>, %a: tensor<i32>) -> tensor<f32> {
  // expected-error @+1 {{needs an input of rank 1 or more, got rank 0}}
  %0 = onnx.CumSum(%x, %a) : (tensor<f32>, tensor<i32>) -> tensor<f32>
  return %0 : tensor<f32>
}
