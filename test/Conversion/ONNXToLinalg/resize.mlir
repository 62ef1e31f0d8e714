// RUN: kiln-opt %s --convert-onnx-to-linalg --canonicalize | FileCheck %s

// Linear resize with run-time scales: the scale is read once; each output
// element maps back with half_pixel and sums 2 taps per resized dim (the
// unit N and C dims take index 0), in f64.
// CHECK-LABEL: func.func @linear(
// CHECK: %[[S2:.*]] = tensor.extract %{{.*}}[%c2] : tensor<4xf32>
// CHECK: %[[S3:.*]] = tensor.extract %{{.*}}[%c3] : tensor<4xf32>
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x1x4x4xf32>)
// CHECK: math.floor {{.*}} : f64
// CHECK-COUNT-4: tensor.extract %{{.*}}[%c0, %c0, %{{.*}}, %{{.*}}] : tensor<1x1x2x2xf32>
// CHECK: arith.truncf {{.*}} : f64 to f32
func.func @linear(%x: tensor<1x1x2x2xf32>, %scales: tensor<4xf32>) -> tensor<1x1x4x4xf32> {
  %none = onnx.NoValue : none
  %0 = onnx.Resize(%x, %none, %scales, %none) {mode = "linear"} : (tensor<1x1x2x2xf32>, none, tensor<4xf32>, none) -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}
