// Runs lowered convolution, pooling and normalization ops on small inputs
// whose results are worked out by hand below.
// RUN: kiln-opt %s --convert-onnx-to-linalg \
// RUN: | mlir-opt --one-shot-bufferize="bufferize-function-boundaries" \
// RUN:     --convert-linalg-to-loops --convert-scf-to-cf --expand-strided-metadata \
// RUN:     --lower-affine --convert-math-to-llvm --convert-math-to-libm \
// RUN:     --convert-to-llvm --reconcile-unrealized-casts \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_lib_dir/libmlir_runner_utils.so,%mlir_lib_dir/libmlir_c_runner_utils.so \
// RUN: | FileCheck %s

func.func private @printMemrefF32(tensor<*xf32>)

func.func @print(%t: tensor<?x?x?x?xf32>) {
  %u = tensor.cast %t : tensor<?x?x?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}

func.func @main() {
  // x = 1..16 as 1x1x4x4.
  %x = arith.constant dense<[[[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0], [13.0, 14.0, 15.0, 16.0]]]]> : tensor<1x1x4x4xf32>
  %w = arith.constant dense<1.0> : tensor<1x1x3x3xf32>
  %b = arith.constant dense<1.0> : tensor<1xf32>

  // 3x3 box sums at stride 2 with zero padding 1, plus bias 1:
  // (1+2+5+6)+1, (2+3+4+6+7+8)+1, (5+6+9+10+13+14)+1, (6+7+8+10+11+12+14+15+16)+1
  // CHECK: sizes = [1, 1, 2, 2]
  // CHECK-NEXT: {{\[\[\[\[}}15, 31]
  // CHECK-NEXT: [58, 100]]]]
  %conv = onnx.Conv(%x, %w, %b) {pads = [1, 1, 1, 1], strides = [2, 2]} : (tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  %c = tensor.cast %conv : tensor<1x1x2x2xf32> to tensor<?x?x?x?xf32>
  call @print(%c) : (tensor<?x?x?x?xf32>) -> ()

  // CHECK: sizes = [1, 1, 2, 2]
  // CHECK-NEXT: {{\[\[\[\[}}6, 8]
  // CHECK-NEXT: [14, 16]]]]
  %pool:2 = onnx.MaxPool(%x) {kernel_shape = [2, 2], strides = [2, 2]} : (tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, none)
  %p = tensor.cast %pool#0 : tensor<1x1x2x2xf32> to tensor<?x?x?x?xf32>
  call @print(%p) : (tensor<?x?x?x?xf32>) -> ()

  // A 3x3 window at stride 2 over the padded 4x4 needs the ceil_mode row.
  // CHECK: sizes = [1, 1, 2, 2]
  // CHECK-NEXT: {{\[\[\[\[}}11, 12]
  // CHECK-NEXT: [15, 16]]]]
  %ceil:2 = onnx.MaxPool(%x) {kernel_shape = [3, 3], strides = [2, 2], ceil_mode = 1 : i64} : (tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, none)
  %q = tensor.cast %ceil#0 : tensor<1x1x2x2xf32> to tensor<?x?x?x?xf32>
  call @print(%q) : (tensor<?x?x?x?xf32>) -> ()

  // CHECK: sizes = [1, 1, 1, 1]
  // CHECK-NEXT: {{\[\[\[\[}}8.5]]]]
  %gap = onnx.GlobalAveragePool(%x) : (tensor<1x1x4x4xf32>) -> tensor<1x1x1x1xf32>
  %g = tensor.cast %gap : tensor<1x1x1x1xf32> to tensor<?x?x?x?xf32>
  call @print(%g) : (tensor<?x?x?x?xf32>) -> ()

  // Channel 0: (x - 1) / 2 * 1 + 0; channel 1: (x - 3) / 1 * 2 + 1.
  // CHECK: sizes = [1, 2, 1, 2]
  // CHECK-NEXT: {{\[\[\[\[}}0, 0.5]],
  // CHECK-NEXT: {{\[\[}}1, 3]]]]
  %bx = arith.constant dense<[[[[1.0, 2.0]], [[3.0, 4.0]]]]> : tensor<1x2x1x2xf32>
  %scale = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %bias = arith.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %mean = arith.constant dense<[1.0, 3.0]> : tensor<2xf32>
  %var = arith.constant dense<[4.0, 1.0]> : tensor<2xf32>
  %bn:3 = onnx.BatchNormalization(%bx, %scale, %bias, %mean, %var) {epsilon = 0.0 : f32} : (tensor<1x2x1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<1x2x1x2xf32>, none, none)
  %n = tensor.cast %bn#0 : tensor<1x2x1x2xf32> to tensor<?x?x?x?xf32>
  call @print(%n) : (tensor<?x?x?x?xf32>) -> ()

  // softmax([1, 2, 3]) and softmax([1000, 1000, 1000]) (max subtracted).
  // CHECK: sizes = [1, 1, 2, 3]
  // CHECK-NEXT: {{\[\[\[\[}}0.0900306, 0.244728, 0.665241]
  // CHECK-NEXT: [0.333333, 0.333333, 0.333333]]]]
  %sx = arith.constant dense<[[[[1.0, 2.0, 3.0], [1000.0, 1000.0, 1000.0]]]]> : tensor<1x1x2x3xf32>
  %sm = onnx.Softmax(%sx) : (tensor<1x1x2x3xf32>) -> tensor<1x1x2x3xf32>
  %s = tensor.cast %sm : tensor<1x1x2x3xf32> to tensor<?x?x?x?xf32>
  call @print(%s) : (tensor<?x?x?x?xf32>) -> ()
  return
}
