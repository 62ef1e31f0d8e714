// RUN: kiln-opt %s --convert-onnx-to-linalg --split-input-file | FileCheck %s

// The bias B (one per output channel) is added to the convolution's result
// along dim 1.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @conv_same_upper
// CHECK-SAME: (%[[X:[^:]*]]: tensor<?x3x5x5xf32>, %[[W:[^:]*]]: tensor<8x3x2x2xf32>, %[[B:[^:]*]]: tensor<8xf32>)
func.func @conv_same_upper(%x: tensor<?x3x5x5xf32>, %w: tensor<8x3x2x2xf32>, %b: tensor<8xf32>) -> tensor<?x8x5x5xf32> {
  // SAME_UPPER with an even kernel pads 0 before, 1 after, with zeros.
  // CHECK: %[[PZERO:.*]] = arith.constant 0.000000e+00 : f32
  // CHECK: %[[P:.*]] = tensor.pad %[[X]] low[0, 0, 0, 0] high[0, 0, 1, 1]
  // CHECK: tensor.yield %[[PZERO]] : f32
  // CHECK: } : tensor<?x3x5x5xf32> to tensor<?x3x6x6xf32>
  // CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
  // CHECK: %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<?x8x5x5xf32>)
  // CHECK: %[[CONV:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
  // CHECK-SAME: ins(%[[P]], %[[W]] : tensor<?x3x6x6xf32>, tensor<8x3x2x2xf32>) outs(%[[ACC]] : tensor<?x8x5x5xf32>)
  // CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[CH]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
  // CHECK-SAME: ins(%[[CONV]], %[[B]] : tensor<?x8x5x5xf32>, tensor<8xf32>)
  // CHECK-NEXT: ^bb0(%[[V:[^:]*]]: f32, %[[BV:[^:]*]]: f32, %{{[^:]*}}: f32):
  // CHECK-NEXT: %[[S:.*]] = arith.addf %[[V]], %[[BV]] : f32
  // CHECK-NEXT: linalg.yield %[[S]] : f32
  // CHECK: return %[[Y]]
  %0 = onnx.Conv(%x, %w, %b) {auto_pad = "SAME_UPPER"} : (tensor<?x3x5x5xf32>, tensor<8x3x2x2xf32>, tensor<8xf32>) -> tensor<?x8x5x5xf32>
  return %0 : tensor<?x8x5x5xf32>
}

// -----

