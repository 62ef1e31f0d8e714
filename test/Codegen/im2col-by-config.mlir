// The mechanism alone: a convolution whose config says "im2col" becomes a
// contraction of its filters with its input windows. A 1x1 filter with unit
// strides reads its input in place (pixels collapsed, no copy); a 3x3 one
// first copies its windows into a (C*3*3) x (OH*OW) matrix.
// RUN: kiln-opt %s --split-input-file --kiln-im2col-by-config | FileCheck %s

#im2col = #kiln.lowering_config<strategy = "im2col">
func.func @pointwise(%x: tensor<1x8x4x4xf32>, %w: tensor<16x8x1x1xf32>, %y: tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32> {
  %0 = linalg.conv_2d_nchw_fchw {kiln.lowering_config = #im2col, dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x8x4x4xf32>, tensor<16x8x1x1xf32>) outs(%y : tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
  return %0 : tensor<1x16x4x4xf32>
}
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[Y:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @pointwise
// CHECK-DAG: %[[XC:.*]] = tensor.collapse_shape %arg0 {{\[}}[0], [1], [2, 3]] : tensor<1x8x4x4xf32> into tensor<1x8x16xf32>
// CHECK-DAG: %[[WC:.*]] = tensor.collapse_shape %arg1 {{\[}}[0], [1, 2, 3]] : tensor<16x8x1x1xf32> into tensor<16x8xf32>
// CHECK: %[[P:.*]] = linalg.generic {indexing_maps = [#[[W]], #[[X]], #[[Y]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[WC]], %[[XC]] : tensor<16x8xf32>, tensor<1x8x16xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: tensor.expand_shape %[[P]] {{\[}}[0], [1], [2, 3]] output_shape [1, 16, 4, 4]
// CHECK-NOT: linalg.conv_2d

// -----

#im2col = #kiln.lowering_config<strategy = "im2col">
func.func @windows(%x: tensor<1x8x6x6xf32>, %w: tensor<16x8x3x3xf32>, %y: tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32> {
  %0 = linalg.conv_2d_nchw_fchw {kiln.lowering_config = #im2col, dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x8x6x6xf32>, tensor<16x8x3x3xf32>) outs(%y : tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
  return %0 : tensor<1x16x4x4xf32>
}
// The copy's loops are (n, c, kh, kw, oh, ow): a row of output pixels
// innermost, reading a row of input in order.
// CHECK-DAG: #[[WINDOW:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 + d4, d3 + d5)>
// CHECK-LABEL: func.func @windows
// CHECK: %[[COPY:.*]] = linalg.generic {indexing_maps = [#[[WINDOW]], {{.*}}]{{.*}} ins(%arg0 : tensor<1x8x6x6xf32>) outs(%{{.*}} : tensor<1x8x3x3x4x4xf32>)
// CHECK: %[[COL:.*]] = tensor.collapse_shape %[[COPY]] {{\[}}[0], [1, 2, 3], [4, 5]] : tensor<1x8x3x3x4x4xf32> into tensor<1x72x16xf32>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[COL]] : tensor<16x72xf32>, tensor<1x72x16xf32>)
// CHECK-NOT: linalg.conv_2d

// -----

// Without the strategy, the convolution stays.
func.func @kept(%x: tensor<1x8x4x4xf32>, %w: tensor<16x8x1x1xf32>, %y: tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x8x4x4xf32>, tensor<16x8x1x1xf32>) outs(%y : tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
  return %0 : tensor<1x16x4x4xf32>
}
// CHECK-LABEL: func.func @kept
// CHECK: linalg.conv_2d_nchw_fchw
