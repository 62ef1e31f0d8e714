// Runs lowered reductions, LayerNormalization and Gelu (the pieces of a
// transformer block) on inputs whose results are worked out below.
// RUN: kiln-opt %s --convert-onnx-to-linalg \
// RUN: | mlir-opt --one-shot-bufferize="bufferize-function-boundaries" \
// RUN:     --convert-linalg-to-loops --convert-scf-to-cf --expand-strided-metadata \
// RUN:     --lower-affine --convert-math-to-llvm --convert-math-to-libm \
// RUN:     --convert-to-llvm --reconcile-unrealized-casts \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_lib_dir/libmlir_runner_utils.so,%mlir_lib_dir/libmlir_c_runner_utils.so \
// RUN: | FileCheck %s

func.func private @printMemrefF32(tensor<*xf32>)

func.func @print(%t: tensor<?x?xf32>) {
  %u = tensor.cast %t : tensor<?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}

func.func @main() {
  %x = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %none = onnx.NoValue : none
  %last = arith.constant dense<[1]> : tensor<1xi64>
  %first = arith.constant dense<[0]> : tensor<1xi64>

  // CHECK: sizes = [2, 1]
  // CHECK-NEXT: {{\[\[}}2]
  // CHECK-NEXT: [5]]
  %mean = onnx.ReduceMean(%x, %last) : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2x1xf32>
  %m = tensor.cast %mean : tensor<2x1xf32> to tensor<?x?xf32>
  call @print(%m) : (tensor<?x?xf32>) -> ()

  // CHECK: sizes = [1, 1]
  // CHECK-NEXT: {{\[\[}}21]]
  %sum = onnx.ReduceSum(%x, %none) : (tensor<2x3xf32>, none) -> tensor<1x1xf32>
  %s = tensor.cast %sum : tensor<1x1xf32> to tensor<?x?xf32>
  call @print(%s) : (tensor<?x?xf32>) -> ()

  // CHECK: sizes = [1, 3]
  // CHECK-NEXT: {{\[\[}}4, 5, 6]]
  %max = onnx.ReduceMax(%x, %first) : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<1x3xf32>
  %mx = tensor.cast %max : tensor<1x3xf32> to tensor<?x?xf32>
  call @print(%mx) : (tensor<?x?xf32>) -> ()

  // Each row: mean 2 (5), variance 2/3, so (x - mean) * sqrt(3/2) =
  // [-1.22474, 0, 1.22474]; times [1, 1, 2], plus [0, 0, 1].
  // CHECK: sizes = [2, 3]
  // CHECK-NEXT: {{\[\[}}-1.22474, 0, 3.44949]
  // CHECK-NEXT: [-1.22474, 0, 3.44949]]
  %scale = arith.constant dense<[1.0, 1.0, 2.0]> : tensor<3xf32>
  %bias = arith.constant dense<[0.0, 0.0, 1.0]> : tensor<3xf32>
  %ln:3 = onnx.LayerNormalization(%x, %scale, %bias) {epsilon = 0.0 : f32} : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3xf32>, none, none)
  %l = tensor.cast %ln#0 : tensor<2x3xf32> to tensor<?x?xf32>
  call @print(%l) : (tensor<?x?xf32>) -> ()

  // CHECK: sizes = [2, 4]
  // CHECK-NEXT: {{\[\[}}-0.158655, 0, 0.841345, 1.9545]
  // CHECK-NEXT: [-0.158808, 0, 0.841192, 1.9546]]
  %g = arith.constant dense<[-1.0, 0.0, 1.0, 2.0]> : tensor<4xf32>
  %exact = onnx.Gelu(%g) : (tensor<4xf32>) -> tensor<4xf32>
  %approx = onnx.Gelu(%g) {approximate = "tanh"} : (tensor<4xf32>) -> tensor<4xf32>
  %e = tensor.expand_shape %exact [[0, 1]] output_shape [1, 4] : tensor<4xf32> into tensor<1x4xf32>
  %a = tensor.expand_shape %approx [[0, 1]] output_shape [1, 4] : tensor<4xf32> into tensor<1x4xf32>
  %cat = tensor.concat dim(0) %e, %a : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<2x4xf32>
  %c = tensor.cast %cat : tensor<2x4xf32> to tensor<?x?xf32>
  call @print(%c) : (tensor<?x?xf32>) -> ()
  return
}
