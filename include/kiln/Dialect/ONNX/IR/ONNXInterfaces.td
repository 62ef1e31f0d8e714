//===- ONNXInterfaces.td - onnx op interfaces -------------*- tablegen -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_ONNX_IR_ONNXINTERFACES_TD
#define KILN_DIALECT_ONNX_IR_ONNXINTERFACES_TD

include "mlir/IR/OpBase.td"

def ONNXOpInterface : OpInterface<"ONNXOpInterface"> {
  let description = [{
    Facts about the ONNX operator an op stands for, available before an op
    is built (through the registered op name).
  }];
  let cppNamespace = "::kiln::onnx";
  let methods = [
    StaticInterfaceMethod<"Number of ONNX inputs, or -1 if variadic.",
      "int", "getNumONNXInputs", (ins)>,
    StaticInterfaceMethod<"Number of ONNX outputs, or -1 if variadic.",
      "int", "getNumONNXOutputs", (ins)>,
  ];
}

def ShapeInferenceOpInterface : OpInterface<"ShapeInferenceOpInterface"> {
  let description = [{
    Computes result types (element type and shape, static or dynamic dims)
    from the operands' types, the attributes and constant operands. Absent
    optional results keep type `none`. The same computation verifies the op:
    a result type that contradicts the inferred one is an error, and the
    shape-inference pass refines result types to the inferred ones.
  }];
  let cppNamespace = "::kiln::onnx";
  let methods = [
    InterfaceMethod<[{
        Appends one inferred type per result. Emits an error and fails when
        operands and attributes are inconsistent. A dim or rank that cannot be
        known is dynamic (or the result unranked).
      }],
      "::mlir::LogicalResult", "inferResultTypes",
      (ins "::llvm::SmallVectorImpl<::mlir::Type> &":$inferred)>,
  ];
  let verify = [{
    return ::kiln::onnx::verifyInferredResultTypes($_op);
  }];
}

#endif // KILN_DIALECT_ONNX_IR_ONNXINTERFACES_TD
