//===- OpsetAdaptersTest.cpp - older opset forms --------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "OpsetAdapters.h"

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace kiln::importer;
using namespace kiln::onnx;

namespace {

/// A module to build constants into, and the `none` value.
class OpsetAdaptersTest : public ::testing::Test {
protected:
  OpsetAdaptersTest() : b(&ctx) {
    ctx.loadDialect<ONNXDialect, func::FuncDialect>();
    module = ModuleOp::create(b.getUnknownLoc());
    b.setInsertionPointToStart(module->getBody());
    none = ONNXNoValueOp::create(b, b.getUnknownLoc(), b.getNoneType());
  }
  MLIRContext ctx;
  OpBuilder b;
  OwningOpRef<ModuleOp> module;
  Value none;
};

TEST_F(OpsetAdaptersTest, MinimumOpsets) {
  EXPECT_EQ(getMinSupportedOpset("Add"), 7);
  EXPECT_EQ(getMinSupportedOpset("LayerNormalization"), 17);
  EXPECT_EQ(getMinSupportedOpset("MatMul"), 1);
}

TEST_F(OpsetAdaptersTest, AxesAttributeBecomesInput) {
  for (int64_t opset : {11, 13}) {
    SmallVector<Value> operands = {none};
    NamedAttrList attrs;
    attrs.set("axes", b.getI64ArrayAttr({0, 2}));
    upgradeAttributesToInputs("ReduceSum", opset, b, b.getUnknownLoc(), none,
                              operands, attrs);
    if (opset >= 13) {
      // Already the dialect's form: nothing moves.
      EXPECT_EQ(operands.size(), 1u);
      EXPECT_TRUE(attrs.get("axes"));
      continue;
    }
    ASSERT_EQ(operands.size(), 2u);
    EXPECT_FALSE(attrs.get("axes"));
    std::optional<SmallVector<int64_t>> axes = getConstantInts(operands[1]);
    ASSERT_TRUE(axes.has_value());
    EXPECT_EQ(*axes, (SmallVector<int64_t>{0, 2}));
  }
}

TEST_F(OpsetAdaptersTest, ClipBoundsTakeTheInputType) {
  Value x = ONNXConstantOp::create(
      b, b.getUnknownLoc(),
      DenseElementsAttr::get(RankedTensorType::get({2}, b.getF16Type()),
                             b.getF16FloatAttr(1.0)));
  SmallVector<Value> operands = {x};
  NamedAttrList attrs;
  attrs.set("max", b.getF32FloatAttr(6.0));
  upgradeAttributesToInputs("Clip", 6, b, b.getUnknownLoc(), none, operands,
                            attrs);
  ASSERT_EQ(operands.size(), 3u);
  EXPECT_EQ(operands[1], none);
  EXPECT_EQ(operands[2].getType(), RankedTensorType::get({}, b.getF16Type()));
  EXPECT_TRUE(isUpgradedAttribute("Clip", 6, "max"));
  EXPECT_FALSE(isUpgradedAttribute("Clip", 11, "max"));
  EXPECT_TRUE(hasCoercedSoftmaxSemantics("Softmax", 11));
  EXPECT_FALSE(hasCoercedSoftmaxSemantics("Softmax", 13));
}

} // namespace
