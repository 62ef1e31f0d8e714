//===- ONNXElementwiseOps.td - elementwise onnx ops -------*- tablegen -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Unary ops, activations, and ops with ONNX multidirectional broadcasting.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_ONNX_IR_ONNXELEMENTWISEOPS_TD
#define KILN_DIALECT_ONNX_IR_ONNXELEMENTWISEOPS_TD

include "kiln/Dialect/ONNX/IR/ONNXBase.td"

//===----------------------------------------------------------------------===//
// Unary: result type equals the input type.
//===----------------------------------------------------------------------===//

class ONNX_UnaryOp<string mnemonic, Type t, list<Trait> traits = []>
    : ONNX_InferOp<mnemonic, traits,
                   "inferSameAsOperand(*this, 0, inferred)"> {
  let summary = "ONNX " # mnemonic # " (elementwise)";
  let arguments = (ins t:$X);
  let results = (outs t:$Y);
}

def ONNXAbsOp : ONNX_UnaryOp<"Abs", ONNX_NumericTensor>;
def ONNXNegOp : ONNX_UnaryOp<"Neg", ONNX_NumericTensor> {
  let hasFolder = 1;
}
def ONNXExpOp : ONNX_UnaryOp<"Exp", ONNX_FloatTensor>;
def ONNXLogOp : ONNX_UnaryOp<"Log", ONNX_FloatTensor>;
def ONNXSqrtOp : ONNX_UnaryOp<"Sqrt", ONNX_FloatTensor>;
def ONNXReciprocalOp : ONNX_UnaryOp<"Reciprocal", ONNX_FloatTensor>;
def ONNXFloorOp : ONNX_UnaryOp<"Floor", ONNX_FloatTensor>;
def ONNXCeilOp : ONNX_UnaryOp<"Ceil", ONNX_FloatTensor>;
def ONNXRoundOp : ONNX_UnaryOp<"Round", ONNX_FloatTensor>;
def ONNXSignOp : ONNX_UnaryOp<"Sign", ONNX_NumericTensor>;
def ONNXSinOp : ONNX_UnaryOp<"Sin", ONNX_FloatTensor>;
def ONNXCosOp : ONNX_UnaryOp<"Cos", ONNX_FloatTensor>;
def ONNXReluOp : ONNX_UnaryOp<"Relu", ONNX_NumericTensor>;
def ONNXSigmoidOp : ONNX_UnaryOp<"Sigmoid", ONNX_FloatTensor>;
def ONNXTanhOp : ONNX_UnaryOp<"Tanh", ONNX_FloatTensor>;
def ONNXErfOp : ONNX_UnaryOp<"Erf", ONNX_FloatTensor>;
def ONNXSoftplusOp : ONNX_UnaryOp<"Softplus", ONNX_FloatTensor>;
def ONNXNotOp : ONNX_UnaryOp<"Not", ONNX_BoolTensor> {
  let hasFolder = 1;
}
def ONNXAcosOp : ONNX_UnaryOp<"Acos", ONNX_FloatTensor>;
def ONNXAcoshOp : ONNX_UnaryOp<"Acosh", ONNX_FloatTensor>;
def ONNXAsinOp : ONNX_UnaryOp<"Asin", ONNX_FloatTensor>;
def ONNXAsinhOp : ONNX_UnaryOp<"Asinh", ONNX_FloatTensor>;
def ONNXAtanOp : ONNX_UnaryOp<"Atan", ONNX_FloatTensor>;
def ONNXAtanhOp : ONNX_UnaryOp<"Atanh", ONNX_FloatTensor>;
def ONNXCoshOp : ONNX_UnaryOp<"Cosh", ONNX_FloatTensor>;
def ONNXSinhOp : ONNX_UnaryOp<"Sinh", ONNX_FloatTensor>;
def ONNXTanOp : ONNX_UnaryOp<"Tan", ONNX_FloatTensor>;
def ONNXSoftsignOp : ONNX_UnaryOp<"Softsign", ONNX_FloatTensor>;
def ONNXMishOp : ONNX_UnaryOp<"Mish", ONNX_FloatTensor>;
def ONNXHardSwishOp : ONNX_UnaryOp<"HardSwish", ONNX_FloatTensor>;
def ONNXBitwiseNotOp : ONNX_UnaryOp<"BitwiseNot", ONNX_IntTensor>;
def ONNXIdentityOp : ONNX_UnaryOp<"Identity", ONNX_Tensor> {
  let hasFolder = 1;
}

