// The bufferize phase gives the entry function caller-owned outputs and a
// planned workspace; the llvm phase leaves only LLVM dialect ops and calls
// nothing from MLIR's runner libraries.
// RUN: kiln-opt %s --kiln-bufferize-pipeline | FileCheck %s --check-prefix=BUF
// RUN: kiln-opt %s --kiln-bufferize-pipeline --kiln-llvm-pipeline | FileCheck %s --check-prefix=LLVM

// BUF-LABEL: func.func @main_graph(
// BUF-SAME: %{{.*}}: memref<1x1x7x5xf32> {onnx.name = "x"}, %{{.*}}: memref<1x1x3x3xf32> {onnx.name = "w"}, %[[WS:.*]]: memref<256xi8> {kiln.workspace}, %[[Y:.*]]: memref<1x1x4x3xf32> {onnx.name = "y"})
// BUF-SAME: kiln.dims_function = @main_graph_dims, kiln.workspace_bytes = 256
// BUF: %[[PAD:.*]] = memref.view %[[WS]]
// BUF: memref.copy %{{.*}}, %{{.*}} : memref<1x1x7x5xf32> to memref<1x1x7x5xf32, strided<[63, 63, 7, 1], offset: 8>>
// BUF: linalg.conv_2d_nchw_fchw {{.*}} outs(%[[Y]] : memref<1x1x4x3xf32>)
// BUF-NOT: memref.alloc
// BUF: return{{$}}
// The dims function stores the workspace size and the output dims.
// BUF-LABEL: func.func @main_graph_dims(
// BUF-SAME: %{{.*}}: memref<1x1x7x5xf32>, %{{.*}}: memref<1x1x3x3xf32>, %[[R:.*]]: memref<?xi64>) attributes {kiln.dims_of = @main_graph, kiln.shape_checks = []}
// BUF-DAG: %[[C256:.*]] = arith.constant 256 : i64
// BUF-DAG: %[[C4:.*]] = arith.constant 4 : i64
// BUF-DAG: %[[I3:.*]] = arith.constant 3 : index
// BUF-DAG: %[[C3:.*]] = arith.constant 3 : i64
// BUF: memref.store %[[C4]], %[[R]][%[[I3]]]
// BUF: memref.store %[[C256]], %[[R]][%{{.*}}]

// A dynamic batch: the intermediate is a view of the workspace at a
// run-time offset after the static part, and the dims function computes
// the whole size and the output dims from the input's dims.
// BUF-LABEL: func.func @dynamic(
// BUF-SAME: %[[X:[^:]*]]: memref<?x4xf32>, %[[DWS:[^:]*]]: memref<?xi8> {kiln.workspace}, %[[DY:[^:]*]]: memref<4x?xf32>)
// BUF: %[[N:.*]] = memref.dim %[[X]], %{{.*}} : memref<?x4xf32>
// BUF: %[[T:.*]] = memref.view %[[DWS]][%{{.*}}][%[[N]]] : memref<?xi8> to memref<?x4xf32>
// BUF: linalg.transpose ins(%[[T]] : memref<?x4xf32>) outs(%[[DY]] : memref<4x?xf32>)
// BUF-LABEL: func.func @dynamic_dims(
// BUF-SAME: %[[DX:.*]]: memref<?x4xf32>, %[[DR:.*]]: memref<?xi64>)
// BUF: %[[DN:.*]] = memref.dim %[[DX]]
// BUF: memref.store %{{.*}}, %[[DR]]
// BUF: %[[BYTES:.*]] = arith.muli %[[DN]], %{{.*}} : index
// BUF: memref.store %{{.*}}, %[[DR]]

// LLVM-NOT: memrefCopy
// LLVM-NOT: malloc
// LLVM: llvm.func @main_graph(
// LLVM-NOT: memref.
// LLVM-NOT: linalg.
// LLVM-NOT: memrefCopy
func.func @main_graph(%x: tensor<1x1x7x5xf32> {onnx.name = "x"}, %w: tensor<1x1x3x3xf32> {onnx.name = "w"}) -> (tensor<1x1x4x3xf32> {onnx.name = "y"}) {
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x1x7x5xf32> to tensor<1x1x9x7xf32>
  %e = tensor.empty() : tensor<1x1x4x3xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<1x1x4x3xf32>) -> tensor<1x1x4x3xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%padded, %w : tensor<1x1x9x7xf32>, tensor<1x1x3x3xf32>) outs(%acc : tensor<1x1x4x3xf32>) -> tensor<1x1x4x3xf32>
  return %y : tensor<1x1x4x3xf32>
}

func.func @dynamic(%x: tensor<?x4xf32>) -> tensor<4x?xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x4xf32>
  %e = tensor.empty(%n) : tensor<?x4xf32>
  %t = linalg.map { math.exp } ins(%x : tensor<?x4xf32>) outs(%e : tensor<?x4xf32>)
  %e2 = tensor.empty(%n) : tensor<4x?xf32>
  %y = linalg.transpose ins(%t : tensor<?x4xf32>) outs(%e2 : tensor<4x?xf32>) permutation = [1, 0]
  return %y : tensor<4x?xf32>
}
