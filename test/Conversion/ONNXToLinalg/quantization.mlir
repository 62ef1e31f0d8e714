// RUN: kiln-opt %s --convert-onnx-to-linalg --split-input-file | FileCheck %s

// Per-axis int8 quantization: the scale and zero point index dim 1; x /
// scale rounds half to even, adds the zero point, clamps to [-128, 127].
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[AXIS:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @quantize_per_axis
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[AXIS]], #[[AXIS]], #[[ID]]]
// CHECK: arith.divf
// CHECK: math.roundeven
// CHECK: arith.addf
// CHECK-DAG: arith.constant -1.280000e+02 : f32
// CHECK-DAG: arith.constant 1.270000e+02 : f32
// CHECK: arith.fptosi %{{.*}} : f32 to i64
// CHECK: arith.trunci %{{.*}} : i64 to i8
func.func @quantize_per_axis(%x: tensor<2x3xf32>, %s: tensor<3xf32>, %z: tensor<3xi8>) -> tensor<2x3xi8> {
  %0 = onnx.QuantizeLinear(%x, %s, %z) : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xi8>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

// Blocked int4 dequantization: the scale's dim 1 counts blocks of 2.
// CHECK-DAG: #[[BLOCK:.*]] = affine_map<(d0, d1) -> (d0, d1 floordiv 2)>
// CHECK-LABEL: func.func @dequantize_blocked
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[BLOCK]], #[[BLOCK]], #{{.*}}]
// CHECK: arith.sitofp %{{.*}} : i4 to f32
// CHECK: arith.subf
// CHECK: arith.mulf
func.func @dequantize_blocked(%x: tensor<2x4xi4>, %s: tensor<2x2xf32>, %z: tensor<2x2xi4>) -> tensor<2x4xf32> {
  %0 = onnx.DequantizeLinear(%x, %s, %z) {axis = 1 : i64, block_size = 2 : i64} : (tensor<2x4xi4>, tensor<2x2xf32>, tensor<2x2xi4>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Saturating float8 quantization clamps to +-448 before the conversion.
// CHECK-LABEL: func.func @quantize_e4m3
// CHECK-DAG: arith.constant -4.480000e+02 : f32
// CHECK-DAG: arith.constant 4.480000e+02 : f32
// CHECK: arith.truncf %{{.*}} : f32 to f8E4M3FN
func.func @quantize_e4m3(%x: tensor<4xf32>, %s: tensor<f32>, %z: tensor<f8E4M3FN>) -> tensor<4xf8E4M3FN> {
  %0 = onnx.QuantizeLinear(%x, %s, %z) : (tensor<4xf32>, tensor<f32>, tensor<f8E4M3FN>) -> tensor<4xf8E4M3FN>
  return %0 : tensor<4xf8E4M3FN>
}
