// RUN: echo '{"format": "kiln-calibration-table", "version": 1, "method": "minmax", "samples": 2, "ranges": {"a": [0, 2], "b": [-1, 3], "c": [-1, 1], "d": [-1, 1]}, "mean_square": {"a": 1.0, "b": 0.5, "d": 0.25}, "zero_fraction": {"a": 0.5, "b": 0, "d": 0}, "output_mean_square": {"a": 0.8, "b": 0.6, "d": 0.3}, "sensitivity": {"a": 1e-5}}' > %t.json
// RUN: kiln-opt %s --onnx-select-precision="mode=auto sensitivity=predicted budget=30 table=%t.json dump-features=%t.features explain=true" 2>&1 | FileCheck %s
// RUN: FileCheck %s --check-prefix=FEATURES < %t.features
// RUN: kiln-opt %s --onnx-select-precision="mode=auto budget=30 table=%t.json" | FileCheck %s --check-prefix=MEASURED
// RUN: not kiln-opt %s --onnx-select-precision="mode=auto sensitivity=guessed table=%t.json" 2>&1 | FileCheck %s --check-prefix=BAD

// Predicted: the learned model, from each layer's features; "c" has no
// statistics in the table, so no features and no prediction.
// CHECK: remark: sensitivities predicted by {{.*}}
// CHECK: remark: {{.*}}"a"{{.*}}: int8 (calibrated activation range [0, 2]; alone it adds a predicted -{{[0-9.]+}} dB of noise
// CHECK: remark: {{.*}}"b"{{.*}}: int8 ({{.*}}alone it adds a predicted -{{[0-9.]+}} dB of noise
// CHECK: remark: {{.*}}"c"{{.*}}: f32 (the calibration table has no range or statistics for it)
// CHECK: remark: {{.*}}"d"{{.*}}: int8 ({{.*}}alone it adds a predicted -{{[0-9.]+}} dB of noise

// The features, as an independent computation gives them (numpy: the
// weights rounded per output channel with f32 scales |w|max / 127, as
// onnx-quantize does, the activation's step (max - min) / 255 as f32,
// E[x^2], E[y^2] and the zeros from the table; the 3x3 Conv with pads 1
// on a 3x3 input reads 7 of 9 taps inside per dim, so padding is
// 1 - 49/81; its weights of 0.5 round to 127 x (0.5 / 127) in f32, off
// by 3e-17 in all): log10 ratios, the reduced length, depth in [0, 1].
// The table's measurement rides along for training.
// FEATURES: {"features":{"activation_crest":0.30102999566{{[0-9]*}},"activation_noise":-5.43504219887{{[0-9]*}},"convolution":0,"depth":0,"estimate":-5.30699090114{{[0-9]*}},"gain":-0.15618936100{{[0-9]*}},"padding":0,"reduction":0.30102999566{{[0-9]*}},"weight_noise":-5.89984485702{{[0-9]*}},"zeros":0.5},"key":"a","measured":1.0000000000000001e-05,"multiply_adds":16,"op":"MatMul"}
// FEATURES-NEXT: {"features":{"activation_crest":0.62763625255{{[0-9]*}},"activation_noise":-4.63698906914{{[0-9]*}},"convolution":0,"depth":0.333333333{{[0-9]*}},"estimate":-4.61332756824{{[0-9]*}},"gain":0.24987749191{{[0-9]*}},"padding":0,"reduction":0.30102999566{{[0-9]*}},"weight_noise":-5.88884662775{{[0-9]*}},"zeros":0},"key":"b","measured":null,"multiply_adds":16,"op":"MatMul"}
// FEATURES-NEXT: {"features":{"activation_crest":0.30102999566{{[0-9]*}},"activation_noise":-4.63342923967{{[0-9]*}},"convolution":1,"depth":1,"estimate":-4.6334292396{{[0-9]*}},"gain":-0.05471233321{{[0-9]*}},"padding":0.39506172839{{[0-9]*}},"reduction":0.95424250943{{[0-9]*}},"weight_noise":-16.8029674239{{[0-9]*}},"zeros":0},"key":"d","measured":null,"multiply_adds":81,"op":"Conv"}
// FEATURES-NOT: "key":"c"

// Measured (the default): only "a" has a sensitivity in the table.
// MEASURED: onnx.MatMul({{.*}}kiln.precision = "int8"
// MEASURED: onnx.MatMul({{.*}}kiln.precision = "f32"
// MEASURED: onnx.MatMul({{.*}}kiln.precision = "f32"
// MEASURED: onnx.Conv({{.*}}kiln.precision = "f32"

// BAD: error: unknown sensitivity source 'guessed'
func.func @main_graph(%x: tensor<4x2xf32>, %x2: tensor<1x1x3x3xf32>) -> (tensor<4x2xf32>, tensor<1x1x3x3xf32>) {
  %none = onnx.NoValue : none
  %wa = onnx.Constant() {value = dense<[[1.0, 0.3], [0.45, -1.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %a = onnx.MatMul(%x, %wa) : (tensor<4x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32> loc("a")
  %wb = onnx.Constant() {value = dense<[[0.7, -0.2], [0.1, 0.9]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = onnx.MatMul(%a, %wb) : (tensor<4x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32> loc("b")
  %c = onnx.MatMul(%b, %wb) : (tensor<4x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32> loc("c")
  %wd = onnx.Constant() {value = dense<0.5> : tensor<1x1x3x3xf32>} : () -> tensor<1x1x3x3xf32>
  %d = onnx.Conv(%x2, %wd, %none) {pads = [1, 1, 1, 1]} : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, none) -> tensor<1x1x3x3xf32> loc("d")
  return %c, %d : tensor<4x2xf32>, tensor<1x1x3x3xf32>
}
