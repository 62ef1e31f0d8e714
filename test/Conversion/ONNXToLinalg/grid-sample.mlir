// RUN: kiln-opt %s --convert-onnx-to-linalg --canonicalize --split-input-file | FileCheck %s

// Bilinear sampling of a 2-D image: the grid's x and y are read, mapped to
// input coordinates, and 4 taps are weighted and summed; zeros padding
// selects 0 for taps outside.
// CHECK-LABEL: func.func @bilinear_zeros
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x1x4x4xf32>, %[[G:[^:]*]]: tensor<1x2x3x2xf32>)
// CHECK-DAG: %[[F0:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[F1:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-DAG: %[[F2:.*]] = arith.constant 2.000000e+00 : f32
// CHECK-DAG: %[[F3:.*]] = arith.constant 3.000000e+00 : f32
// CHECK-DAG: %[[F4:.*]] = arith.constant 4.000000e+00 : f32
// CHECK-DAG: %[[I0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[I1:.*]] = arith.constant 1 : index
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x1x2x3xf32>
// CHECK: %[[Y:.*]] = linalg.generic {{.*}} outs(%[[E]] : tensor<1x1x2x3xf32>)
// CHECK: %[[OH:.*]] = linalg.index 2 : index
// CHECK: %[[OW:.*]] = linalg.index 3 : index
// The grid's channel 1 is y (the rows), channel 0 is x (the columns); each
// is unnormalized without align_corners: ((g + 1) * 4 - 1) / 2.
// CHECK: %[[GY:.*]] = tensor.extract %[[G]][%[[I0]], %[[OH]], %[[OW]], %[[I1]]] : tensor<1x2x3x2xf32>
// CHECK: %[[GY1:.*]] = arith.addf %[[GY]], %[[F1]] : f32
// CHECK: %[[GY4:.*]] = arith.mulf %[[GY1]], %[[F4]] : f32
// CHECK: %[[GYM:.*]] = arith.subf %[[GY4]], %[[F1]] : f32
// CHECK: %[[YIN:.*]] = arith.divf %[[GYM]], %[[F2]] : f32
// CHECK: %[[GX:.*]] = tensor.extract %[[G]][%[[I0]], %[[OH]], %[[OW]], %[[I0]]] : tensor<1x2x3x2xf32>
// CHECK: %[[GX1:.*]] = arith.addf %[[GX]], %[[F1]] : f32
// CHECK: %[[GX4:.*]] = arith.mulf %[[GX1]], %[[F4]] : f32
// CHECK: %[[GXM:.*]] = arith.subf %[[GX4]], %[[F1]] : f32
// CHECK: %[[XIN:.*]] = arith.divf %[[GXM]], %[[F2]] : f32
// The fractions dy, dx and their complements.
// CHECK: %[[Y0:.*]] = math.floor %[[YIN]] : f32
// CHECK: %[[DY:.*]] = arith.subf %[[YIN]], %[[Y0]] : f32
// CHECK: %[[DY1:.*]] = arith.subf %[[F1]], %[[DY]] : f32
// CHECK: %[[X0:.*]] = math.floor %[[XIN]] : f32
// CHECK: %[[DX:.*]] = arith.subf %[[XIN]], %[[X0]] : f32
// CHECK: %[[DX1:.*]] = arith.subf %[[F1]], %[[DX]] : f32
// Tap (y0, x0), weight (1 - dx)(1 - dy): the row and column are clamped to
// [0, 3] for the read, and a tap outside either range contributes 0.
// CHECK: %[[C00:.*]] = arith.addf %[[X0]], %[[F0]] : f32
// CHECK: %[[W00:.*]] = arith.mulf %[[DX1]], %[[DY1]] : f32
// CHECK: %[[R00:.*]] = arith.addf %[[Y0]], %[[F0]] : f32
// CHECK: %[[RGE:.*]] = arith.cmpf oge, %[[R00]], %[[F0]] : f32
// CHECK: %[[RLE:.*]] = arith.cmpf ole, %[[R00]], %[[F3]] : f32
// CHECK: %[[RIN:.*]] = arith.andi %[[RGE]], %[[RLE]] : i1
// CHECK: %[[RLO:.*]] = arith.maximumf %[[R00]], %[[F0]] : f32
// CHECK: %[[RCL:.*]] = arith.minimumf %[[RLO]], %[[F3]] : f32
// CHECK: %[[RI64:.*]] = arith.fptosi %[[RCL]] : f32 to i64
// CHECK: %[[ROW:.*]] = arith.index_cast %[[RI64]] : i64 to index
// CHECK: %[[CGE:.*]] = arith.cmpf oge, %[[C00]], %[[F0]] : f32
// CHECK: %[[CLE:.*]] = arith.cmpf ole, %[[C00]], %[[F3]] : f32
// CHECK: %[[CIN:.*]] = arith.andi %[[CGE]], %[[CLE]] : i1
// CHECK: %[[IN:.*]] = arith.andi %[[RIN]], %[[CIN]] : i1
// CHECK: %[[CLO:.*]] = arith.maximumf %[[C00]], %[[F0]] : f32
// CHECK: %[[CCL:.*]] = arith.minimumf %[[CLO]], %[[F3]] : f32
// CHECK: %[[CI64:.*]] = arith.fptosi %[[CCL]] : f32 to i64
// CHECK: %[[COL:.*]] = arith.index_cast %[[CI64]] : i64 to index
// CHECK: %[[V00:.*]] = tensor.extract %[[X]][%[[I0]], %[[I0]], %[[ROW]], %[[COL]]] : tensor<1x1x4x4xf32>
// CHECK: %[[S00:.*]] = arith.select %[[IN]], %[[V00]], %[[F0]] : f32
// CHECK: %[[P00:.*]] = arith.mulf %[[W00]], %[[S00]] : f32
// CHECK: %[[ACC0:.*]] = arith.addf %[[P00]], %[[F0]] : f32
// Tap (y0, x0 + 1), weight dx (1 - dy).
// CHECK: %[[C01:.*]] = arith.addf %[[X0]], %[[F1]] : f32
// CHECK: %[[W01:.*]] = arith.mulf %[[DX]], %[[DY1]] : f32
// CHECK: %[[R01:.*]] = arith.addf %[[Y0]], %[[F0]] : f32
// CHECK: arith.cmpf oge, %[[R01]], %[[F0]] : f32
// CHECK: arith.cmpf oge, %[[C01]], %[[F0]] : f32
// CHECK: %[[V01:.*]] = tensor.extract %[[X]][%[[I0]], %[[I0]], %{{.*}}, %{{.*}}] : tensor<1x1x4x4xf32>
// CHECK: %[[S01:.*]] = arith.select %{{.*}}, %[[V01]], %[[F0]] : f32
// CHECK: %[[P01:.*]] = arith.mulf %[[W01]], %[[S01]] : f32
// CHECK: %[[ACC1:.*]] = arith.addf %[[ACC0]], %[[P01]] : f32
// Tap (y0 + 1, x0), weight (1 - dx) dy.
// CHECK: %[[C10:.*]] = arith.addf %[[X0]], %[[F0]] : f32
// CHECK: %[[W10:.*]] = arith.mulf %[[DX1]], %[[DY]] : f32
// CHECK: %[[R10:.*]] = arith.addf %[[Y0]], %[[F1]] : f32
// CHECK: arith.cmpf oge, %[[R10]], %[[F0]] : f32
// CHECK: arith.cmpf oge, %[[C10]], %[[F0]] : f32
// CHECK: %[[V10:.*]] = tensor.extract %[[X]][%[[I0]], %[[I0]], %{{.*}}, %{{.*}}] : tensor<1x1x4x4xf32>
// CHECK: %[[S10:.*]] = arith.select %{{.*}}, %[[V10]], %[[F0]] : f32
// CHECK: %[[P10:.*]] = arith.mulf %[[W10]], %[[S10]] : f32
// CHECK: %[[ACC2:.*]] = arith.addf %[[ACC1]], %[[P10]] : f32
// Tap (y0 + 1, x0 + 1), weight dx dy.
// CHECK: %[[C11:.*]] = arith.addf %[[X0]], %[[F1]] : f32
// CHECK: %[[W11:.*]] = arith.mulf %[[DX]], %[[DY]] : f32
// CHECK: %[[R11:.*]] = arith.addf %[[Y0]], %[[F1]] : f32
// CHECK: arith.cmpf oge, %[[R11]], %[[F0]] : f32
// CHECK: arith.cmpf oge, %[[C11]], %[[F0]] : f32
// CHECK: %[[V11:.*]] = tensor.extract %[[X]][%[[I0]], %[[I0]], %{{.*}}, %{{.*}}] : tensor<1x1x4x4xf32>
// CHECK: %[[S11:.*]] = arith.select %{{.*}}, %[[V11]], %[[F0]] : f32
// CHECK: %[[P11:.*]] = arith.mulf %[[W11]], %[[S11]] : f32
// CHECK: %[[ACC3:.*]] = arith.addf %[[ACC2]], %[[P11]] : f32
// CHECK-NEXT: linalg.yield %[[ACC3]] : f32
// CHECK: return %[[Y]] : tensor<1x1x2x3xf32>
func.func @bilinear_zeros(%x: tensor<1x1x4x4xf32>, %g: tensor<1x2x3x2xf32>) -> tensor<1x1x2x3xf32> {
  %0 = onnx.GridSample(%x, %g) : (tensor<1x1x4x4xf32>, tensor<1x2x3x2xf32>) -> tensor<1x1x2x3xf32>
  return %0 : tensor<1x1x2x3xf32>
}

