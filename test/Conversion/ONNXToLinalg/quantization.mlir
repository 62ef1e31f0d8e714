// RUN: kiln-opt %s --convert-onnx-to-linalg --split-input-file | FileCheck %s

// Per-axis int8 quantization: the scale and zero point index dim 1; x /
// scale rounds half to even, adds the zero point, clamps to [-128, 127].
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[AXIS:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @quantize_per_axis
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3xf32>, %[[S:[^:]*]]: tensor<3xf32>, %[[Z:[^:]*]]: tensor<3xi8>)
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[AXIS]], #[[AXIS]], #[[ID]]]
// CHECK-SAME: ins(%[[X]], %[[S]], %[[Z]] : tensor<2x3xf32>, tensor<3xf32>, tensor<3xi8>)
// CHECK-NEXT: ^bb0(%[[XV:[^:]*]]: f32, %[[SV:[^:]*]]: f32, %[[ZV:[^:]*]]: i8, %{{[^:]*}}: i8):
// CHECK: %[[Q:.*]] = arith.divf %[[XV]], %[[SV]] : f32
// CHECK: %[[ZF:.*]] = arith.sitofp %[[ZV]] : i8 to f32
// CHECK: %[[QR:.*]] = math.roundeven %[[Q]] : f32
// CHECK: %[[QZ:.*]] = arith.addf %[[QR]], %[[ZF]] : f32
// CHECK: %[[LO:.*]] = arith.constant -1.280000e+02 : f32
// CHECK: %[[Q1:.*]] = arith.maximumf %[[QZ]], %[[LO]] : f32
// CHECK: %[[HI:.*]] = arith.constant 1.270000e+02 : f32
// CHECK: %[[Q2:.*]] = arith.minimumf %[[Q1]], %[[HI]] : f32
// A NaN quantizes to 0 rather than to fptosi's poison.
// CHECK: %[[ISNAN:.*]] = arith.cmpf uno, %[[Q2]], %[[Q2]] : f32
// CHECK: %[[FZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[Q3:.*]] = arith.select %[[ISNAN]], %[[FZERO]], %[[Q2]] : f32
// CHECK: %[[QI:.*]] = arith.fptosi %[[Q3]] : f32 to i64
// CHECK: %[[Q8:.*]] = arith.trunci %[[QI]] : i64 to i8
// CHECK: linalg.yield %[[Q8]] : i8
// CHECK: return %[[Y]]
func.func @quantize_per_axis(%x: tensor<2x3xf32>, %s: tensor<3xf32>, %z: tensor<3xi8>) -> tensor<2x3xi8> {
  %0 = onnx.QuantizeLinear(%x, %s, %z) : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xi8>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

// Blocked int4 dequantization: the scale's dim 1 counts blocks of 2;
// y = (x - zero point) * scale.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[BLOCK:.*]] = affine_map<(d0, d1) -> (d0, d1 floordiv 2)>
// CHECK-LABEL: func.func @dequantize_blocked
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x4xi4>, %[[S:[^:]*]]: tensor<2x2xf32>, %[[Z:[^:]*]]: tensor<2x2xi4>)
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[BLOCK]], #[[BLOCK]], #[[ID]]]
// CHECK-SAME: ins(%[[X]], %[[S]], %[[Z]] : tensor<2x4xi4>, tensor<2x2xf32>, tensor<2x2xi4>)
// CHECK-NEXT: ^bb0(%[[XV:[^:]*]]: i4, %[[SV:[^:]*]]: f32, %[[ZV:[^:]*]]: i4, %{{[^:]*}}: f32):
// CHECK-NEXT: %[[XF:.*]] = arith.sitofp %[[XV]] : i4 to f32
// CHECK-NEXT: %[[ZF:.*]] = arith.sitofp %[[ZV]] : i4 to f32
// CHECK-NEXT: %[[D:.*]] = arith.subf %[[XF]], %[[ZF]] : f32
// CHECK-NEXT: %[[R:.*]] = arith.mulf %[[D]], %[[SV]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
// CHECK: return %[[Y]]
func.func @dequantize_blocked(%x: tensor<2x4xi4>, %s: tensor<2x2xf32>, %z: tensor<2x2xi4>) -> tensor<2x4xf32> {
  %0 = onnx.DequantizeLinear(%x, %s, %z) {axis = 1 : i64, block_size = 2 : i64} : (tensor<2x4xi4>, tensor<2x2xf32>, tensor<2x2xi4>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Saturating float8 quantization clamps to +-448 before the conversion (and
// does not round: the truncf rounds to nearest even itself).
// CHECK-LABEL: func.func @quantize_e4m3
// CHECK-SAME: (%[[X:[^:]*]]: tensor<4xf32>, %[[S:[^:]*]]: tensor<f32>, %[[Z:[^:]*]]: tensor<f8E4M3FN>)
// CHECK: %[[Y:.*]] = linalg.generic
// CHECK-SAME: ins(%[[X]], %[[S]], %[[Z]] : tensor<4xf32>, tensor<f32>, tensor<f8E4M3FN>)
// CHECK-NEXT: ^bb0(%[[XV:[^:]*]]: f32, %[[SV:[^:]*]]: f32, %[[ZV:[^:]*]]: f8E4M3FN, %{{[^:]*}}: f8E4M3FN):
// CHECK: %[[Q:.*]] = arith.divf %[[XV]], %[[SV]] : f32
// CHECK: %[[ZF:.*]] = arith.extf %[[ZV]] : f8E4M3FN to f32
// CHECK: %[[QZ:.*]] = arith.addf %[[Q]], %[[ZF]] : f32
// CHECK: %[[LO:.*]] = arith.constant -4.480000e+02 : f32
// CHECK: %[[Q1:.*]] = arith.maximumf %[[QZ]], %[[LO]] : f32
// CHECK: %[[HI:.*]] = arith.constant 4.480000e+02 : f32
// CHECK: %[[Q2:.*]] = arith.minimumf %[[Q1]], %[[HI]] : f32
// CHECK: %[[Q8:.*]] = arith.truncf %[[Q2]] : f32 to f8E4M3FN
// CHECK: linalg.yield %[[Q8]] : f8E4M3FN
// CHECK: return %[[Y]]
func.func @quantize_e4m3(%x: tensor<4xf32>, %s: tensor<f32>, %z: tensor<f8E4M3FN>) -> tensor<4xf8E4M3FN> {
  %0 = onnx.QuantizeLinear(%x, %s, %z) : (tensor<4xf32>, tensor<f32>, tensor<f8E4M3FN>) -> tensor<4xf8E4M3FN>
  return %0 : tensor<4xf8E4M3FN>
}