def ONNXLeakyReluOp : ONNX_UnaryOp<"LeakyRelu", ONNX_FloatTensor> {
  let arguments = (ins ONNX_FloatTensor:$X,
                       DefaultValuedAttr<F32Attr, "0.01">:$alpha);
}
def ONNXEluOp : ONNX_UnaryOp<"Elu", ONNX_FloatTensor> {
  let arguments = (ins ONNX_FloatTensor:$X,
                       DefaultValuedAttr<F32Attr, "1.0">:$alpha);
}
def ONNXSwishOp : ONNX_UnaryOp<"Swish", ONNX_FloatTensor> {
  let arguments = (ins ONNX_FloatTensor:$X,
                       DefaultValuedAttr<F32Attr, "1.0">:$alpha);
}
def ONNXHardSigmoidOp : ONNX_UnaryOp<"HardSigmoid", ONNX_FloatTensor> {
  let arguments = (ins ONNX_FloatTensor:$X,
                       DefaultValuedAttr<F32Attr, "0.2">:$alpha,
                       DefaultValuedAttr<F32Attr, "0.5">:$beta);
}
def ONNXSeluOp : ONNX_UnaryOp<"Selu", ONNX_FloatTensor> {
  let arguments = (ins ONNX_FloatTensor:$X,
                       DefaultValuedAttr<F32Attr, "1.67326319217681884765625">:$alpha,
                       DefaultValuedAttr<F32Attr, "1.05070102214813232421875">:$gamma);
}
def ONNXCeluOp : ONNX_UnaryOp<"Celu", ONNX_FloatTensor> {
  let arguments = (ins ONNX_FloatTensor:$X,
                       DefaultValuedAttr<F32Attr, "1.0">:$alpha);
}
def ONNXThresholdedReluOp : ONNX_UnaryOp<"ThresholdedRelu", ONNX_FloatTensor> {
  let arguments = (ins ONNX_FloatTensor:$X,
                       DefaultValuedAttr<F32Attr, "1.0">:$alpha);
}
def ONNXShrinkOp : ONNX_UnaryOp<"Shrink", ONNX_NumericTensor> {
  let arguments = (ins ONNX_NumericTensor:$input,
                       DefaultValuedAttr<F32Attr, "0.0">:$bias,
                       DefaultValuedAttr<F32Attr, "0.5">:$lambd);
  let results = (outs ONNX_NumericTensor:$output);
}
def ONNXHardmaxOp : ONNX_UnaryOp<"Hardmax", ONNX_FloatTensor> {
  let summary = "ONNX Hardmax along one axis (opset 13 semantics)";
  let hasVerifier = 1;
  let arguments = (ins ONNX_FloatTensor:$input,
                       DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs ONNX_FloatTensor:$output);
}
def ONNXCumSumOp : ONNX_InferOp<"CumSum", [],
                                "inferSameAsOperand(*this, 0, inferred)"> {
  let summary = "ONNX CumSum along the axis given as a scalar input";
  let hasVerifier = 1;
  let arguments = (ins ONNX_NumericTensor:$x, ONNX_IndexTensor:$axis,
                       DefaultValuedAttr<I64Attr, "0">:$exclusive,
                       DefaultValuedAttr<I64Attr, "0">:$reverse);
  let results = (outs ONNX_NumericTensor:$y);
}

def ONNXCumProdOp : ONNX_InferOp<"CumProd", [],
                                 "inferSameAsOperand(*this, 0, inferred)"> {
  let summary = "ONNX CumProd along the axis given as a scalar input";
  let hasVerifier = 1;
  let arguments = (ins ONNX_NumericTensor:$x, ONNX_IndexTensor:$axis,
                       DefaultValuedAttr<I64Attr, "0">:$exclusive,
                       DefaultValuedAttr<I64Attr, "0">:$reverse);
  let results = (outs ONNX_NumericTensor:$y);
}

/// IsNaN and IsInf: a bool per element.
class ONNX_FloatTestOp<string mnemonic>
    : ONNX_InferOp<mnemonic, [],
          "inferBroadcast(*this, ::mlir::IntegerType::get(getContext(), 1), "
          "inferred)"> {
  let summary = "ONNX " # mnemonic # " (elementwise test)";
  let results = (outs ONNX_BoolTensor:$Y);
}
def ONNXIsNaNOp : ONNX_FloatTestOp<"IsNaN"> {
  let arguments = (ins ONNX_FloatTensor:$X);
}
def ONNXIsInfOp : ONNX_FloatTestOp<"IsInf"> {
  let arguments = (ins ONNX_FloatTensor:$X,
                       DefaultValuedAttr<I64Attr, "1">:$detect_negative,
                       DefaultValuedAttr<I64Attr, "1">:$detect_positive);
}

