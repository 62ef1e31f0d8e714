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

//===----------------------------------------------------------------------===//
// Padding, tiling, ranges and rearrangements.
//===----------------------------------------------------------------------===//

def ONNXPadOp : ONNX_InferOp<"Pad", [AllElementTypesMatch<["data", "output"]>]> {
  let summary = "ONNX Pad (pads as an input, opset 11; axes, opset 18)";
  let arguments = (ins ONNX_Tensor:$data, ONNX_I64Tensor:$pads,
                       ONNX_Optional<ONNX_Tensor>:$constant_value,
                       ONNX_Optional<ONNX_IndexTensor>:$axes,
                       DefaultValuedAttr<StrAttr, "\"constant\"">:$mode);
  let results = (outs ONNX_Tensor:$output);
}

def ONNXTileOp : ONNX_InferOp<"Tile", [AllElementTypesMatch<["input", "output"]>]> {
  let summary = "ONNX Tile: repeat the input along each dim";
  let arguments = (ins ONNX_Tensor:$input, ONNX_I64Tensor:$repeats);
  let results = (outs ONNX_Tensor:$output);
}

def ONNXRangeOp : ONNX_InferOp<"Range"> {
  let summary = "ONNX Range: start, start + delta, ... below limit";
  let arguments = (ins ONNX_NumericTensor:$start, ONNX_NumericTensor:$limit,
                       ONNX_NumericTensor:$delta);
  let results = (outs ONNX_NumericTensor:$output);
}

def ONNXTriluOp : ONNX_InferOp<"Trilu", [],
                               "inferSameAsOperand(*this, 0, inferred)"> {
  let summary = "ONNX Trilu: upper or lower triangle of the last two dims";
  let arguments = (ins ONNX_Tensor:$input, ONNX_Optional<ONNX_I64Tensor>:$k,
                       DefaultValuedAttr<I64Attr, "1">:$upper);
  let results = (outs ONNX_Tensor:$output);
}

def ONNXResizeOp : ONNX_InferOp<"Resize", [AllElementTypesMatch<["X", "Y"]>]> {
  let summary = "ONNX Resize (opset 11+ inputs; axes and aspect policy, 18)";
  let arguments = (ins ONNX_Tensor:$X,
                       ONNX_Optional<ONNX_FloatTensor>:$roi,
                       ONNX_Optional<ONNX_FloatTensor>:$scales,
                       ONNX_Optional<ONNX_I64Tensor>:$sizes,
                       DefaultValuedAttr<I64Attr, "0">:$antialias,
                       OptionalAttr<I64ArrayAttr>:$axes,
                       DefaultValuedAttr<StrAttr, "\"half_pixel\"">:$coordinate_transformation_mode,
                       DefaultValuedAttr<F32Attr, "-0.75">:$cubic_coeff_a,
                       DefaultValuedAttr<I64Attr, "0">:$exclude_outside,
                       DefaultValuedAttr<F32Attr, "0.0">:$extrapolation_value,
                       DefaultValuedAttr<StrAttr, "\"stretch\"">:$keep_aspect_ratio_policy,
                       DefaultValuedAttr<StrAttr, "\"nearest\"">:$mode,
                       DefaultValuedAttr<StrAttr, "\"round_prefer_floor\"">:$nearest_mode);
  let results = (outs ONNX_Tensor:$Y);
}

def ONNXEyeLikeOp : ONNX_InferOp<"EyeLike"> {
  let summary = "ONNX EyeLike: a 2-D identity-like tensor of the input's shape";
  let arguments = (ins ONNX_Tensor:$input, OptionalAttr<I64Attr>:$dtype,
                       DefaultValuedAttr<I64Attr, "0">:$k);
  let results = (outs ONNX_Tensor:$output);
}

def ONNXDepthToSpaceOp : ONNX_InferOp<"DepthToSpace"> {
  let summary = "ONNX DepthToSpace (DCR or CRD)";
  let arguments = (ins ONNX_Tensor:$input, I64Attr:$blocksize,
                       DefaultValuedAttr<StrAttr, "\"DCR\"">:$mode);
  let results = (outs ONNX_Tensor:$output);
}

def ONNXGridSampleOp : ONNX_InferOp<"GridSample",
    [AllElementTypesMatch<["X", "Y"]>]> {
  let summary = "ONNX GridSample: X sampled at the grid's normalized points";
  let arguments = (ins ONNX_FloatTensor:$X, ONNX_FloatTensor:$grid,
                       DefaultValuedAttr<I64Attr, "0">:$align_corners,
                       DefaultValuedAttr<StrAttr, "\"linear\"">:$mode,
                       DefaultValuedAttr<StrAttr, "\"zeros\"">:$padding_mode);
  let results = (outs ONNX_FloatTensor:$Y);
}

def ONNXReverseSequenceOp : ONNX_InferOp<"ReverseSequence",
    [AllElementTypesMatch<["input", "Y"]>],
    "inferSameAsOperand(*this, 0, inferred)"> {
  let summary = "ONNX ReverseSequence: each batch's first lens[b] steps "
                "reversed";
  let arguments = (ins ONNX_Tensor:$input, ONNX_I64Tensor:$sequence_lens,
                       DefaultValuedAttr<I64Attr, "1">:$batch_axis,
                       DefaultValuedAttr<I64Attr, "0">:$time_axis);
  let results = (outs ONNX_Tensor:$Y);
  let hasVerifier = 1;
}

