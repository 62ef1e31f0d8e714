// RUN: echo '{"format": "kiln-calibration-table", "version": 1, "method": "minmax", "samples": 2, "ranges": {"first": [0, 1], "middle": [-1.5, 6], "other": [0, 2], "last": [0, 3]}}' > %t.json
// RUN: kiln-opt %s --onnx-select-precision="table=%t.json explain=true" 2>&1 | FileCheck %s
// RUN: kiln-opt %s --onnx-select-precision="table=%t.json keep-first-last=false keep-float=other" | FileCheck %s --check-prefix=ALL
// RUN: not kiln-opt %s --onnx-select-precision="table=%t.missing" 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: echo '{"format": "kiln-calibration-table", "version": 1, "method": "minmax", "samples": 2, "ranges": {"first": [0, 1], "middle": [-1.5, 6], "other": [0, 2], "last": [0, 3]}, "sensitivity": {"first": 5e-4, "middle": 1e-4, "other": 1e-2, "last": 2e-4}}' > %t.auto.json
// RUN: kiln-opt %s --onnx-select-precision="mode=auto budget=30 table=%t.auto.json explain=true" 2>&1 | FileCheck %s --check-prefix=AUTO
// RUN: kiln-opt %s --onnx-select-precision="mode=int4-weights block-size=8 keep-float=other explain=true" 2>&1 | FileCheck %s --check-prefix=INT4

// The first and last quantizable layers stay f32; the others get int8 and
// their calibrated range, or f32 where the table has none for them.
// CHECK: remark: {{.*}}precision of Conv: f32 (the first or last quantizable layer)
// CHECK: remark: {{.*}}precision of MatMul: int8 (calibrated activation range [-1.5, 6])
// CHECK: remark: {{.*}}precision of MatMul: int8 (calibrated activation range [0, 2])
// CHECK: remark: {{.*}}precision of MatMul: f32 (the calibration table has no range for it)
// CHECK: remark: {{.*}}precision of Gemm: f32 (the first or last quantizable layer)
// CHECK-LABEL: func.func @main_graph(
// CHECK: onnx.Conv({{.*}}kiln.precision = "f32"
// CHECK: onnx.MatMul({{.*}}kiln.activation_range = array<f64: -1.500000e+00, 6.000000e+00>, kiln.precision = "int8"
// CHECK: onnx.MatMul({{.*}}kiln.precision = "int8"
// CHECK: onnx.MatMul({{.*}}kiln.precision = "f32"
// CHECK: onnx.Gemm({{.*}}kiln.precision = "f32"

// ALL: onnx.Conv({{.*}}kiln.activation_range = array<f64: 0.000000e+00, 1.000000e+00>, kiln.precision = "int8"
// ALL: onnx.MatMul({{.*}}kiln.precision = "int8"
// ALL: onnx.MatMul({{.*}}kiln.precision = "f32"
// ALL: onnx.MatMul({{.*}}kiln.precision = "f32"
// ALL: onnx.Gemm({{.*}}kiln.precision = "int8"

// Weight-only int4: every MatMul and Gemm with constant weights (not the
// Conv), unless kept; "middle" reduces 4 elements, fewer than a block.
// INT4: remark: {{.*}}"middle"{{.*}}precision of MatMul: f32 (its reduced dim is not a multiple of the block)
// INT4: remark: {{.*}}"other"{{.*}}precision of MatMul: f32 (kept in float by --keep-float)
// INT4: remark: {{.*}}"last"{{.*}}precision of Gemm: int4 weights (blocks of 8)
// INT4: onnx.Conv(
// INT4-NOT: kiln.
// INT4-SAME: -> tensor<1x4x4x4xf32>{{$}}
// INT4: onnx.MatMul({{.*}}kiln.precision = "f32"
// INT4: onnx.Gemm({{.*}}kiln.block_size = 8 : i64, kiln.precision = "int4"

// Auto at 30 dB (a noise-to-signal allowance of 1e-3): by multiply-adds
// per unit of noise, middle (256 / 1e-4), last (192 / 2e-4) and first
// (128 / 5e-4) fit, 8e-4 in all; other's 1e-2 would not; unlisted has no
// sensitivity. No first-and-last rule: the budget decides.
// AUTO: remark: {{.*}}"first"{{.*}}: int8 (calibrated activation range [0, 1]; alone it adds -33.0 dB of noise; the layers chosen so far -31.0 dB)
// AUTO: remark: {{.*}}"middle"{{.*}}: int8 ({{.*}}alone it adds -40.0 dB of noise; the layers chosen so far -40.0 dB)
// AUTO: remark: {{.*}}"other"{{.*}}: f32 (its -20.0 dB of noise would take the output past the budget)
// AUTO: remark: {{.*}}"unlisted"{{.*}}: f32 (the calibration table has no sensitivity for it)
// AUTO: remark: {{.*}}"last"{{.*}}: int8 ({{.*}}alone it adds -37.0 dB of noise; the layers chosen so far -35.2 dB)

// MISSING: error: calibration table {{.*}}.missing: {{.*}}
func.func @main_graph(%x: tensor<1x2x4x4xf32>) -> tensor<4x3xf32> {
  %none = onnx.NoValue : none
  %w = onnx.Constant() {value = dense<0.5> : tensor<4x2x1x1xf32>} : () -> tensor<4x2x1x1xf32>
  %c = onnx.Conv(%x, %w, %none) : (tensor<1x2x4x4xf32>, tensor<4x2x1x1xf32>, none) -> tensor<1x4x4x4xf32> loc("first")
  %wm = onnx.Constant() {value = dense<0.25> : tensor<4x4xf32>} : () -> tensor<4x4xf32>
  %m = onnx.MatMul(%c, %wm) : (tensor<1x4x4x4xf32>, tensor<4x4xf32>) -> tensor<1x4x4x4xf32> loc("middle")
  %o = onnx.MatMul(%m, %wm) : (tensor<1x4x4x4xf32>, tensor<4x4xf32>) -> tensor<1x4x4x4xf32> loc("other")
  %u = onnx.MatMul(%o, %wm) : (tensor<1x4x4x4xf32>, tensor<4x4xf32>) -> tensor<1x4x4x4xf32> loc("unlisted")
  %s = onnx.Constant() {value = dense<[4, 16]> : tensor<2xi64>} : () -> tensor<2xi64>
  %flat = onnx.Reshape(%u, %s) : (tensor<1x4x4x4xf32>, tensor<2xi64>) -> tensor<4x16xf32>
  %wg = onnx.Constant() {value = dense<0.125> : tensor<3x16xf32>} : () -> tensor<3x16xf32>
  %y = onnx.Gemm(%flat, %wg, %none) {transB = 1 : i64} : (tensor<4x16xf32>, tensor<3x16xf32>, none) -> tensor<4x3xf32> loc("last")
  return %y : tensor<4x3xf32>
}
