//===- Passes.td - onnx dialect passes ---------------------*- tablegen -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_ONNX_TRANSFORMS_PASSES_TD
#define KILN_DIALECT_ONNX_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def ONNXShapeInferencePass
    : Pass<"onnx-shape-inference", "::mlir::func::FuncOp"> {
  let summary = "Refine onnx result types from operand types and constants";
  let description = [{
    Visits ops in order and replaces each result type by the most precise type
    compatible with both the current and the inferred one (element type, rank,
    static dims). A contradiction is an error naming the op's ONNX node. The
    function's result types are refined to those of its return.
  }];
  let dependentDialects = ["::kiln::onnx::ONNXDialect"];
}

def ONNXCalibrationProbesPass
    : Pass<"onnx-calibration-probes", "::mlir::func::FuncOp"> {
  let summary = "Return what each quantizable layer reads and writes";
  let description = [{
    Calibration's instrumented build. Each layer the int8 kernels can take
    (an f32 Conv, MatMul or Gemm with constant weights, as
    `onnx-select-precision` finds them) gets its activation operand
    returned as one more result of the function, named `calibration:` and
    the layer's ONNX node, and its output too, named `calibration-output:`
    and the node, in program order. Run at the import level, before the
    ABI signature is recorded.
  }];
  let dependentDialects = ["::kiln::onnx::ONNXDialect"];
}

def ONNXSensitivityProbesPass
    : Pass<"onnx-sensitivity-probes", "::mlir::func::FuncOp"> {
  let summary = "Return each quantizable layer's own int8 error";
  let description = [{
    `--quantize=auto`'s second instrumented build. Each quantizable layer
    the calibration table has a range for is computed a second time,
    marked int8 with that range (the graph phase quantizes the copy). The
    function also returns, as scalars named `sensitivity:<node>:noise` and
    `sensitivity:<node>:signal`, the summed squared difference of the two
    and the summed squared f32 output. Run at the import level, before
    the ABI signature is recorded.
  }];
  let options = [
    Option<"table", "table", "std::string", /*default=*/"",
           "The calibration table (JSON)">
  ];
  let dependentDialects = ["::kiln::onnx::ONNXDialect"];
}

def ONNXSelectPrecisionPass
    : Pass<"onnx-select-precision", "::mlir::func::FuncOp"> {
  let summary = "Choose each quantizable layer's precision from a "
                "calibration table";
  let description = [{
    The quantization policy. Each layer the int8 kernels can take gets
    `kiln.precision = "int8"` and the range its activation had in
    calibration (`kiln.activation_range`, from the table), or
    `kiln.precision = "f32"` where it stays float: the first and last such
    layers (unless `keep-first-last=false`), the nodes `keep-float` names,
    and layers the table has no range for. `onnx-quantize` carries the
    decisions out.

    With `mode=int4-weights` (weight-only int4, no calibration), each
    MatMul and Gemm with constant weights and each Gather from a constant
    table gets `kiln.precision = "int4"` and `kiln.block_size`, unless
    `keep-float` names it or its reduced (embedded) dim is not a multiple
    of the block.

    With `mode=auto`, the table's sensitivities choose: each layer's
    noise-to-signal ratio when it alone is int8 is taken to add up at the
    output. Layers are taken in order of multiply-adds per unit of noise
    while the sum stays within `budget` (the output SQNR, in dB); the rest
    stay f32. With `sensitivity=predicted` the sensitivities come from the
    learned predictor (kiln/Quantization/SensitivityModel.h) instead, from
    each layer's weights, the range and mean square of its activation in
    the table, its reduced length and depth; `dump-features` writes those
    features and the table's measurements as JSON lines, the predictor's
    training data.

    With `explain`, a remark on each layer gives its precision and why.
  }];
  let options = [
    Option<"mode", "mode", "std::string", /*default=*/"\"int8\"",
           "int8 (calibrated), auto (int8 within a budget) or "
           "int4-weights">,
    Option<"budget", "budget", "double", /*default=*/"30.0",
           "auto: the least output SQNR, in dB">,
    Option<"blockSize", "block-size", "int64_t", /*default=*/"32",
           "int4-weights: elements per scale">,
    Option<"table", "table", "std::string", /*default=*/"",
           "The calibration table (JSON)">,
    ListOption<"keepFloat", "keep-float", "std::string",
               "ONNX nodes to keep in f32">,
    Option<"keepFirstLast", "keep-first-last", "bool", /*default=*/"true",
           "Keep the first and last quantizable layers in f32">,
    Option<"sensitivity", "sensitivity", "std::string",
           /*default=*/"\"measured\"",
           "auto: the table's measured sensitivities, or predicted ones">,
    Option<"dumpFeatures", "dump-features", "std::string", /*default=*/"",
           "auto: write each layer's predictor features to this file">,
    Option<"explain", "explain", "bool", /*default=*/"false",
           "Remark on each decision">
  ];
  let dependentDialects = ["::kiln::onnx::ONNXDialect"];
}

