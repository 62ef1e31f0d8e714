//===- ONNXNNOps.td - neural-network onnx ops -------------*- tablegen -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Matrix products, convolutions, pooling and normalizations.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_ONNX_IR_ONNXNNOPS_TD
#define KILN_DIALECT_ONNX_IR_ONNXNNOPS_TD

include "kiln/Dialect/ONNX/IR/ONNXBase.td"

def ONNXMatMulOp : ONNX_InferOp<"MatMul", [AllElementTypesMatch<["A", "B", "Y"]>]> {
  let summary = "ONNX MatMul with numpy semantics (batched, broadcast)";
  let arguments = (ins ONNX_NumericTensor:$A, ONNX_NumericTensor:$B);
  let results = (outs ONNX_NumericTensor:$Y);
}

def ONNXMatMulIntegerOp : ONNX_InferOp<"MatMulInteger"> {
  let summary = "ONNX MatMulInteger: 8-bit operands, i32 result";
  let arguments = (ins TensorOf<[I8, UI8]>:$A, TensorOf<[I8, UI8]>:$B,
                       ONNX_Optional<TensorOf<[I8, UI8]>>:$a_zero_point,
                       ONNX_Optional<TensorOf<[I8, UI8]>>:$b_zero_point);
  let results = (outs TensorOf<[I32]>:$Y);
}

def ONNXQLinearMatMulOp : ONNX_InferOp<"QLinearMatMul"> {
  let summary = "ONNX QLinearMatMul: quantized operands and result";
  let arguments = (ins ONNX_Tensor:$a, ONNX_FloatTensor:$a_scale,
                       ONNX_Tensor:$a_zero_point, ONNX_Tensor:$b,
                       ONNX_FloatTensor:$b_scale, ONNX_Tensor:$b_zero_point,
                       ONNX_FloatTensor:$y_scale, ONNX_Tensor:$y_zero_point);
  let results = (outs ONNX_Tensor:$y);
}

def ONNXEinsumOp : ONNX_InferOp<"Einsum"> {
  let summary = "ONNX Einsum: a sum of products named by an equation";
  let arguments = (ins Variadic<ONNX_NumericTensor>:$Inputs,
                       StrAttr:$equation);
  let results = (outs ONNX_NumericTensor:$Output);
}

def ONNXGemmOp : ONNX_InferOp<"Gemm", [AllElementTypesMatch<["A", "B", "Y"]>]> {
  let summary = "ONNX Gemm: alpha * op(A) * op(B) + beta * C";
  let arguments = (ins ONNX_NumericTensor:$A, ONNX_NumericTensor:$B,
                       ONNX_Optional<ONNX_NumericTensor>:$C,
                       DefaultValuedAttr<F32Attr, "1.0">:$alpha,
                       DefaultValuedAttr<F32Attr, "1.0">:$beta,
                       DefaultValuedAttr<I64Attr, "0">:$transA,
                       DefaultValuedAttr<I64Attr, "0">:$transB);
  let results = (outs ONNX_NumericTensor:$Y);
}

/// Attributes shared by convolutions and pooling.
defvar ONNX_AutoPad = DefaultValuedAttr<StrAttr, "\"NOTSET\"">;

def ONNXConvOp : ONNX_InferOp<"Conv", [AllElementTypesMatch<["X", "W", "Y"]>]> {
  let summary = "ONNX Conv (N-d, grouped, dilated, auto_pad)";
  let arguments = (ins ONNX_FloatTensor:$X, ONNX_FloatTensor:$W,
                       ONNX_Optional<ONNX_FloatTensor>:$B,
                       ONNX_AutoPad:$auto_pad,
                       OptionalAttr<I64ArrayAttr>:$dilations,
                       DefaultValuedAttr<I64Attr, "1">:$group,
                       OptionalAttr<I64ArrayAttr>:$kernel_shape,
                       OptionalAttr<I64ArrayAttr>:$pads,
                       OptionalAttr<I64ArrayAttr>:$strides);
  let results = (outs ONNX_FloatTensor:$Y);
}

