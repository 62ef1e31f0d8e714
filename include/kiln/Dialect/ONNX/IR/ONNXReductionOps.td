//===- ONNXReductionOps.td - onnx reductions --------------*- tablegen -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_ONNX_IR_ONNXREDUCTIONOPS_TD
#define KILN_DIALECT_ONNX_IR_ONNXREDUCTIONOPS_TD

include "kiln/Dialect/ONNX/IR/ONNXBase.td"

/// Reductions in their opset-18 form: axes is an optional 1-D i64 input.
class ONNX_ReduceOp<string mnemonic>
    : ONNX_InferOp<mnemonic, [AllElementTypesMatch<["data", "reduced"]>],
                   "inferReduction(*this, getData(), getAxes(), getKeepdims() != 0, "
                   "getNoopWithEmptyAxes() != 0, inferred)"> {
  let summary = "ONNX " # mnemonic # " (axes as an input, opset 18 form)";
  let arguments = (ins ONNX_NumericTensor:$data,
                       ONNX_Optional<ONNX_I64Tensor>:$axes,
                       DefaultValuedAttr<I64Attr, "1">:$keepdims,
                       DefaultValuedAttr<I64Attr, "0">:$noop_with_empty_axes);
  let results = (outs ONNX_NumericTensor:$reduced);
}
def ONNXReduceMeanOp : ONNX_ReduceOp<"ReduceMean">;
def ONNXReduceSumOp : ONNX_ReduceOp<"ReduceSum">;
def ONNXReduceMaxOp : ONNX_ReduceOp<"ReduceMax">;
def ONNXReduceMinOp : ONNX_ReduceOp<"ReduceMin">;
def ONNXReduceProdOp : ONNX_ReduceOp<"ReduceProd">;

#endif // KILN_DIALECT_ONNX_IR_ONNXREDUCTIONOPS_TD