def ONNXGeluOp : ONNX_UnaryOp<"Gelu", ONNX_FloatTensor> {
  let arguments = (ins ONNX_FloatTensor:$X,
                       DefaultValuedAttr<StrAttr, "\"none\"">:$approximate);
  let hasVerifier = 1;
}
def ONNXSoftmaxOp : ONNX_UnaryOp<"Softmax", ONNX_FloatTensor> {
  let summary = "ONNX Softmax along one axis (opset 13 semantics)";
  let arguments = (ins ONNX_FloatTensor:$X,
                       DefaultValuedAttr<I64Attr, "-1">:$axis);
  let hasVerifier = 1;
}
def ONNXLogSoftmaxOp : ONNX_UnaryOp<"LogSoftmax", ONNX_FloatTensor> {
  let summary = "ONNX LogSoftmax along one axis (opset 13 semantics)";
  let arguments = (ins ONNX_FloatTensor:$X,
                       DefaultValuedAttr<I64Attr, "-1">:$axis);
  let hasVerifier = 1;
}

def ONNXClipOp : ONNX_InferOp<"Clip", [], "inferSameAsOperand(*this, 0, inferred)"> {
  let summary = "ONNX Clip; bounds are optional scalar inputs (opset 11+)";
  let arguments = (ins ONNX_NumericTensor:$input,
                       ONNX_Optional<ONNX_NumericTensor>:$min,
                       ONNX_Optional<ONNX_NumericTensor>:$max);
  let results = (outs ONNX_NumericTensor:$output);
  let hasVerifier = 1;
}

def ONNXBitCastOp : ONNX_InferOp<"BitCast"> {
  let summary = "ONNX BitCast: the same bits read as the element type `to`";
  let description = [{
    Element types of one width only (bool counts as 8 bits, its storage).
  }];
  let arguments = (ins ONNX_Tensor:$input, I64Attr:$to);
  let results = (outs ONNX_Tensor:$output);
}

def ONNXCastOp : ONNX_InferOp<"Cast"> {
  let summary = "ONNX Cast to the element type named by `to`";
  let arguments = (ins ONNX_Tensor:$input, I64Attr:$to,
                       DefaultValuedAttr<StrAttr, "\"up\"">:$round_mode,
                       DefaultValuedAttr<I64Attr, "1">:$saturate);
  let results = (outs ONNX_Tensor:$output);
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Multidirectional broadcasting.
//===----------------------------------------------------------------------===//

class ONNX_BroadcastOp<string mnemonic, Type operandT, Type resultT,
                       string resultElt = "::mlir::Type()",
                       list<Trait> traits = []>
    : ONNX_InferOp<mnemonic, traits,
                   "inferBroadcast(*this, " # resultElt # ", inferred)"> {
  let summary = "ONNX " # mnemonic # " with multidirectional broadcasting";
  let arguments = (ins operandT:$A, operandT:$B);
  let results = (outs resultT:$C);
}

class ONNX_ArithOp<string mnemonic, list<Trait> traits = []>
    : ONNX_BroadcastOp<mnemonic, ONNX_NumericTensor, ONNX_NumericTensor,
                       "::mlir::Type()", !listconcat(traits,
                           [AllElementTypesMatch<["A", "B", "C"]>])> {
  let hasFolder = 1;
}
def ONNXAddOp : ONNX_ArithOp<"Add", [Commutative]>;
def ONNXSubOp : ONNX_ArithOp<"Sub">;
def ONNXMulOp : ONNX_ArithOp<"Mul", [Commutative]>;
def ONNXDivOp : ONNX_ArithOp<"Div">;

def ONNXPowOp : ONNX_BroadcastOp<"Pow", ONNX_NumericTensor, ONNX_NumericTensor> {
  let arguments = (ins ONNX_NumericTensor:$X, ONNX_NumericTensor:$Y);
  let results = (outs ONNX_NumericTensor:$Z);
}
def ONNXModOp : ONNX_BroadcastOp<"Mod", ONNX_NumericTensor, ONNX_NumericTensor,
                                 "::mlir::Type()",
                                 [AllElementTypesMatch<["A", "B", "C"]>]> {
  let arguments = (ins ONNX_NumericTensor:$A, ONNX_NumericTensor:$B,
                       DefaultValuedAttr<I64Attr, "0">:$fmod);
  let hasFolder = 1;
}
def ONNXPReluOp : ONNX_BroadcastOp<"PRelu", ONNX_NumericTensor,
                                   ONNX_NumericTensor, "::mlir::Type()",
                                   [AllElementTypesMatch<["X", "slope", "Y"]>]> {
  let arguments = (ins ONNX_NumericTensor:$X, ONNX_NumericTensor:$slope);
  let results = (outs ONNX_NumericTensor:$Y);
}