def ONNXConvIntegerOp : ONNX_InferOp<"ConvInteger"> {
  let summary = "ONNX ConvInteger: 8-bit operands less zero points, i32 result";
  let arguments = (ins TensorOf<[I8, UI8]>:$x, TensorOf<[I8, UI8]>:$w,
                       ONNX_Optional<TensorOf<[I8, UI8]>>:$x_zero_point,
                       ONNX_Optional<TensorOf<[I8, UI8]>>:$w_zero_point,
                       ONNX_AutoPad:$auto_pad,
                       OptionalAttr<I64ArrayAttr>:$dilations,
                       DefaultValuedAttr<I64Attr, "1">:$group,
                       OptionalAttr<I64ArrayAttr>:$kernel_shape,
                       OptionalAttr<I64ArrayAttr>:$pads,
                       OptionalAttr<I64ArrayAttr>:$strides);
  let results = (outs TensorOf<[I32]>:$y);
}

def ONNXQLinearConvOp : ONNX_InferOp<"QLinearConv"> {
  let summary = "ONNX QLinearConv: quantized input, weights and result";
  let arguments = (ins TensorOf<[I8, UI8]>:$x, ONNX_FloatTensor:$x_scale,
                       TensorOf<[I8, UI8]>:$x_zero_point,
                       TensorOf<[I8, UI8]>:$w, ONNX_FloatTensor:$w_scale,
                       TensorOf<[I8, UI8]>:$w_zero_point,
                       ONNX_FloatTensor:$y_scale,
                       TensorOf<[I8, UI8]>:$y_zero_point,
                       ONNX_Optional<TensorOf<[I32]>>:$B,
                       ONNX_AutoPad:$auto_pad,
                       OptionalAttr<I64ArrayAttr>:$dilations,
                       DefaultValuedAttr<I64Attr, "1">:$group,
                       OptionalAttr<I64ArrayAttr>:$kernel_shape,
                       OptionalAttr<I64ArrayAttr>:$pads,
                       OptionalAttr<I64ArrayAttr>:$strides);
  let results = (outs TensorOf<[I8, UI8]>:$y);
}

def ONNXConvTransposeOp : ONNX_InferOp<"ConvTranspose",
    [AllElementTypesMatch<["X", "W", "Y"]>]> {
  let summary = "ONNX ConvTranspose (N-d, grouped, dilated, output_shape)";
  let arguments = (ins ONNX_FloatTensor:$X, ONNX_FloatTensor:$W,
                       ONNX_Optional<ONNX_FloatTensor>:$B,
                       ONNX_AutoPad:$auto_pad,
                       OptionalAttr<I64ArrayAttr>:$dilations,
                       DefaultValuedAttr<I64Attr, "1">:$group,
                       OptionalAttr<I64ArrayAttr>:$kernel_shape,
                       OptionalAttr<I64ArrayAttr>:$output_padding,
                       OptionalAttr<I64ArrayAttr>:$output_shape,
                       OptionalAttr<I64ArrayAttr>:$pads,
                       OptionalAttr<I64ArrayAttr>:$strides);
  let results = (outs ONNX_FloatTensor:$Y);
}

def ONNXMaxPoolOp : ONNX_InferOp<"MaxPool"> {
  let summary = "ONNX MaxPool with optional argmax indices";
  let arguments = (ins ONNX_NumericTensor:$X, ONNX_AutoPad:$auto_pad,
                       DefaultValuedAttr<I64Attr, "0">:$ceil_mode,
                       OptionalAttr<I64ArrayAttr>:$dilations,
                       I64ArrayAttr:$kernel_shape,
                       OptionalAttr<I64ArrayAttr>:$pads,
                       DefaultValuedAttr<I64Attr, "0">:$storage_order,
                       OptionalAttr<I64ArrayAttr>:$strides);
  let results = (outs ONNX_NumericTensor:$Y,
                      ONNX_Optional<ONNX_I64Tensor>:$Indices);
}

def ONNXAveragePoolOp : ONNX_InferOp<"AveragePool"> {
  let summary = "ONNX AveragePool";
  let arguments = (ins ONNX_FloatTensor:$X, ONNX_AutoPad:$auto_pad,
                       DefaultValuedAttr<I64Attr, "0">:$ceil_mode,
                       DefaultValuedAttr<I64Attr, "0">:$count_include_pad,
                       OptionalAttr<I64ArrayAttr>:$dilations,
                       I64ArrayAttr:$kernel_shape,
                       OptionalAttr<I64ArrayAttr>:$pads,
                       OptionalAttr<I64ArrayAttr>:$strides);
  let results = (outs ONNX_FloatTensor:$Y);
}