def ONNXQuantizePass : Pass<"onnx-quantize", "::mlir::func::FuncOp"> {
  let summary = "Quantize the layers `kiln.precision` marks int8";
  let description = [{
    The quantization mechanism. A layer marked `kiln.precision = "int8"`
    with a `kiln.activation_range` reads its activation through
    QuantizeLinear/DequantizeLinear (uint8, asymmetric, per tensor, from
    the range) and its constant weights as int8 quantized at compile time,
    symmetric per output channel, through DequantizeLinear. A Gemm becomes
    a MatMul (its B laid out as K x N) plus its C. `onnx-integer-qdq` then
    puts the layer on the integer kernels.

    A layer marked int4 gets its weights quantized symmetric per block of
    `kiln.block_size` along K (a Gather's table: along D), stored as codes
    two to a byte (uint8) with f32 scales, and unpacked to f32 where they
    are read: bitwise ops, a Concat of the nibbles, a scale per block.

    The precision attributes are dropped.
  }];
  let dependentDialects = ["::kiln::onnx::ONNXDialect"];
}

def ONNXIntegerQDQPass : Pass<"onnx-integer-qdq", "::mlir::func::FuncOp"> {
  let summary = "Run MatMul and Conv of dequantized 8-bit operands as "
                "integer products";
  let description = [{
    A QDQ model (ONNX Runtime's `quantize_static`) quantizes a layer by
    wrapping it: `MatMul(DequantizeLinear(a), DequantizeLinear(w))`, and
    likewise `Conv` with its f32 bias. Where both operands are 8-bit and
    their scales and zero points are per tensor, or per column of a
    MatMul's `w` and per filter of a Conv's (not blocked), and a Conv is
    ungrouped (the integer kernel's forms), the layer
    becomes the integer product (`MatMulInteger`, `ConvInteger`) of the
    quantized operands, cast to f32 and scaled by the product of the
    scales, plus the bias. `onnx-decompose` then puts it on the integer
    kernel. Other layers stay in f32, the fallback.

    With `explain`, a remark on each such MatMul or Conv says which it got
    and why.
  }];
  let options = [
    Option<"explain", "explain", "bool", /*default=*/"false",
           "Remark on each decision">
  ];
  let dependentDialects = ["::kiln::onnx::ONNXDialect"];
}

def ONNXDecomposePass : Pass<"onnx-decompose", "::mlir::func::FuncOp"> {
  let summary = "Rewrite composite onnx ops into simpler onnx ops";
  let description = [{
    Operators that ONNX defines as a function of other operators are
    rewritten into them, with result types from shape inference, so the
    lowering only handles the primitive ones:

    - Attention: head reshapes, the KV-cache concat, mask, causal, window
      and padding biases, repeated KV heads, MatMul, softcap and Softmax
      (fully masked rows give zeros);
    - RotaryEmbedding, GroupNormalization, LpNormalization, SwiGLU,
      CenterCropPad (run-time sizes), LpPool (a depthwise Conv of |x|^p),
      MeanVarianceNormalization;
    - DynamicQuantizeLinear;
    - MatMulInteger as the integer kernel's form (a u8 x s8 MatMulInteger
      without zero points: a signed A offset by +128, an unsigned B by
      -128) and i32 zero-point corrections from row and column sums (a
      constant B's computed here); an i32 MatMul when K is dynamic or an
      operand is 1-D;
    - QLinearMatMul as that integer product scaled by a_scale * b_scale in
      f32, then QuantizeLinear.

    A composite the rewrite cannot express is an error naming its node.
  }];
  let dependentDialects = ["::kiln::onnx::ONNXDialect"];
}

def ONNXVerifyGraphContractPass
    : Pass<"onnx-verify-graph-contract", "::mlir::ModuleOp"> {
  let summary = "Check the IR contract of the graph phase";
  let description = [{
    After the graph phase a module holds `func.func` graphs whose bodies use
    only `onnx` ops and `func.return`, with ranked or unranked tensor (or
    `none`) values. See docs/architecture.md.
  }];
}

#endif // KILN_DIALECT_ONNX_TRANSFORMS_PASSES_TD
