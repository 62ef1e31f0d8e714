//===- ONNXOps.td - onnx dialect operations ----------------*- tablegen -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_ONNX_IR_ONNXOPS_TD
#define KILN_DIALECT_ONNX_IR_ONNXOPS_TD

include "kiln/Dialect/ONNX/IR/ONNXBase.td"
include "kiln/Dialect/ONNX/IR/ONNXElementwiseOps.td"
include "kiln/Dialect/ONNX/IR/ONNXNNOps.td"
include "kiln/Dialect/ONNX/IR/ONNXReductionOps.td"
include "kiln/Dialect/ONNX/IR/ONNXTensorOps.td"

#endif // KILN_DIALECT_ONNX_IR_ONNXOPS_TD