// RMSNormalization of f16 with stash_type 1: the sum of squares and the
// reciprocal root in f32, then back to f16 before the scale.
// y = truncf(x * rsqrt(sum(x^2) / 8 + 1e-5)) * scale
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @rms_norm_f16
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x8xf16>, %[[SC:[^:]*]]: tensor<8xf16>)
// The count of the normalized axis (dim 1), as f32.
// CHECK: %[[I1:.*]] = arith.constant 1 : index
// CHECK: %[[D:.*]] = tensor.dim %[[X]], %[[I1]] : tensor<2x8xf16>
// CHECK: %[[DI:.*]] = arith.index_cast %[[D]] : index to i64
// CHECK: %[[DF:.*]] = arith.sitofp %[[DI]] : i64 to f32
// CHECK: %[[N:.*]] = arith.mulf %{{.*}}, %[[DF]] : f32
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<2x1xf32>)
// CHECK: %[[SS:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[COL]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME: ins(%[[X]] : tensor<2x8xf16>) outs(%[[ACC]] : tensor<2x1xf32>)
// CHECK-NEXT: ^bb0(%[[XV:[^:]*]]: f16, %[[SOUT:[^:]*]]: f32):
// CHECK-NEXT: %[[XW:.*]] = arith.extf %[[XV]] : f16 to f32
// CHECK-NEXT: %[[SQ:.*]] = arith.mulf %[[XW]], %[[XW]] : f32
// CHECK-NEXT: %[[SUM:.*]] = arith.addf %[[SQ]], %[[SOUT]] : f32
// CHECK-NEXT: linalg.yield %[[SUM]] : f32
// CHECK: %[[EPS:.*]] = arith.constant 9.99999974E-6 : f32
// CHECK: %[[INV:.*]] = linalg.generic
// CHECK-SAME: ins(%[[SS]] : tensor<2x1xf32>)
// CHECK-NEXT: ^bb0(%[[SV:[^:]*]]: f32, %{{[^:]*}}: f32):
// CHECK-NEXT: %[[MEAN:.*]] = arith.divf %[[SV]], %[[N]] : f32
// CHECK-NEXT: %[[ME:.*]] = arith.addf %[[MEAN]], %[[EPS]] : f32
// CHECK-NEXT: %[[R:.*]] = math.rsqrt %[[ME]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[COL]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[X]], %[[INV]], %[[SC]] : tensor<2x8xf16>, tensor<2x1xf32>, tensor<8xf16>)
// CHECK-NEXT: ^bb0(%[[XV2:[^:]*]]: f16, %[[RV:[^:]*]]: f32, %[[SV2:[^:]*]]: f16, %{{[^:]*}}: f16):
// CHECK-NEXT: %[[XW2:.*]] = arith.extf %[[XV2]] : f16 to f32
// CHECK-NEXT: %[[NX:.*]] = arith.mulf %[[XW2]], %[[RV]] : f32
// CHECK-NEXT: %[[NH:.*]] = arith.truncf %[[NX]] : f32 to f16
// CHECK-NEXT: %[[OUT:.*]] = arith.mulf %[[NH]], %[[SV2]] : f16
// CHECK-NEXT: linalg.yield %[[OUT]] : f16
// CHECK: return %[[Y]]
func.func @rms_norm_f16(%x: tensor<2x8xf16>, %s: tensor<8xf16>) -> tensor<2x8xf16> {
  %0 = onnx.RMSNormalization(%x, %s) : (tensor<2x8xf16>, tensor<8xf16>) -> tensor<2x8xf16>
  return %0 : tensor<2x8xf16>
}

// -----

