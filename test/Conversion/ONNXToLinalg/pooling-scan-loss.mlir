// RUN: kiln-opt %s --convert-onnx-to-linalg --canonicalize --split-input-file | FileCheck %s

// AveragePool without count_include_pad divides each window sum by the
// number of input elements the window covers, worked out at compile time.
// CHECK-DAG: #[[WIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-DAG: #[[KER:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-DAG: #[[OUT6:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[HW:.*]] = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
// CHECK-LABEL: func.func @avgpool(
// CHECK-SAME: %[[X:[^:]*]]: tensor<1x1x4x4xf32>)
// CHECK: %[[COUNTS:.*]] = arith.constant dense<{{\[\[}}4.000000e+00, 6.000000e+00], [6.000000e+00, 9.000000e+00]]> : tensor<2x2xf32>
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[P:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[ZERO]] : f32
// CHECK: %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<1x1x2x2xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[WIN]], #[[KER]], #[[OUT6]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[P]], %{{.*}} : tensor<1x1x6x6xf32>, tensor<3x3xf32>) outs(%[[ACC]] : tensor<1x1x2x2xf32>)
// CHECK-NEXT: ^bb0(%[[PV:[^:]*]]: f32, %{{[^:]*}}: f32, %[[SOUT:[^:]*]]: f32):
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[PV]], %[[SOUT]] : f32
// CHECK-NEXT: linalg.yield %[[S]] : f32
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[HW]], #[[ID]]]
// CHECK-SAME: ins(%[[SUM]], %[[COUNTS]] : tensor<1x1x2x2xf32>, tensor<2x2xf32>)
// CHECK-NEXT: ^bb0(%[[SV:[^:]*]]: f32, %[[NV:[^:]*]]: f32, %{{[^:]*}}: f32):
// CHECK-NEXT: %[[AVG:.*]] = arith.divf %[[SV]], %[[NV]] : f32
// CHECK-NEXT: linalg.yield %[[AVG]] : f32
// CHECK: return %[[Y]]
func.func @avgpool(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  %0 = onnx.AveragePool(%x) {kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [2, 2]} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  return %0 : tensor<1x1x2x2xf32>
}

// -----

// CumSum along a run-time axis: a loop over the run in each element.
// CHECK-LABEL: func.func @cumsum(
// CHECK-SAME: %[[X:[^:]*]]: tensor<5xf32>, %[[A:[^:]*]]: tensor<i32>)
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[I1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[I0:.*]] = arith.constant 0 : index
// The axis is read at run time, negative counted from the end.
// CHECK: %[[AV:.*]] = tensor.extract %[[A]][] : tensor<i32>
// CHECK: %[[AI:.*]] = arith.index_cast %[[AV]] : i32 to index
// CHECK: %[[NEG:.*]] = arith.cmpi slt, %[[AI]], %[[I0]] : index
// CHECK: %[[Y:.*]] = linalg.generic
// CHECK: %[[I:.*]] = linalg.index 0 : index
// Element i sums elements 0..i: the loop runs to i + 1.
// CHECK: %[[END:.*]] = arith.addi %[[I]], %[[I1]] : index
// CHECK: %[[LOOP:.*]] = scf.for %[[K:.*]] = %[[I0]] to %[[END]] step %[[I1]] iter_args(%[[ACC:.*]] = %[[ZERO]]) -> (f32)
// CHECK: %[[J:.*]] = arith.select %{{.*}}, %[[K]], %[[I]] : index
// CHECK: %[[XV:.*]] = tensor.extract %[[X]][%[[J]]] : tensor<5xf32>
// CHECK: %[[S:.*]] = arith.addf %[[ACC]], %[[XV]] : f32
// CHECK: scf.yield %[[S]] : f32
// CHECK: linalg.yield %[[LOOP]] : f32
// CHECK: return %[[Y]]
func.func @cumsum(%x: tensor<5xf32>, %a: tensor<i32>) -> tensor<5xf32> {
  %0 = onnx.CumSum(%x, %a) : (tensor<5xf32>, tensor<i32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

// NLL with mean reduction: the summed losses over the summed weights.
// CHECK-LABEL: func.func @nll(
// CHECK-SAME: %[[X:[^:]*]]: tensor<3x5xf32>, %[[T:[^:]*]]: tensor<3xi64>)
// Loss i = -x[i, t[i]], the target clamped to [0, 4] for the read.
// CHECK: %[[L:.*]] = linalg.generic
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: %[[TV:.*]] = tensor.extract %[[T]][%[[I]]] : tensor<3xi64>
// CHECK: %[[TI:.*]] = arith.index_cast %[[TV]] : i64 to index
// CHECK: %[[TLO:.*]] = arith.maxsi %[[TI]], %{{.*}} : index
// CHECK: %[[TC:.*]] = arith.minsi %[[TLO]], %{{.*}} : index
// CHECK: %[[XV:.*]] = tensor.extract %[[X]][%[[I]], %[[TC]]] : tensor<3x5xf32>
// CHECK: %[[NL:.*]] = arith.negf %[[XV]] : f32
// CHECK: linalg.yield %[[NL]] : f32
// CHECK: %[[LOSS:.*]] = linalg.generic {{.*}}iterator_types = ["reduction"]} ins(%[[L]] : tensor<3xf32>)
// CHECK: %[[WEIGHTS:.*]] = linalg.generic {{.*}}iterator_types = ["reduction"]}
// CHECK: %[[Y:.*]] = linalg.generic {{.*}}iterator_types = []} ins(%[[LOSS]], %[[WEIGHTS]] : tensor<f32>, tensor<f32>)
// CHECK-NEXT: ^bb0(%[[LV:[^:]*]]: f32, %[[WV:[^:]*]]: f32, %{{[^:]*}}: f32):
// CHECK-NEXT: %[[MEAN:.*]] = arith.divf %[[LV]], %[[WV]] : f32
// CHECK-NEXT: linalg.yield %[[MEAN]] : f32
// CHECK: return %[[Y]]
func.func @nll(%x: tensor<3x5xf32>, %t: tensor<3xi64>) -> tensor<f32> {
  %none = onnx.NoValue : none
  %0 = onnx.NegativeLogLikelihoodLoss(%x, %t, %none) {reduction = "mean"} : (tensor<3x5xf32>, tensor<3xi64>, none) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// Grouped convolution: one generic on grouped views of input and weights.
// CHECK-LABEL: func.func @grouped_conv(
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2], [3], [4]] {{.*}} : tensor<1x4x5x5xf32> into tensor<1x2x2x5x5xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2], [3], [4]] {{.*}} : tensor<6x2x3x3xf32> into tensor<2x3x2x3x3xf32>
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2], [3], [4]] : tensor<1x2x3x3x3xf32> into tensor<1x6x3x3xf32>
func.func @grouped_conv(%x: tensor<1x4x5x5xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<1x6x3x3xf32> {
  %none = onnx.NoValue : none
  %0 = onnx.Conv(%x, %w, %none) {group = 2 : i64} : (tensor<1x4x5x5xf32>, tensor<6x2x3x3xf32>, none) -> tensor<1x6x3x3xf32>
  return %0 : tensor<1x6x3x3xf32>
}