def ONNXLpPoolOp : ONNX_InferOp<"LpPool"> {
  let summary = "ONNX LpPool";
  let arguments = (ins ONNX_FloatTensor:$X, ONNX_AutoPad:$auto_pad,
                       DefaultValuedAttr<I64Attr, "0">:$ceil_mode,
                       OptionalAttr<I64ArrayAttr>:$dilations,
                       I64ArrayAttr:$kernel_shape,
                       DefaultValuedAttr<I64Attr, "2">:$p,
                       OptionalAttr<I64ArrayAttr>:$pads,
                       OptionalAttr<I64ArrayAttr>:$strides);
  let results = (outs ONNX_FloatTensor:$Y);
}

class ONNX_GlobalPoolOp<string mnemonic>
    : ONNX_InferOp<mnemonic, [SameOperandsAndResultElementType],
                   "inferGlobalPool(*this, inferred)"> {
  let summary = "ONNX " # mnemonic # " over all spatial dims";
  let arguments = (ins ONNX_FloatTensor:$X);
  let results = (outs ONNX_FloatTensor:$Y);
}
def ONNXGlobalAveragePoolOp : ONNX_GlobalPoolOp<"GlobalAveragePool">;
def ONNXGlobalMaxPoolOp : ONNX_GlobalPoolOp<"GlobalMaxPool">;

def ONNXBatchNormalizationOp : ONNX_InferOp<"BatchNormalization"> {
  let summary = "ONNX BatchNormalization (opset 15 form)";
  let arguments = (ins ONNX_FloatTensor:$X, ONNX_FloatTensor:$scale,
                       ONNX_FloatTensor:$B, ONNX_FloatTensor:$input_mean,
                       ONNX_FloatTensor:$input_var,
                       DefaultValuedAttr<F32Attr, "1e-05">:$epsilon,
                       DefaultValuedAttr<F32Attr, "0.9">:$momentum,
                       DefaultValuedAttr<I64Attr, "0">:$training_mode);
  let results = (outs ONNX_FloatTensor:$Y,
                      ONNX_Optional<ONNX_FloatTensor>:$running_mean,
                      ONNX_Optional<ONNX_FloatTensor>:$running_var);
}

def ONNXAttentionOp : ONNX_InferOp<"Attention"> {
  let summary = "ONNX Attention (scaled dot-product, GQA, KV cache, masks)";
  let description = [{
    Q, K, V are (batch, heads, seq, head_size), or (batch, seq, hidden) with
    `q_num_heads`/`kv_num_heads`. `onnx-decompose` rewrites it into MatMul,
    Softmax and mask arithmetic before lowering.
  }];
  let arguments = (ins ONNX_FloatTensor:$Q, ONNX_FloatTensor:$K,
                       ONNX_FloatTensor:$V,
                       ONNX_Optional<ONNX_Tensor>:$attn_mask,
                       ONNX_Optional<ONNX_FloatTensor>:$past_key,
                       ONNX_Optional<ONNX_FloatTensor>:$past_value,
                       ONNX_Optional<ONNX_IndexTensor>:$nonpad_kv_seqlen,
                       DefaultValuedAttr<I64Attr, "0">:$is_causal,
                       OptionalAttr<I64Attr>:$kv_num_heads,
                       OptionalAttr<I64Attr>:$q_num_heads,
                       DefaultValuedAttr<I64Attr, "0">:$qk_matmul_output_mode,
                       OptionalAttr<F32Attr>:$scale,
                       DefaultValuedAttr<F32Attr, "0.0">:$softcap,
                       OptionalAttr<I64Attr>:$softmax_precision,
                       DefaultValuedAttr<I64Attr, "-1">:$left_window_size,
                       DefaultValuedAttr<I64Attr, "-1">:$right_window_size);
  let results = (outs ONNX_FloatTensor:$Y,
                      ONNX_Optional<ONNX_FloatTensor>:$present_key,
                      ONNX_Optional<ONNX_FloatTensor>:$present_value,
                      ONNX_Optional<ONNX_FloatTensor>:$qk_matmul_output);
}

def ONNXRotaryEmbeddingOp : ONNX_InferOp<"RotaryEmbedding", [],
    "inferSameAsOperand(*this, 0, inferred)"> {
  let summary = "ONNX RotaryEmbedding (rotates pairs of a head's dims)";
  let description = [{ Rewritten by `onnx-decompose`. }];
  let arguments = (ins ONNX_FloatTensor:$X, ONNX_FloatTensor:$cos_cache,
                       ONNX_FloatTensor:$sin_cache,
                       ONNX_Optional<ONNX_I64Tensor>:$position_ids,
                       DefaultValuedAttr<I64Attr, "0">:$interleaved,
                       OptionalAttr<I64Attr>:$num_heads,
                       DefaultValuedAttr<I64Attr, "0">:$rotary_embedding_dim);
  let results = (outs ONNX_FloatTensor:$Y);
}

