//===- ReportIR.cpp - what the compile report reads from the IR -----------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/Kiln/IR/KilnDialect.h"
#include "kiln/Dialect/ONNX/IR/ONNXDialect.h"
#include "kiln/Driver/CompileReport.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <set>

using namespace mlir;

namespace kiln::driver {

namespace {
/// The bytes of a constant's value: a resource blob's, or its elements'.
int64_t getConstantBytes(Attribute value) {
  if (auto resource = dyn_cast_or_null<DenseResourceElementsAttr>(value)) {
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob())
      return blob->getData().size();
    return 0;
  }
  auto elements = dyn_cast_or_null<ElementsAttr>(value);
  if (!elements)
    return 0;
  Type element = elements.getShapedType().getElementType();
  if (!element.isIntOrFloat())
    return 0;
  return elements.getNumElements() *
         ((element.getIntOrFloatBitWidth() + 7) / 8);
}

/// The distinct ONNX nodes of the ops in `root`, in order of appearance.
std::vector<std::string> getNodes(Operation *root) {
  std::vector<std::string> nodes;
  std::set<std::string> seen;
  root->walk([&](Operation *op) {
    std::string node = onnx::ONNXDialect::getNodeName(op->getLoc());
    if (!node.empty() && seen.insert(node).second)
      nodes.push_back(node);
  });
  return nodes;
}
} // namespace

void CompileReport::countOps(ModuleOp module) {
  module.walk([&](Operation *op) {
    if (isa<onnx::ONNXDialect>(op->getDialect()))
      ++opsByKind[op->getName().getStringRef().str()];
  });
}

void CompileReport::collectGroups(ModuleOp module) {
  groups.clear();
  module.walk([&](func::FuncOp func) {
    if (func.isExternal())
      return;
    for (Operation &op : func.getBody().front()) {
      if (op.getNumRegions() == 0 &&
          !op.hasAttr(KilnDialect::kLoweringConfigAttrName))
        continue;
      std::vector<std::string> nodes = getNodes(&op);
      if (!nodes.empty())
        groups.push_back({std::move(nodes)});
    }
  });
}

void CompileReport::collectBytes(ModuleOp module) {
  workspaceBytes = weightBytes = 0;
  module.walk([&](Operation *op) {
    if (auto bytes = op->getAttrOfType<IntegerAttr>(
            KilnDialect::kWorkspaceBytesAttrName))
      workspaceBytes = std::max<int64_t>(workspaceBytes, bytes.getInt());
    if (auto global = dyn_cast<LLVM::GlobalOp>(op))
      if (global.getConstant())
        weightBytes += getConstantBytes(global.getValueOrNull());
  });
}

} // namespace kiln::driver
