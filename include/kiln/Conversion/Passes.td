//===- Passes.td - kiln conversion passes ------------------*- tablegen -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CONVERSION_PASSES_TD
#define KILN_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertONNXToLinalgPass
    : Pass<"convert-onnx-to-linalg", "::mlir::func::FuncOp"> {
  let summary = "Lower onnx ops to linalg, tensor, arith and math";
  let description = [{
    Elementwise ops with ONNX broadcasting become `linalg.generic` (a static
    dim of 1 broadcasts; dynamic dims are taken to match the result), MatMul
    becomes `linalg.matmul`/`linalg.batch_matmul`, Gemm a matmul with
    transposes and a fused epilogue, Transpose `linalg.transpose`, Reshape
    `tensor.reshape` of a static shape, Constant `arith.constant`. An op
    without a lowering yet is an error at its ONNX node.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::cf::ControlFlowDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // KILN_CONVERSION_PASSES_TD
