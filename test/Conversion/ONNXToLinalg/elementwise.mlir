// RUN: kiln-opt %s --convert-onnx-to-linalg --split-input-file | FileCheck %s

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func.func @broadcast_add
func.func @broadcast_add(%a: tensor<4x3xf32>, %b: tensor<3xf32>, %c: tensor<4x1xf32>) -> tensor<4x3xf32> {
  // CHECK: %[[E:.*]] = tensor.empty() : tensor<4x3xf32>
  // CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
  // CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<4x3xf32>, tensor<3xf32>) outs(%[[E]] : tensor<4x3xf32>)
  // CHECK: arith.addf
  %0 = onnx.Add(%a, %b) : (tensor<4x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  // A static dim of 1 reads index 0.
  // CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[COL]], #[[ID]]]
  // CHECK: arith.subf
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
func.func @activations(%x: tensor<5xf32>, %c: tensor<5xi1>) -> tensor<5xf32> {
  // CHECK: arith.maximumf
  %0 = onnx.Relu(%x) : (tensor<5xf32>) -> tensor<5xf32>
  // CHECK: math.exp
  // CHECK: arith.divf
  %1 = onnx.Sigmoid(%0) : (tensor<5xf32>) -> tensor<5xf32>
  // CHECK: arith.cmpf ogt
  // CHECK: arith.select
  %2 = onnx.LeakyRelu(%1) {alpha = 0.1 : f32} : (tensor<5xf32>) -> tensor<5xf32>
  // CHECK: math.erf
  %3 = onnx.Erf(%2) : (tensor<5xf32>) -> tensor<5xf32>
  // CHECK: arith.select
  %4 = onnx.Where(%c, %3, %x) : (tensor<5xi1>, tensor<5xf32>, tensor<5xf32>) -> tensor<5xf32>
  return %4 : tensor<5xf32>
}
