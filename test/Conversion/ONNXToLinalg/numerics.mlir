// Runs lowered onnx ops and checks the numbers they compute.
// RUN: kiln-opt %s --convert-onnx-to-linalg \
// RUN: | mlir-opt --one-shot-bufferize="bufferize-function-boundaries" \
// RUN:     --convert-linalg-to-loops --convert-scf-to-cf --expand-strided-metadata \
// RUN:     --lower-affine --convert-math-to-llvm --convert-math-to-libm \
// RUN:     --convert-to-llvm --reconcile-unrealized-casts \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_lib_dir/libmlir_runner_utils.so,%mlir_lib_dir/libmlir_c_runner_utils.so \
// RUN: | FileCheck %s

func.func @graph(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %none = onnx.NoValue : none
  %w = onnx.Constant() {value = dense<[[1.0, -1.0, 0.5], [0.0, 2.0, 1.0], [1.0, 1.0, 1.0]]> : tensor<3x3xf32>} : () -> tensor<3x3xf32>
  %b = onnx.Constant() {value = dense<[0.5, -10.0, 1.0]> : tensor<3xf32>} : () -> tensor<3xf32>
  // x @ w + b, broadcast over rows.
  %0 = onnx.MatMul(%x, %w) : (tensor<2x3xf32>, tensor<3x3xf32>) -> tensor<2x3xf32>
  %1 = onnx.Add(%0, %b) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %2 = onnx.Relu(%1) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // 2 * (r @ w^T) + 1 * b.
  %3 = onnx.Gemm(%2, %w, %b) {alpha = 2.0 : f32, transB = 1 : i64} : (tensor<2x3xf32>, tensor<3x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %4 = onnx.Transpose(%3) {perm = [1, 0]} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %5 = onnx.Sigmoid(%4) : (tensor<3x2xf32>) -> tensor<3x2xf32>
  %6 = onnx.Mul(%4, %5) : (tensor<3x2xf32>, tensor<3x2xf32>) -> tensor<3x2xf32>
  return %6 : tensor<3x2xf32>
}

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  %x = arith.constant dense<[[1.0, 2.0, 3.0], [-1.0, 0.5, 4.0]]> : tensor<2x3xf32>
  %y = call @graph(%x) : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %u = tensor.cast %y : tensor<3x2xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}

// x @ w = [[4, 6, 5.5], [3, 6, 4]]; + b = [[4.5, -4, 6.5], [3.5, -4, 5]];
// relu = [[4.5, 0, 6.5], [3.5, 0, 5]]; r @ w^T = [[7.75, 6.5, 11], [6, 5, 8.5]];
// 2 * that + b = [[16, 3, 23], [12.5, 0, 18]]; transposed, then v * sigmoid(v):
// CHECK: rank = 2 offset = 0 sizes = [3, 2]
// CHECK-NEXT: [16, 12.5]
// CHECK-NEXT: [2.85772, 0]
// CHECK-NEXT: [23, 18]
