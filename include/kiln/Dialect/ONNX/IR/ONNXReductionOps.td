//===- ONNXReductionOps.td - onnx reductions --------------*- tablegen -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_ONNX_IR_ONNXREDUCTIONOPS_TD
#define KILN_DIALECT_ONNX_IR_ONNXREDUCTIONOPS_TD

include "kiln/Dialect/ONNX/IR/ONNXBase.td"

/// Reductions in their opset-18 form: axes is an optional 1-D i64 input.
class ONNX_ReduceOp<string mnemonic, Type T = ONNX_NumericTensor>
    : ONNX_InferOp<mnemonic, [AllElementTypesMatch<["data", "reduced"]>],
                   "inferReduction(*this, getData(), getAxes(), getKeepdims() != 0, "
                   "getNoopWithEmptyAxes() != 0, inferred)"> {
  let summary = "ONNX " # mnemonic # " (axes as an input, opset 18 form)";
  let arguments = (ins T:$data,
                       ONNX_Optional<ONNX_I64Tensor>:$axes,
                       DefaultValuedAttr<I64Attr, "1">:$keepdims,
                       DefaultValuedAttr<I64Attr, "0">:$noop_with_empty_axes);
  let results = (outs T:$reduced);
}
def ONNXReduceMeanOp : ONNX_ReduceOp<"ReduceMean">;
def ONNXReduceSumOp : ONNX_ReduceOp<"ReduceSum">;
def ONNXReduceL1Op : ONNX_ReduceOp<"ReduceL1">;
def ONNXReduceL2Op : ONNX_ReduceOp<"ReduceL2">;
def ONNXReduceLogSumOp : ONNX_ReduceOp<"ReduceLogSum">;
def ONNXReduceLogSumExpOp : ONNX_ReduceOp<"ReduceLogSumExp">;
def ONNXReduceSumSquareOp : ONNX_ReduceOp<"ReduceSumSquare">;

/// ArgMax and ArgMin: i64 indices along one axis.
class ONNX_ArgOp<string mnemonic> : ONNX_InferOp<mnemonic> {
  let summary = "ONNX " # mnemonic # " along `axis`, as i64 indices";
  let arguments = (ins ONNX_NumericTensor:$data,
                       DefaultValuedAttr<I64Attr, "0">:$axis,
                       DefaultValuedAttr<I64Attr, "1">:$keepdims,
                       DefaultValuedAttr<I64Attr, "0">:$select_last_index);
  let results = (outs ONNX_I64Tensor:$reduced);
}
def ONNXArgMaxOp : ONNX_ArgOp<"ArgMax">;
def ONNXArgMinOp : ONNX_ArgOp<"ArgMin">;

// Opset 20 extends ReduceMax and ReduceMin to bool.
def ONNXReduceMaxOp : ONNX_ReduceOp<"ReduceMax",
    TensorOf<!listconcat([I1], ONNX_FloatTypes, ONNX_SignedTypes,
                         ONNX_UnsignedTypes)>>;
def ONNXReduceMinOp : ONNX_ReduceOp<"ReduceMin",
    TensorOf<!listconcat([I1], ONNX_FloatTypes, ONNX_SignedTypes,
                         ONNX_UnsignedTypes)>>;
def ONNXReduceProdOp : ONNX_ReduceOp<"ReduceProd">;

#endif // KILN_DIALECT_ONNX_IR_ONNXREDUCTIONOPS_TD
