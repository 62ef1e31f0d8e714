//===- ONNXOps.h - onnx dialect operations ----------------------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_ONNX_IR_ONNXOPS_H
#define KILN_DIALECT_ONNX_IR_ONNXOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "kiln/Dialect/ONNX/IR/ONNXDialect.h"
#include "kiln/Dialect/ONNX/IR/ONNXShapeHelpers.h"

#include "kiln/Dialect/ONNX/IR/ONNXInterfaces.h.inc"

#define GET_OP_CLASSES
#include "kiln/Dialect/ONNX/IR/ONNXOps.h.inc"

#endif // KILN_DIALECT_ONNX_IR_ONNXOPS_H
