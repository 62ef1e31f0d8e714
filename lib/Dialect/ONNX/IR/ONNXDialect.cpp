//===- ONNXDialect.cpp - the onnx dialect ---------------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/ONNX/IR/ONNXDialect.h"
#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

using namespace mlir;
using namespace kiln::onnx;

#include "kiln/Dialect/ONNX/IR/ONNXInterfaces.cpp.inc"
#include "kiln/Dialect/ONNX/IR/ONNXOpsDialect.cpp.inc"

void ONNXDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "kiln/Dialect/ONNX/IR/ONNXOps.cpp.inc"
      >();
}

std::string ONNXDialect::getNodeName(Location loc) {
  std::string name;
  loc->walk([&](Location l) {
    if (auto n = dyn_cast<NameLoc>(l)) {
      name = n.getName().str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return name;
}

Operation *ONNXDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ONNXConstantOp::create(builder, loc, elements);
}

#define GET_OP_CLASSES
#include "kiln/Dialect/ONNX/IR/ONNXOps.cpp.inc"
