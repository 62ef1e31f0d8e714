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

// With a packing of the output columns, the window matrix is laid out in
// panels of that many pixels ([N, OH*OW/6, C*KH*KW, 6]), each element read
// from the flattened image at its window element's offset (c * 7 * 11 + kh
// * 11 + kw * 2, dilations 1 and 2) plus its pixel's (oh * 2 * 11 + ow *
// 2), two constants; a panel crosses output rows. The contraction writes
// the output as [N, F, panels, 6].
#panels = #kiln.lowering_config<packing = [1, 1, 1, 6, 1, 1, 1], strategy = "im2col">
func.func @panels(%x: tensor<1x2x7x11xf32>, %w: tensor<16x2x3x3xf32>, %y: tensor<1x16x3x4xf32>) -> tensor<1x16x3x4xf32> {
  %0 = linalg.conv_2d_nchw_fchw {kiln.lowering_config = #panels, dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x2x7x11xf32>, tensor<16x2x3x3xf32>) outs(%y : tensor<1x16x3x4xf32>) -> tensor<1x16x3x4xf32>
  return %0 : tensor<1x16x3x4xf32>
}
// CHECK-DAG: #[[WINDOW:.*]] = affine_map<(d0, d1, d2, d3) -> (d2)>
// CHECK-DAG: #[[PIXEL:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
// CHECK-DAG: #[[PW:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d4)>
// CHECK-DAG: #[[PX:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d4, d3)>
// CHECK-DAG: #[[PY:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @panels
// CHECK-DAG: %[[IMAGES:.*]] = tensor.collapse_shape %arg0 {{\[}}[0], [1, 2, 3]] : tensor<1x2x7x11xf32> into tensor<1x154xf32>
// CHECK-DAG: %[[WOFF:.*]] = arith.constant dense<[0, 2, 4, 11, 13, 15, 22, 24, 26, 77, 79, 81, 88, 90, 92, 99, 101, 103]> : tensor<18xi32>
// CHECK-DAG: %[[POFF:.*]] = arith.constant dense<{{\[}}[0, 2, 4, 6, 22, 24], [26, 28, 44, 46, 48, 50]]> : tensor<2x6xi32>
// CHECK: %[[COPY:.*]] = linalg.generic {indexing_maps = [#[[WINDOW]], #[[PIXEL]], {{.*}}]{{.*}} ins(%[[WOFF]], %[[POFF]] : tensor<18xi32>, tensor<2x6xi32>) outs(%{{.*}} : tensor<1x2x18x6xf32>)
// CHECK: ^bb0(%[[W:.*]]: i32, %[[P:.*]]: i32, %{{.*}}: f32):
// CHECK-DAG: %[[WI:.*]] = arith.index_cast %[[W]] : i32 to index
// CHECK-DAG: %[[PI:.*]] = arith.index_cast %[[P]] : i32 to index
// CHECK: %[[AT:.*]] = arith.addi %[[WI]], %[[PI]]
// CHECK: tensor.extract %[[IMAGES]][%{{.*}}, %[[AT]]]
// CHECK: %[[INIT:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0], [1], [2, 3]] output_shape [1, 16, 2, 6] : tensor<1x16x12xf32> into tensor<1x16x2x6xf32>
// CHECK: %[[PROD:.*]] = linalg.generic {indexing_maps = [#[[PW]], #[[PX]], #[[PY]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%{{.*}}, %[[COPY]] : tensor<16x18xf32>, tensor<1x2x18x6xf32>) outs(%[[INIT]] : tensor<1x16x2x6xf32>)
// CHECK: tensor.collapse_shape %[[PROD]] {{\[}}[0], [1], [2, 3]] : tensor<1x16x2x6xf32> into tensor<1x16x12xf32>
// CHECK-NOT: linalg.conv_2d

// -----

// A panel width that does not divide the pixels: the plain window matrix.
#uneven = #kiln.lowering_config<packing = [1, 1, 1, 5, 1, 1, 1], strategy = "im2col">
func.func @uneven(%x: tensor<1x8x6x6xf32>, %w: tensor<16x8x3x3xf32>, %y: tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32> {
  %0 = linalg.conv_2d_nchw_fchw {kiln.lowering_config = #uneven, dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x8x6x6xf32>, tensor<16x8x3x3xf32>) outs(%y : tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
  return %0 : tensor<1x16x4x4xf32>
}
// CHECK-LABEL: func.func @uneven
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2, 3], [4, 5]] : tensor<1x8x3x3x4x4xf32> into tensor<1x72x16xf32>

// -----

// Without the strategy, the convolution stays.
func.func @kept(%x: tensor<1x8x4x4xf32>, %w: tensor<16x8x1x1xf32>, %y: tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x8x4x4xf32>, tensor<16x8x1x1xf32>) outs(%y : tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
  return %0 : tensor<1x16x4x4xf32>
}
// CHECK-LABEL: func.func @kept
// CHECK: linalg.conv_2d_nchw_fchw

// -----

// The activation that alone reads a conv's result iterates over the panel
// contraction's shape and reads its result in place; its other operand
// (a residual) and its destination are reshaped instead. It loses its
// config: its loops changed.
#act_panels = #kiln.lowering_config<packing = [1, 1, 1, 6, 1, 1, 1], strategy = "im2col">
#old = #kiln.lowering_config<vector_sizes = [1, 1, 1, 4]>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @epilogue
// CHECK: %[[PROD:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]{{.*}} outs(%{{.*}} : tensor<1x16x2x6xf32>)
// CHECK: %[[RES:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0], [1], [2, 3]] output_shape [1, 16, 2, 6] : tensor<1x16x12xf32> into tensor<1x16x2x6xf32>
// CHECK: %[[ACT:.*]] = linalg.generic {{{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[PROD]], %[[RES]] : tensor<1x16x2x6xf32>, tensor<1x16x2x6xf32>)
// CHECK-NOT: kiln.lowering_config
// CHECK: arith.maximumf
// CHECK: tensor.collapse_shape %[[ACT]] {{\[}}[0], [1], [2, 3]] : tensor<1x16x2x6xf32> into tensor<1x16x12xf32>
func.func @epilogue(%x: tensor<1x2x7x11xf32>, %w: tensor<16x2x3x3xf32>, %y: tensor<1x16x3x4xf32>, %r: tensor<1x16x3x4xf32>) -> tensor<1x16x3x4xf32> {
  %0 = linalg.conv_2d_nchw_fchw {kiln.lowering_config = #act_panels, dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x2x7x11xf32>, tensor<16x2x3x3xf32>) outs(%y : tensor<1x16x3x4xf32>) -> tensor<1x16x3x4xf32>
  %e = tensor.empty() : tensor<1x16x3x4xf32>
  %zero = arith.constant 0.0 : f32
  %1 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%0, %r : tensor<1x16x3x4xf32>, tensor<1x16x3x4xf32>) outs(%e : tensor<1x16x3x4xf32>) attrs = {kiln.lowering_config = #old} {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x16x3x4xf32>
  return %1 : tensor<1x16x3x4xf32>
}

// -----

// The op that computes a rewritten convolution's init (its bias broadcast
// to the output) and that nothing else reads iterates over the
// contraction's shape, without a config (its loops changed), so that the
// contraction's tiles can compute it in place.
#im2col = #kiln.lowering_config<strategy = "im2col">
#old = #kiln.lowering_config<tile_sizes = [array<i64: 1, 1, 1, 16>]>
// CHECK-LABEL: func.func @bias_init
// CHECK: %[[INIT:.*]] = linalg.generic {{{.*}}iterator_types = ["parallel", "parallel", "parallel"]} ins(%{{.*}} : tensor<16xf32>) outs(%{{.*}} : tensor<1x16x12xf32>)
// CHECK-NOT: kiln.lowering_config
// CHECK: linalg.yield
// CHECK: linalg.generic {{.*}}"reduction"{{.*}} outs(%[[INIT]] : tensor<1x16x12xf32>)
func.func @bias_init(%x: tensor<1x2x5x6xf32>, %w: tensor<16x2x3x3xf32>, %bias: tensor<16xf32>) -> tensor<1x16x3x4xf32> {
  %e = tensor.empty() : tensor<1x16x3x4xf32>
  %b = linalg.generic {indexing_maps = [affine_map<(n, f, h, w) -> (f)>, affine_map<(n, f, h, w) -> (n, f, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%bias : tensor<16xf32>) outs(%e : tensor<1x16x3x4xf32>) attrs = {kiln.lowering_config = #old} {
  ^bb0(%v: f32, %o: f32):
    linalg.yield %v : f32
  } -> tensor<1x16x3x4xf32>
  %0 = linalg.conv_2d_nchw_fchw {kiln.lowering_config = #im2col, dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x2x5x6xf32>, tensor<16x2x3x3xf32>) outs(%b : tensor<1x16x3x4xf32>) -> tensor<1x16x3x4xf32>
  return %0 : tensor<1x16x3x4xf32>
}

// -----

// The integer kernel's convolution, a generic with a convolution's loops
// and maps (u8 input, s8 filter, i32 sums): the same rewrite, its body
// carried into the contraction with the filter as A and the windows as B.
#im2col = #kiln.lowering_config<strategy = "im2col">
#in = affine_map<(n, f, oh, ow, c, kh, kw) -> (n, c, oh * 2 + kh, ow * 2 + kw)>
#filter = affine_map<(n, f, oh, ow, c, kh, kw) -> (f, c, kh, kw)>
#out = affine_map<(n, f, oh, ow, c, kh, kw) -> (n, f, oh, ow)>
func.func @integer(%x: tensor<1x8x9x9xi8>, %w: tensor<16x8x3x3xi8>, %y: tensor<1x16x4x4xi32>) -> tensor<1x16x4x4xi32> {
  %0 = linalg.generic {indexing_maps = [#in, #filter, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %w : tensor<1x8x9x9xi8>, tensor<16x8x3x3xi8>) outs(%y : tensor<1x16x4x4xi32>) attrs = {kiln.lowering_config = #im2col} {
  ^bb0(%a: i8, %b: i8, %o: i32):
    %ae = arith.extui %a : i8 to i32
    %be = arith.extsi %b : i8 to i32
    %p = arith.muli %ae, %be : i32
    %s = arith.addi %o, %p : i32
    linalg.yield %s : i32
  } -> tensor<1x16x4x4xi32>
  return %0 : tensor<1x16x4x4xi32>
}
// CHECK-DAG: #[[STRIDED:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4 * 2 + d2, d5 * 2 + d3)>
// CHECK-LABEL: func.func @integer
// CHECK: %[[COPY:.*]] = linalg.generic {indexing_maps = [#[[STRIDED]], {{.*}}]{{.*}} ins(%arg0 : tensor<1x8x9x9xi8>) outs(%{{.*}} : tensor<1x8x3x3x4x4xi8>)
// CHECK: %[[COL:.*]] = tensor.collapse_shape %[[COPY]] {{\[}}[0], [1, 2, 3], [4, 5]] : tensor<1x8x3x3x4x4xi8> into tensor<1x72x16xi8>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[COL]] : tensor<16x72xi8>, tensor<1x72x16xi8>)
// CHECK-NEXT: ^bb0(%[[F:.*]]: i8, %[[X:.*]]: i8, %{{.*}}: i32):
// CHECK: arith.extui %[[X]] : i8 to i32
// CHECK: arith.extsi %[[F]] : i8 to i32
// CHECK-NOT: linalg.generic {{.*}}"reduction", "reduction", "reduction"

// -----

// A convolution that reads another's result: each is rewritten in turn, the
// second reading the first's rewritten result.
#im2col = #kiln.lowering_config<strategy = "im2col">
func.func @chained(%x: tensor<1x8x4x4xf32>, %w1: tensor<16x8x1x1xf32>, %w2: tensor<8x16x1x1xf32>, %y1: tensor<1x16x4x4xf32>, %y2: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %0 = linalg.conv_2d_nchw_fchw {kiln.lowering_config = #im2col, dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w1 : tensor<1x8x4x4xf32>, tensor<16x8x1x1xf32>) outs(%y1 : tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
  %1 = linalg.conv_2d_nchw_fchw {kiln.lowering_config = #im2col, dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%0, %w2 : tensor<1x16x4x4xf32>, tensor<8x16x1x1xf32>) outs(%y2 : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %1 : tensor<1x8x4x4xf32>
}
// CHECK-LABEL: func.func @chained
// (The reshapes between them fold: the second reads the first's product.)
// CHECK: %[[P1:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<16x8xf32>, tensor<1x8x16xf32>)
// CHECK: %[[P2:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %[[P1]] : tensor<8x16xf32>, tensor<1x16x16xf32>)
// CHECK: tensor.expand_shape %[[P2]]
// CHECK-NOT: linalg.conv_2d