def ONNXGroupNormalizationOp : ONNX_InferOp<"GroupNormalization", [],
    "inferSameAsOperand(*this, 0, inferred)"> {
  let summary = "ONNX GroupNormalization over groups of channels";
  let description = [{ Rewritten by `onnx-decompose`. }];
  let arguments = (ins ONNX_FloatTensor:$X, ONNX_FloatTensor:$scale,
                       ONNX_FloatTensor:$bias,
                       DefaultValuedAttr<F32Attr, "1e-05">:$epsilon,
                       I64Attr:$num_groups,
                       DefaultValuedAttr<I64Attr, "1">:$stash_type);
  let results = (outs ONNX_FloatTensor:$Y);
}

def ONNXSwiGLUOp : ONNX_InferOp<"SwiGLU", [],
    "inferSameAsOperand(*this, 0, inferred)"> {
  let summary = "ONNX SwiGLU: Swish(A, alpha) * B";
  let description = [{ Rewritten by `onnx-decompose`. }];
  let arguments = (ins ONNX_FloatTensor:$A, ONNX_FloatTensor:$B,
                       DefaultValuedAttr<F32Attr, "1.0">:$alpha);
  let results = (outs ONNX_FloatTensor:$Y);
}

def ONNXLayerNormalizationOp : ONNX_InferOp<"LayerNormalization"> {
  let summary = "ONNX LayerNormalization over the dims from `axis` on";
  let arguments = (ins ONNX_FloatTensor:$X, ONNX_FloatTensor:$Scale,
                       ONNX_Optional<ONNX_FloatTensor>:$B,
                       DefaultValuedAttr<I64Attr, "-1">:$axis,
                       DefaultValuedAttr<F32Attr, "1e-05">:$epsilon,
                       DefaultValuedAttr<I64Attr, "1">:$stash_type);
  let results = (outs ONNX_FloatTensor:$Y,
                      ONNX_Optional<ONNX_FloatTensor>:$Mean,
                      ONNX_Optional<ONNX_FloatTensor>:$InvStdDev);
}

def ONNXRMSNormalizationOp : ONNX_InferOp<"RMSNormalization", [],
    "inferSameAsOperand(*this, 0, inferred)"> {
  let summary = "ONNX RMSNormalization over the dims from `axis` on";
  let arguments = (ins ONNX_FloatTensor:$X, ONNX_FloatTensor:$scale,
                       DefaultValuedAttr<I64Attr, "-1">:$axis,
                       DefaultValuedAttr<F32Attr, "1e-05">:$epsilon,
                       DefaultValuedAttr<I64Attr, "1">:$stash_type);
  let results = (outs ONNX_FloatTensor:$Y);
  let hasVerifier = 1;
}

def ONNXInstanceNormalizationOp : ONNX_InferOp<"InstanceNormalization", [],
    "inferSameAsOperand(*this, 0, inferred)"> {
  let summary = "ONNX InstanceNormalization per (N, C) over spatial dims";
  let arguments = (ins ONNX_FloatTensor:$input, ONNX_FloatTensor:$scale,
                       ONNX_FloatTensor:$B,
                       DefaultValuedAttr<F32Attr, "1e-05">:$epsilon);
  let results = (outs ONNX_FloatTensor:$output);
}

def ONNXLRNOp : ONNX_InferOp<"LRN", [], "inferSameAsOperand(*this, 0, inferred)"> {
  let summary = "ONNX LRN (local response normalization across channels)";
  let arguments = (ins ONNX_FloatTensor:$X,
                       DefaultValuedAttr<F32Attr, "0.0001">:$alpha,
                       DefaultValuedAttr<F32Attr, "0.75">:$beta,
                       DefaultValuedAttr<F32Attr, "1.0">:$bias,
                       I64Attr:$size);
  let results = (outs ONNX_FloatTensor:$Y);
}

def ONNXMeanVarianceNormalizationOp
    : ONNX_InferOp<"MeanVarianceNormalization", [],
                   "inferSameAsOperand(*this, 0, inferred)"> {
  let summary = "ONNX MeanVarianceNormalization over `axes`";
  let arguments = (ins ONNX_FloatTensor:$X,
                       OptionalAttr<I64ArrayAttr>:$axes);
  let results = (outs ONNX_FloatTensor:$Y);
}

