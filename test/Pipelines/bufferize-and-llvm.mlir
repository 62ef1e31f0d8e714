// The bufferize phase gives the entry function caller-owned outputs and a
// planned workspace; the llvm phase leaves only LLVM dialect ops and calls
// nothing from MLIR's runner libraries.
// RUN: kiln-opt %s --kiln-bufferize-pipeline | FileCheck %s --check-prefix=BUF
// RUN: kiln-opt %s --kiln-bufferize-pipeline --kiln-llvm-pipeline | FileCheck %s --check-prefix=LLVM

// BUF-LABEL: func.func @main_graph(
// BUF-SAME: %{{.*}}: memref<1x1x7x5xf32> {onnx.name = "x"}, %{{.*}}: memref<1x1x3x3xf32> {onnx.name = "w"}, %[[Y:.*]]: memref<1x1x4x3xf32> {onnx.name = "y"}, %[[WS:.*]]: memref<256xi8> {kiln.workspace})
// BUF-SAME: kiln.workspace_bytes = 256
// BUF: %[[PAD:.*]] = memref.view %[[WS]]
// BUF: memref.copy %{{.*}}, %{{.*}} : memref<1x1x7x5xf32> to memref<1x1x7x5xf32, strided<[63, 63, 7, 1], offset: 8>>
// BUF: linalg.conv_2d_nchw_fchw {{.*}} outs(%[[Y]] : memref<1x1x4x3xf32>)
// BUF-NOT: memref.alloc
// BUF: return{{$}}

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