def ONNXTensorScatterOp : ONNX_InferOp<"TensorScatter",
    [AllElementTypesMatch<["past_cache", "present_cache"]>],
    "inferSameAsOperand(*this, 0, inferred)"> {
  let summary = "ONNX TensorScatter: a KV-cache update at per-batch offsets";
  let arguments = (ins ONNX_Tensor:$past_cache, ONNX_Tensor:$update,
                       ONNX_Optional<ONNX_I64Tensor>:$write_indices,
                       DefaultValuedAttr<StrAttr, "\"linear\"">:$mode,
                       DefaultValuedAttr<I64Attr, "-2">:$axis);
  let results = (outs ONNX_Tensor:$present_cache);
  let hasVerifier = 1;
}

def ONNXAffineGridOp : ONNX_InferOp<"AffineGrid"> {
  let summary = "ONNX AffineGrid: sampling points of affine maps theta";
  let arguments = (ins ONNX_FloatTensor:$theta, ONNX_I64Tensor:$size,
                       DefaultValuedAttr<I64Attr, "0">:$align_corners);
  let results = (outs ONNX_FloatTensor:$grid);
  let hasVerifier = 1;
}

def ONNXCenterCropPadOp : ONNX_InferOp<"CenterCropPad"> {
  let summary = "ONNX CenterCropPad: crop or pad each axis around its center";
  let description = [{ Rewritten by `onnx-decompose`. }];
  let arguments = (ins ONNX_Tensor:$input_data, ONNX_IndexTensor:$shape,
                       OptionalAttr<I64ArrayAttr>:$axes);
  let results = (outs ONNX_Tensor:$output_data);
}

def ONNXSpaceToDepthOp : ONNX_InferOp<"SpaceToDepth"> {
  let summary = "ONNX SpaceToDepth (DCR or CRD)";
  let arguments = (ins ONNX_Tensor:$input, I64Attr:$blocksize,
                       DefaultValuedAttr<StrAttr, "\"DCR\"">:$mode);
  let results = (outs ONNX_Tensor:$output);
}

//===----------------------------------------------------------------------===//
// Indexing.
//===----------------------------------------------------------------------===//

def ONNXGatherElementsOp : ONNX_InferOp<"GatherElements",
    [AllElementTypesMatch<["data", "output"]>]> {
  let summary = "ONNX GatherElements: the output has the indices' shape";
  let arguments = (ins ONNX_Tensor:$data, ONNX_IndexTensor:$indices,
                       DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs ONNX_Tensor:$output);
}

def ONNXGatherNDOp : ONNX_InferOp<"GatherND",
    [AllElementTypesMatch<["data", "output"]>]> {
  let summary = "ONNX GatherND with batch_dims";
  let arguments = (ins ONNX_Tensor:$data, ONNX_I64Tensor:$indices,
                       DefaultValuedAttr<I64Attr, "0">:$batch_dims);
  let results = (outs ONNX_Tensor:$output);
}

class ONNX_ScatterOp<string mnemonic>
    : ONNX_InferOp<mnemonic, [AllElementTypesMatch<["data", "updates", "output"]>],
                   "inferSameAsOperand(*this, 0, inferred)"> {
  let summary = "ONNX " # mnemonic # ": data with updates written at indices";
  let results = (outs ONNX_Tensor:$output);
}
def ONNXScatterElementsOp : ONNX_ScatterOp<"ScatterElements"> {
  let arguments = (ins ONNX_Tensor:$data, ONNX_IndexTensor:$indices,
                       ONNX_Tensor:$updates,
                       DefaultValuedAttr<I64Attr, "0">:$axis,
                       DefaultValuedAttr<StrAttr, "\"none\"">:$reduction);
}
def ONNXScatterNDOp : ONNX_ScatterOp<"ScatterND"> {
  let arguments = (ins ONNX_Tensor:$data, ONNX_I64Tensor:$indices,
                       ONNX_Tensor:$updates,
                       DefaultValuedAttr<StrAttr, "\"none\"">:$reduction);
}

def ONNXOneHotOp : ONNX_InferOp<"OneHot"> {
  let summary = "ONNX OneHot: a new axis of size `depth`";
  let arguments = (ins ONNX_NumericTensor:$indices, ONNX_NumericTensor:$depth,
                       ONNX_Tensor:$values,
                       DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs ONNX_Tensor:$output);
}

def ONNXTopKOp : ONNX_InferOp<"TopK"> {
  let summary = "ONNX TopK (K as an input, opset 10)";
  let arguments = (ins ONNX_NumericTensor:$X, ONNX_I64Tensor:$K,
                       DefaultValuedAttr<I64Attr, "-1">:$axis,
                       DefaultValuedAttr<I64Attr, "1">:$largest,
                       DefaultValuedAttr<I64Attr, "1">:$sorted);
  let results = (outs ONNX_NumericTensor:$Values, ONNX_I64Tensor:$Indices);
}

#endif // KILN_DIALECT_ONNX_IR_ONNXTENSOROPS_TD
