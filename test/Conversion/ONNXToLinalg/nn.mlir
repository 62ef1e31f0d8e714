// RUN: kiln-opt %s --convert-onnx-to-linalg --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @conv_same_upper
func.func @conv_same_upper(%x: tensor<?x3x5x5xf32>, %w: tensor<8x3x2x2xf32>, %b: tensor<8xf32>) -> tensor<?x8x5x5xf32> {
  // SAME_UPPER with an even kernel pads 0 before, 1 after.
  // CHECK: tensor.pad %{{.*}} low[0, 0, 0, 0] high[0, 0, 1, 1]
  // CHECK: linalg.fill
  // CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
  // CHECK: linalg.generic
  // CHECK: arith.addf
  %0 = onnx.Conv(%x, %w, %b) {auto_pad = "SAME_UPPER"} : (tensor<?x3x5x5xf32>, tensor<8x3x2x2xf32>, tensor<8xf32>) -> tensor<?x8x5x5xf32>
  return %0 : tensor<?x8x5x5xf32>
}

// -----

// RMSNormalization of f16 with stash_type 1: the sum of squares and the
// reciprocal root in f32, then back to f16 before the scale.
// CHECK-LABEL: func.func @rms_norm_f16
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: arith.mulf %{{.*}} : f32
// CHECK: math.rsqrt %{{.*}} : f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: arith.mulf %{{.*}} : f16
func.func @rms_norm_f16(%x: tensor<2x8xf16>, %s: tensor<8xf16>) -> tensor<2x8xf16> {
  %0 = onnx.RMSNormalization(%x, %s) : (tensor<2x8xf16>, tensor<8xf16>) -> tensor<2x8xf16>
  return %0 : tensor<2x8xf16>
}

// -----

// LRN of size 3: each element reads its channel and the two neighbours
// (guarded at the edges), then x / (bias + alpha/size * sum)^beta.
// CHECK-LABEL: func.func @lrn
// CHECK-COUNT-3: tensor.extract %{{.*}} : tensor<1x4x2x2xf32>
// CHECK: math.powf
// CHECK: arith.divf
func.func @lrn(%x: tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32> {
  %0 = onnx.LRN(%x) {size = 3 : i64} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  return %0 : tensor<1x4x2x2xf32>
}
