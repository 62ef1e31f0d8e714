// RUN: kiln-opt %s --convert-onnx-to-linalg --split-input-file | FileCheck %s

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func.func @broadcast_add
// CHECK-SAME: (%[[A:[^:]*]]: tensor<4x3xf32>, %[[B:[^:]*]]: tensor<3xf32>, %[[C:[^:]*]]: tensor<4x1xf32>)
func.func @broadcast_add(%a: tensor<4x3xf32>, %b: tensor<3xf32>, %c: tensor<4x1xf32>) -> tensor<4x3xf32> {
  // CHECK: %[[E:.*]] = tensor.empty() : tensor<4x3xf32>
  // CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
  // CHECK-SAME: ins(%[[A]], %[[B]] : tensor<4x3xf32>, tensor<3xf32>) outs(%[[E]] : tensor<4x3xf32>)
  // CHECK-NEXT: ^bb0(%[[AV:[^:]*]]: f32, %[[BV:[^:]*]]: f32, %{{[^:]*}}: f32):
  // CHECK-NEXT: %[[S:.*]] = arith.addf %[[AV]], %[[BV]] : f32
  // CHECK-NEXT: linalg.yield %[[S]] : f32
  %0 = onnx.Add(%a, %b) : (tensor<4x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  // A static dim of 1 reads index 0; Sub keeps its operand order.
  // CHECK: %[[DIFF:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[COL]], #[[ID]]]
  // CHECK-SAME: ins(%[[SUM]], %[[C]] : tensor<4x3xf32>, tensor<4x1xf32>)
  // CHECK-NEXT: ^bb0(%[[LV:[^:]*]]: f32, %[[RV:[^:]*]]: f32, %{{[^:]*}}: f32):
  // CHECK-NEXT: %[[D:.*]] = arith.subf %[[LV]], %[[RV]] : f32
  // CHECK-NEXT: linalg.yield %[[D]] : f32
  // CHECK: return %[[DIFF]]
  %1 = onnx.Sub(%0, %c) : (tensor<4x3xf32>, tensor<4x1xf32>) -> tensor<4x3xf32>
  return %1 : tensor<4x3xf32>
}

// -----

// Dynamic dims of unknown relation: the result dim is the larger one, and
// each operand is first expanded at run time, reading index 0 where its dim
// is 1.
// CHECK-LABEL: func.func @dynamic_dims
// CHECK-SAME: (%[[A:.*]]: tensor<?x8xi32>, %[[B:.*]]: tensor<?x8xi32>)
func.func @dynamic_dims(%a: tensor<?x8xi32>, %b: tensor<?x8xi32>) -> tensor<?x8xi1> {
  // CHECK: %[[DA:.*]] = tensor.dim %[[A]]
  // CHECK: %[[DB:.*]] = tensor.dim %[[B]]
  // CHECK: %[[N:.*]] = arith.maxui %[[DA]], %[[DB]] : index
  // Each dim must be 1 or the result's: checked before the model runs.
  // CHECK: cf.assert %{{.*}}, "operand 0 dim 0 does not broadcast to the result"
  // CHECK: cf.assert %{{.*}}, "operand 1 dim 0 does not broadcast to the result"
  // CHECK: %[[ONE:.*]] = arith.cmpi eq, %{{.*}}, %{{.*}} : index
  // CHECK: linalg.generic
  // CHECK: %[[I:.*]] = linalg.index 0 : index
  // CHECK: %[[AT:.*]] = arith.select %[[ONE]], %{{.*}}, %[[I]] : index
  // CHECK: tensor.extract %[[A]][%[[AT]], %{{.*}}]
  // CHECK: tensor.extract %[[B]]
  // CHECK: tensor.empty(%[[N]]) : tensor<?x8xi1>
  // CHECK: arith.cmpi slt
  %0 = onnx.Less(%a, %b) : (tensor<?x8xi32>, tensor<?x8xi32>) -> tensor<?x8xi1>
  return %0 : tensor<?x8xi1>
}

// -----

// Inputs that name the same dim_param have the same size: the operands are
// read directly, with no run-time check or expansion.
// CHECK-LABEL: func.func @shared_dim
// CHECK-SAME: (%[[A:[^:]*]]: tensor<?x8xi32>{{.*}}, %[[B:[^:]*]]: tensor<?x8xi32>
func.func @shared_dim(%a: tensor<?x8xi32> {onnx.dim_params = ["n", ""]}, %b: tensor<?x8xi32> {onnx.dim_params = ["n", ""]}) -> tensor<?x8xi1> {
  // CHECK-NOT: arith.maxui
  // CHECK-NOT: tensor.extract
  // CHECK-NOT: cf.assert
  // CHECK: %[[D:.*]] = tensor.dim %[[A]]
  // CHECK: %[[E:.*]] = tensor.empty(%[[D]]) : tensor<?x8xi1>
  // CHECK: linalg.generic
  // CHECK-SAME: ins(%[[A]], %[[B]] : tensor<?x8xi32>, tensor<?x8xi32>) outs(%[[E]] : tensor<?x8xi1>)
  %0 = onnx.Less(%a, %b) : (tensor<?x8xi32>, tensor<?x8xi32>) -> tensor<?x8xi1>
  return %0 : tensor<?x8xi1>
}

// -----

// CHECK-LABEL: func.func @activations
// CHECK-SAME: (%[[X:[^:]*]]: tensor<5xf32>, %[[C:[^:]*]]: tensor<5xi1>)
func.func @activations(%x: tensor<5xf32>, %c: tensor<5xi1>) -> tensor<5xf32> {
  // Relu: max(x, 0).
  // CHECK: %[[RELU:.*]] = linalg.generic {{.*}} ins(%[[X]] : tensor<5xf32>)
  // CHECK-NEXT: ^bb0(%[[V0:[^:]*]]: f32, %{{[^:]*}}: f32):
  // CHECK-NEXT: %[[Z0:.*]] = arith.constant 0.000000e+00 : f32
  // CHECK-NEXT: %[[R0:.*]] = arith.maximumf %[[V0]], %[[Z0]] : f32
  // CHECK-NEXT: linalg.yield %[[R0]] : f32
  %0 = onnx.Relu(%x) : (tensor<5xf32>) -> tensor<5xf32>
  // Sigmoid: 1 / (1 + exp(-x)).
  // CHECK: %[[SIG:.*]] = linalg.generic {{.*}} ins(%[[RELU]] : tensor<5xf32>)
  // CHECK-NEXT: ^bb0(%[[V1:[^:]*]]: f32, %{{[^:]*}}: f32):
  // CHECK-NEXT: %[[N1:.*]] = arith.negf %[[V1]] : f32
  // CHECK-NEXT: %[[E1:.*]] = math.exp %[[N1]] : f32
  // CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
  // CHECK-NEXT: %[[D1:.*]] = arith.addf %[[ONE]], %[[E1]] : f32
  // CHECK-NEXT: %[[R1:.*]] = arith.divf %[[ONE]], %[[D1]] : f32
  // CHECK-NEXT: linalg.yield %[[R1]] : f32
  %1 = onnx.Sigmoid(%0) : (tensor<5xf32>) -> tensor<5xf32>
  // LeakyRelu: x > 0 ? x : 0.1 x.
  // CHECK: %[[LRELU:.*]] = linalg.generic {{.*}} ins(%[[SIG]] : tensor<5xf32>)
  // CHECK-NEXT: ^bb0(%[[V2:[^:]*]]: f32, %{{[^:]*}}: f32):
  // CHECK-DAG: %[[Z2:.*]] = arith.constant 0.000000e+00 : f32
  // CHECK-DAG: %[[ALPHA:.*]] = arith.constant 1.000000e-01 : f32
  // CHECK-DAG: %[[M2:.*]] = arith.mulf %[[V2]], %[[ALPHA]] : f32
  // CHECK-DAG: %[[P2:.*]] = arith.cmpf ogt, %[[V2]], %[[Z2]] : f32
  // CHECK: %[[R2:.*]] = arith.select %[[P2]], %[[V2]], %[[M2]] : f32
  // CHECK-NEXT: linalg.yield %[[R2]] : f32
  %2 = onnx.LeakyRelu(%1) {alpha = 0.1 : f32} : (tensor<5xf32>) -> tensor<5xf32>
  // CHECK: %[[ERF:.*]] = linalg.generic {{.*}} ins(%[[LRELU]] : tensor<5xf32>)
  // CHECK-NEXT: ^bb0(%[[V3:[^:]*]]: f32, %{{[^:]*}}: f32):
  // CHECK-NEXT: %[[R3:.*]] = math.erf %[[V3]] : f32
  // CHECK-NEXT: linalg.yield %[[R3]] : f32
  %3 = onnx.Erf(%2) : (tensor<5xf32>) -> tensor<5xf32>
  // Where(c, erf, x).
  // CHECK: %[[W:.*]] = linalg.generic {{.*}} ins(%[[C]], %[[ERF]], %[[X]] : tensor<5xi1>, tensor<5xf32>, tensor<5xf32>)
  // CHECK-NEXT: ^bb0(%[[CV:[^:]*]]: i1, %[[TV:[^:]*]]: f32, %[[FV:[^:]*]]: f32, %{{[^:]*}}: f32):
  // CHECK-NEXT: %[[R4:.*]] = arith.select %[[CV]], %[[TV]], %[[FV]] : f32
  // CHECK-NEXT: linalg.yield %[[R4]] : f32
  // CHECK: return %[[W]]
  %4 = onnx.Where(%c, %3, %x) : (tensor<5xi1>, tensor<5xf32>, tensor<5xf32>) -> tensor<5xf32>
  return %4 : tensor<5xf32>
}

// -----

// Between two float formats of one width (a fuzzed Cast: arith.truncf
// refuses bf16 to f16): through f32, which holds both exactly.
// CHECK-LABEL: func.func @cast_bf16_to_f16
// CHECK: linalg.generic
// CHECK: %[[WIDE:.*]] = arith.extf %{{.*}} : bf16 to f32
// CHECK: arith.truncf %[[WIDE]] : f32 to f16
func.func @cast_bf16_to_f16(%x: tensor<3x4xbf16>) -> tensor<3x4xf16> {
  %0 = onnx.Cast(%x) {to = 10 : i64} : (tensor<3x4xbf16>) -> tensor<3x4xf16>
  return %0 : tensor<3x4xf16>
}