// -----

// Nearest sampling with reflection: coordinates round half to even and one
// tap is read. Without align_corners a coordinate outside [-0.5, 3.5] is
// reflected back into it.
// CHECK-LABEL: func.func @nearest_reflection
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x2x4x4xf32>, %[[G:[^:]*]]: tensor<1x3x3x2xf32>)
// CHECK-DAG: %[[LO:.*]] = arith.constant -5.000000e-01 : f32
// CHECK-DAG: %[[HI:.*]] = arith.constant 3.500000e+00 : f32
// CHECK-DAG: %[[I0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[I1:.*]] = arith.constant 1 : index
// CHECK: %[[Y:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x2x3x3xf32>)
// CHECK: %[[C:.*]] = linalg.index 1 : index
// CHECK: %[[OH:.*]] = linalg.index 2 : index
// CHECK: %[[OW:.*]] = linalg.index 3 : index
// CHECK: %[[GY:.*]] = tensor.extract %[[G]][%[[I0]], %[[OH]], %[[OW]], %[[I1]]] : tensor<1x3x3x2xf32>
// CHECK: %[[YIN:.*]] = arith.divf
// CHECK: %[[YR:.*]] = math.roundeven %[[YIN]] : f32
// CHECK: %[[YBELOW:.*]] = arith.cmpf olt, %[[YR]], %[[LO]] : f32
// CHECK: %[[YABOVE:.*]] = arith.cmpf olt, %[[HI]], %[[YR]] : f32
// CHECK: %[[YOUT:.*]] = arith.ori %[[YBELOW]], %[[YABOVE]] : i1
// CHECK: %[[YREF:.*]] = arith.select %[[YOUT]], %{{.*}}, %[[YR]] : f32
// CHECK: %[[GX:.*]] = tensor.extract %[[G]][%[[I0]], %[[OH]], %[[OW]], %[[I0]]] : tensor<1x3x3x2xf32>
// CHECK: %[[XIN:.*]] = arith.divf
// CHECK: %[[XR:.*]] = math.roundeven %[[XIN]] : f32
// CHECK: %[[XBELOW:.*]] = arith.cmpf olt, %[[XR]], %[[LO]] : f32
// CHECK: %[[XABOVE:.*]] = arith.cmpf olt, %[[HI]], %[[XR]] : f32
// CHECK: %[[XOUT:.*]] = arith.ori %[[XBELOW]], %[[XABOVE]] : i1
// CHECK: %[[XREF:.*]] = arith.select %[[XOUT]], %{{.*}}, %[[XR]] : f32
// CHECK: %[[YT:.*]] = math.trunc %[[YREF]] : f32
// CHECK: %[[XT:.*]] = math.trunc %[[XREF]] : f32
// CHECK: arith.cmpf olt, %[[YT]], %[[LO]] : f32
// CHECK: %[[ROW:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK: arith.cmpf olt, %[[XT]], %[[LO]] : f32
// CHECK: %[[COL:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK: %[[V:.*]] = tensor.extract %[[X]][%[[I0]], %[[C]], %[[ROW]], %[[COL]]] : tensor<1x2x4x4xf32>
// CHECK-NEXT: linalg.yield %[[V]] : f32
// CHECK: return %[[Y]] : tensor<1x2x3x3xf32>
func.func @nearest_reflection(%x: tensor<1x2x4x4xf32>, %g: tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32> {
  %0 = onnx.GridSample(%x, %g) {mode = "nearest", padding_mode = "reflection"} : (tensor<1x2x4x4xf32>, tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}
