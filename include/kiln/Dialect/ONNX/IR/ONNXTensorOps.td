//===- ONNXTensorOps.td - onnx data-movement and constants -*- tablegen -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Shape manipulation, data movement, shape computations and constants.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_ONNX_IR_ONNXTENSOROPS_TD
#define KILN_DIALECT_ONNX_IR_ONNXTENSOROPS_TD

include "kiln/Dialect/ONNX/IR/ONNXBase.td"

def ONNXNoValueOp : ONNX_Op<"NoValue", [Pure]> {
  let summary = "The value of an absent optional ONNX input";
  let arguments = (ins);
  let results = (outs NoneType:$none);
  let assemblyFormat = "attr-dict `:` type($none)";
}

def ONNXConstantOp : ONNX_InferOp<"Constant", [ConstantLike]> {
  let summary = "ONNX Constant (every value_* form imported as `value`)";
  let arguments = (ins ElementsAttr:$value);
  let results = (outs ONNX_Tensor:$output);
  let hasFolder = 1;
  let builders = [OpBuilder<(ins "::mlir::ElementsAttr":$value), [{
    build($_builder, $_state, value.getType(), value);
  }]>];
}

def ONNXConstantOfShapeOp : ONNX_InferOp<"ConstantOfShape"> {
  let summary = "ONNX ConstantOfShape: a tensor of the given shape, filled";
  let arguments = (ins ONNX_I64Tensor:$input, OptionalAttr<ElementsAttr>:$value);
  let results = (outs ONNX_Tensor:$output);
  let hasFolder = 1;
}

def ONNXShapeOp : ONNX_InferOp<"Shape"> {
  let summary = "ONNX Shape (with start/end, opset 15)";
  let arguments = (ins ONNX_Tensor:$data,
                       DefaultValuedAttr<I64Attr, "0">:$start,
                       OptionalAttr<I64Attr>:$end);
  let results = (outs ONNX_I64Tensor:$shape);
  let hasFolder = 1;
}

def ONNXSizeOp : ONNX_InferOp<"Size"> {
  let summary = "ONNX Size: the number of elements, as a 0-d i64 tensor";
  let arguments = (ins ONNX_Tensor:$data);
  let results = (outs ONNX_I64Tensor:$size);
  let hasFolder = 1;
}

def ONNXReshapeOp : ONNX_InferOp<"Reshape",
    [AllElementTypesMatch<["data", "reshaped"]>]> {
  let summary = "ONNX Reshape (shape as an input; 0 copies, -1 infers)";
  let arguments = (ins ONNX_Tensor:$data, ONNX_I64Tensor:$shape,
                       DefaultValuedAttr<I64Attr, "0">:$allowzero);
  let results = (outs ONNX_Tensor:$reshaped);
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def ONNXFlattenOp : ONNX_InferOp<"Flatten",
    [AllElementTypesMatch<["input", "output"]>]> {
  let summary = "ONNX Flatten to 2-D at `axis`";
  let arguments = (ins ONNX_Tensor:$input,
                       DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs ONNX_Tensor:$output);
}

def ONNXTransposeOp : ONNX_InferOp<"Transpose",
    [AllElementTypesMatch<["data", "transposed"]>]> {
  let summary = "ONNX Transpose (reversed dims when `perm` is absent)";
  let arguments = (ins ONNX_Tensor:$data, OptionalAttr<I64ArrayAttr>:$perm);
  let results = (outs ONNX_Tensor:$transposed);
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def ONNXConcatOp : ONNX_InferOp<"Concat", [SameOperandsAndResultElementType]> {
  let summary = "ONNX Concat along `axis`";
  let arguments = (ins Variadic<ONNX_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs ONNX_Tensor:$concat_result);
  let hasFolder = 1;
}

def ONNXSplitOp : ONNX_InferOp<"Split"> {
  let summary = "ONNX Split (sizes as an input, opset 13; num_outputs, 18)";
  let arguments = (ins ONNX_Tensor:$input,
                       ONNX_Optional<ONNX_I64Tensor>:$split,
                       DefaultValuedAttr<I64Attr, "0">:$axis,
                       OptionalAttr<I64Attr>:$num_outputs);
  let results = (outs Variadic<ONNX_Tensor>:$outputs);
}

def ONNXSliceOp : ONNX_InferOp<"Slice",
    [AllElementTypesMatch<["data", "output"]>]> {
  let summary = "ONNX Slice (bounds as inputs, opset 10+)";
  let arguments = (ins ONNX_Tensor:$data, ONNX_IndexTensor:$starts,
                       ONNX_IndexTensor:$ends,
                       ONNX_Optional<ONNX_IndexTensor>:$axes,
                       ONNX_Optional<ONNX_IndexTensor>:$steps);
  let results = (outs ONNX_Tensor:$output);
  let hasFolder = 1;
}

def ONNXGatherOp : ONNX_InferOp<"Gather",
    [AllElementTypesMatch<["data", "output"]>]> {
  let summary = "ONNX Gather along `axis`";
  let arguments = (ins ONNX_Tensor:$data, ONNX_IndexTensor:$indices,
                       DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs ONNX_Tensor:$output);
  let hasFolder = 1;
}

def ONNXSqueezeOp : ONNX_InferOp<"Squeeze",
    [AllElementTypesMatch<["data", "squeezed"]>]> {
  let summary = "ONNX Squeeze (axes as an optional input, opset 13)";
  let arguments = (ins ONNX_Tensor:$data, ONNX_Optional<ONNX_I64Tensor>:$axes);
  let results = (outs ONNX_Tensor:$squeezed);
  let hasFolder = 1;
}

def ONNXUnsqueezeOp : ONNX_InferOp<"Unsqueeze",
    [AllElementTypesMatch<["data", "expanded"]>]> {
  let summary = "ONNX Unsqueeze (axes as an input, opset 13)";
  let arguments = (ins ONNX_Tensor:$data, ONNX_I64Tensor:$axes);
  let results = (outs ONNX_Tensor:$expanded);
  let hasFolder = 1;
}

def ONNXExpandOp : ONNX_InferOp<"Expand",
    [AllElementTypesMatch<["input", "output"]>]> {
  let summary = "ONNX Expand: broadcast to a shape given as an input";
  let arguments = (ins ONNX_Tensor:$input, ONNX_I64Tensor:$shape);
  let results = (outs ONNX_Tensor:$output);
}

#endif // KILN_DIALECT_ONNX_IR_ONNXTENSOROPS_TD