def ONNXBitShiftOp : ONNX_BroadcastOp<"BitShift", ONNX_IntTensor,
                                     ONNX_IntTensor, "::mlir::Type()",
                                     [AllElementTypesMatch<["X", "Y", "Z"]>]> {
  let arguments = (ins ONNX_IntTensor:$X, ONNX_IntTensor:$Y,
                       StrAttr:$direction);
  let results = (outs ONNX_IntTensor:$Z);
  let hasVerifier = 1;
}
class ONNX_BitwiseOp<string mnemonic>
    : ONNX_BroadcastOp<mnemonic, ONNX_IntTensor, ONNX_IntTensor,
                       "::mlir::Type()",
                       [AllElementTypesMatch<["A", "B", "C"]>]>;
def ONNXBitwiseAndOp : ONNX_BitwiseOp<"BitwiseAnd">;
def ONNXBitwiseOrOp : ONNX_BitwiseOp<"BitwiseOr">;
def ONNXBitwiseXorOp : ONNX_BitwiseOp<"BitwiseXor">;

def ONNXCastLikeOp : ONNX_InferOp<"CastLike", [],
    "inferBroadcast(*this, ::mlir::getElementTypeOrSelf("
    "getTargetType().getType()), inferred, /*numOperands=*/1)"> {
  let summary = "ONNX CastLike: Cast to the element type of target_type";
  let arguments = (ins ONNX_Tensor:$input, ONNX_Tensor:$target_type,
                       DefaultValuedAttr<StrAttr, "\"up\"">:$round_mode,
                       DefaultValuedAttr<I64Attr, "1">:$saturate);
  let results = (outs ONNX_Tensor:$output);
}

class ONNX_CompareOp<string mnemonic, Type operandT = ONNX_Tensor>
    : ONNX_BroadcastOp<mnemonic, operandT, ONNX_BoolTensor,
                       "::mlir::IntegerType::get(getContext(), 1)",
                       [AllElementTypesMatch<["A", "B"]>]> {
  let hasFolder = 1;
}
def ONNXEqualOp : ONNX_CompareOp<"Equal">;
def ONNXLessOp : ONNX_CompareOp<"Less", ONNX_NumericTensor>;
def ONNXLessOrEqualOp : ONNX_CompareOp<"LessOrEqual", ONNX_NumericTensor>;
def ONNXGreaterOp : ONNX_CompareOp<"Greater", ONNX_NumericTensor>;
def ONNXGreaterOrEqualOp : ONNX_CompareOp<"GreaterOrEqual", ONNX_NumericTensor>;
def ONNXAndOp : ONNX_CompareOp<"And", ONNX_BoolTensor>;
def ONNXOrOp : ONNX_CompareOp<"Or", ONNX_BoolTensor>;
def ONNXXorOp : ONNX_CompareOp<"Xor", ONNX_BoolTensor>;

class ONNX_VariadicOp<string mnemonic>
    : ONNX_InferOp<mnemonic, [SameOperandsElementType],
                   "inferBroadcast(*this, ::mlir::Type(), inferred)"> {
  let summary = "ONNX " # mnemonic # " over any number of broadcast inputs";
  let arguments = (ins Variadic<ONNX_NumericTensor>:$data_0);
  let results = (outs ONNX_NumericTensor:$result);
  let hasVerifier = 1;
}
def ONNXMaxOp : ONNX_VariadicOp<"Max"> {
  let hasFolder = 1;
}
def ONNXMinOp : ONNX_VariadicOp<"Min"> {
  let hasFolder = 1;
}
def ONNXSumOp : ONNX_VariadicOp<"Sum">;
def ONNXMeanOp : ONNX_VariadicOp<"Mean">;

def ONNXWhereOp : ONNX_InferOp<"Where",
    [AllElementTypesMatch<["X", "Y", "output"]>],
    "inferBroadcast(*this, ::mlir::getElementTypeOrSelf(getX().getType()), "
    "inferred)"> {
  let summary = "ONNX Where: select X where condition else Y, broadcast";
  let arguments = (ins ONNX_BoolTensor:$condition, ONNX_Tensor:$X,
                       ONNX_Tensor:$Y);
  let results = (outs ONNX_Tensor:$output);
  let hasFolder = 1;
}

#endif // KILN_DIALECT_ONNX_IR_ONNXELEMENTWISEOPS_TD