def ONNXLpNormalizationOp : ONNX_InferOp<"LpNormalization", [],
    "inferSameAsOperand(*this, 0, inferred)"> {
  let summary = "ONNX LpNormalization along `axis`";
  let arguments = (ins ONNX_FloatTensor:$input,
                       DefaultValuedAttr<I64Attr, "-1">:$axis,
                       DefaultValuedAttr<I64Attr, "2">:$p);
  let results = (outs ONNX_FloatTensor:$output);
}

def ONNXDropoutOp : ONNX_InferOp<"Dropout"> {
  let summary = "ONNX Dropout (identity unless training_mode is true)";
  let arguments = (ins ONNX_FloatTensor:$data,
                       ONNX_Optional<ONNX_FloatTensor>:$ratio,
                       ONNX_Optional<ONNX_BoolTensor>:$training_mode,
                       OptionalAttr<I64Attr>:$seed);
  let results = (outs ONNX_FloatTensor:$output,
                      ONNX_Optional<ONNX_BoolTensor>:$mask);
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

def ONNXNegativeLogLikelihoodLossOp
    : ONNX_InferOp<"NegativeLogLikelihoodLoss"> {
  let summary = "ONNX NegativeLogLikelihoodLoss";
  let arguments = (ins ONNX_FloatTensor:$input, ONNX_IndexTensor:$target,
                       ONNX_Optional<ONNX_FloatTensor>:$weight,
                       OptionalAttr<I64Attr>:$ignore_index,
                       DefaultValuedAttr<StrAttr, "\"mean\"">:$reduction);
  let results = (outs ONNX_FloatTensor:$loss);
}

def ONNXSoftmaxCrossEntropyLossOp : ONNX_InferOp<"SoftmaxCrossEntropyLoss"> {
  let summary = "ONNX SoftmaxCrossEntropyLoss";
  let arguments = (ins ONNX_FloatTensor:$scores, ONNX_IndexTensor:$labels,
                       ONNX_Optional<ONNX_FloatTensor>:$weights,
                       OptionalAttr<I64Attr>:$ignore_index,
                       DefaultValuedAttr<StrAttr, "\"mean\"">:$reduction);
  let results = (outs ONNX_FloatTensor:$output,
                      ONNX_Optional<ONNX_FloatTensor>:$log_prob);
}

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

def ONNXQuantizeLinearOp : ONNX_InferOp<"QuantizeLinear"> {
  let summary = "ONNX QuantizeLinear (per tensor, per axis or blocked)";
  let arguments = (ins ONNX_Tensor:$x, ONNX_Tensor:$y_scale,
                       ONNX_Optional<ONNX_Tensor>:$y_zero_point,
                       DefaultValuedAttr<I64Attr, "1">:$axis,
                       DefaultValuedAttr<I64Attr, "0">:$block_size,
                       DefaultValuedAttr<I64Attr, "0">:$output_dtype,
                       DefaultValuedAttr<I64Attr, "0">:$precision,
                       DefaultValuedAttr<I64Attr, "1">:$saturate);
  let results = (outs ONNX_Tensor:$y);
}

def ONNXDequantizeLinearOp : ONNX_InferOp<"DequantizeLinear"> {
  let summary = "ONNX DequantizeLinear (per tensor, per axis or blocked)";
  let arguments = (ins ONNX_Tensor:$x, ONNX_Tensor:$x_scale,
                       ONNX_Optional<ONNX_Tensor>:$x_zero_point,
                       DefaultValuedAttr<I64Attr, "1">:$axis,
                       DefaultValuedAttr<I64Attr, "0">:$block_size,
                       DefaultValuedAttr<I64Attr, "0">:$output_dtype);
  let results = (outs ONNX_Tensor:$y);
}

def ONNXDynamicQuantizeLinearOp : ONNX_InferOp<"DynamicQuantizeLinear"> {
  let summary = "ONNX DynamicQuantizeLinear: f32 to u8 with computed scale";
  let arguments = (ins TensorOf<[F32]>:$x);
  let results = (outs TensorOf<[UI8]>:$y, TensorOf<[F32]>:$y_scale,
                      TensorOf<[UI8]>:$y_zero_point);
}

#endif // KILN_DIALECT_ONNX_IR_ONNXNNOPS_TD