// LRN of size 3: each element reads its channel and the two neighbours
// (guarded at the edges), then x / (bias + alpha/size * sum)^beta with the
// defaults alpha = 1e-4, beta = 0.75, bias = 1.
// CHECK-LABEL: func.func @lrn
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x4x2x2xf32>)
// CHECK: %[[NC:.*]] = arith.constant 4 : index
// CHECK: %[[Y:.*]] = linalg.generic
// CHECK: %[[N:.*]] = linalg.index 0 : index
// CHECK: %[[C:.*]] = linalg.index 1 : index
// CHECK: %[[H:.*]] = linalg.index 2 : index
// CHECK: %[[W:.*]] = linalg.index 3 : index
// Channel c - 1: read only when it is in [0, 4), else its square counts 0.
// CHECK: %[[I0:.*]] = arith.constant 0 : index
// CHECK: %[[M1:.*]] = arith.constant -1 : index
// CHECK: %[[CM:.*]] = arith.addi %[[C]], %[[M1]] : index
// CHECK: %[[GE:.*]] = arith.cmpi sge, %[[CM]], %[[I0]] : index
// CHECK: %[[LT:.*]] = arith.cmpi slt, %[[CM]], %[[NC]] : index
// CHECK: %[[OK:.*]] = arith.andi %[[GE]], %[[LT]] : i1
// CHECK: %[[CS:.*]] = arith.select %[[OK]], %[[CM]], %[[C]] : index
// CHECK: %[[XM:.*]] = tensor.extract %[[X]][%[[N]], %[[CS]], %[[H]], %[[W]]] : tensor<1x4x2x2xf32>
// CHECK: %[[SQ:.*]] = arith.mulf %[[XM]], %[[XM]] : f32
// CHECK: %[[FZ:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[SQS:.*]] = arith.select %[[OK]], %[[SQ]], %[[FZ]] : f32
// CHECK: %[[SUM0:.*]] = arith.addf %{{.*}}, %[[SQS]] : f32
// Channels c and c + 1 likewise.
// CHECK: arith.addi %[[C]], %{{.*}} : index
// CHECK: tensor.extract %[[X]][%[[N]], %{{.*}}, %[[H]], %[[W]]] : tensor<1x4x2x2xf32>
// CHECK: %[[SUM1:.*]] = arith.addf %[[SUM0]], %{{.*}} : f32
// CHECK: %[[P1:.*]] = arith.constant 1 : index
// CHECK: arith.addi %[[C]], %[[P1]] : index
// CHECK: tensor.extract %[[X]][%[[N]], %{{.*}}, %[[H]], %[[W]]] : tensor<1x4x2x2xf32>
// CHECK: %[[SUM2:.*]] = arith.addf %[[SUM1]], %{{.*}} : f32
// CHECK-DAG: %[[BIAS:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-DAG: %[[SCALE:.*]] = arith.constant 3.33333337E-5 : f32
// CHECK: %[[T:.*]] = arith.mulf %[[SCALE]], %[[SUM2]] : f32
// CHECK: %[[DEN:.*]] = arith.addf %[[BIAS]], %[[T]] : f32
// CHECK: %[[BETA:.*]] = arith.constant 7.500000e-01 : f32
// CHECK: %[[POW:.*]] = math.powf %[[DEN]], %[[BETA]] : f32
// CHECK: %[[XC:.*]] = tensor.extract %[[X]][%[[N]], %[[C]], %[[H]], %[[W]]] : tensor<1x4x2x2xf32>
// CHECK: %[[R:.*]] = arith.divf %[[XC]], %[[POW]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
// CHECK: return %[[Y]]
func.func @lrn(%x: tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32> {
  %0 = onnx.LRN(%x) {size = 3 : i64} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  return %0 : tensor<1x4x2x2xf32>
}

// -----

// ConvInteger in the integer kernel's form (u8 input, s8 weights, no zero
// points): the input padded with 0 and a convolution generic that widens
// the input unsigned and the weights signed, summing in i32.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d2 * 2 + d5, d3 * 2 + d6)>
// CHECK-DAG: #[[FILTER:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d4, d5, d6)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @conv_integer_kernel(
// CHECK: %[[PAD:.*]] = tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor<1x2x5x5xi8> to tensor<1x2x7x7xi8>
// CHECK: %[[ACC:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%{{.*}} : tensor<1x4x3x3xi32>)
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[FILTER]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[PAD]], %{{.*}} : tensor<1x2x7x7xi8>, tensor<4x2x3x3xi8>) outs(%[[ACC]] : tensor<1x4x3x3xi32>)
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: arith.extsi %{{.*}} : i8 to i32
// CHECK: arith.muli
// CHECK: arith.addi
func.func @conv_integer_kernel(%x: tensor<1x2x5x5xui8>, %w: tensor<4x2x3x3xi8>) -> tensor<1x4x3x3xi32> {
  %none = onnx.NoValue : none
  %y = onnx.ConvInteger(%x, %w, %none, %none) {pads = [1, 1, 1, 1], strides = [2, 2]} : (tensor<1x2x5x5xui8>, tensor<4x2x3x3xi8>, none, none) -> tensor<1x4x3x3xi32>
  return %y : tensor<1x4x3x3xi32>
}

// -----

// A dynamic batch: the accumulator takes the input's batch.
// CHECK-LABEL: func.func @conv_integer_dynamic_batch(
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x2x5x5xi8>
// CHECK: %[[N:.*]] = tensor.dim %{{.*}}, %c0
// CHECK: %[[EMPTY:.*]] = tensor.empty(%[[N]]) : tensor<?x4x3x3xi32>
// CHECK: %[[ACC:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%[[EMPTY]] : tensor<?x4x3x3xi32>)
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<?x2x7x7xi8>, tensor<4x2x3x3xi8>) outs(%[[ACC]] : tensor<?x4x3x3xi32>)
func.func @conv_integer_dynamic_batch(%x: tensor<?x2x5x5xui8>, %w: tensor<4x2x3x3xi8>) -> tensor<?x4x3x3xi32> {
  %none = onnx.NoValue : none
  %y = onnx.ConvInteger(%x, %w, %none, %none) {pads = [1, 1, 1, 1], strides = [2, 2]} : (tensor<?x2x5x5xui8>, tensor<4x2x3x3xi8>, none, none) -> tensor<?x4x3x3xi32>
  return %y : tensor<?x4x3x3xi32>
}
