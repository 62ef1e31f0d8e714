//===- ShapeHelpersTest.cpp - shape inference building blocks -------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace kiln::onnx;

namespace {

class ShapeHelpersTest : public ::testing::Test {
protected:
  ShapeHelpersTest() { ctx.loadDialect<ONNXDialect, func::FuncDialect>(); }
  /// A throwaway op to anchor diagnostics.
  Operation *anchor() {
    if (!op) {
      OpBuilder b(&ctx);
      op = ONNXNoValueOp::create(b, UnknownLoc::get(&ctx), b.getNoneType());
    }
    return op;
  }
  ~ShapeHelpersTest() override {
    if (op)
      op->erase();
  }
  MLIRContext ctx;
  Operation *op = nullptr;
};

constexpr int64_t kDyn = ShapedType::kDynamic;

TEST_F(ShapeHelpersTest, BroadcastStaticAndDynamic) {
  FailureOr<SmallVector<int64_t>> r =
      broadcastShapes(anchor(), {{kDyn, 1, 3}, {4, 1}, {5, 1, 1, 1}});
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(*r, (SmallVector<int64_t>{5, kDyn, 4, 3}));
}

TEST_F(ShapeHelpersTest, BroadcastMismatchIsAnError) {
  std::string message;
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &d) {
    message = d.str();
    return success();
  });
  EXPECT_TRUE(failed(broadcastShapes(anchor(), {{2, 3}, {4}})));
  EXPECT_NE(message.find("dim 3 vs 4"), std::string::npos) << message;
}

TEST_F(ShapeHelpersTest, NormalizeAxis) {
  ScopedDiagnosticHandler handler(&ctx, [](Diagnostic &) { return success(); });
  EXPECT_EQ(*normalizeAxis(anchor(), -1, 3), 2);
  EXPECT_EQ(*normalizeAxis(anchor(), 0, 3), 0);
  EXPECT_TRUE(failed(normalizeAxis(anchor(), 3, 3)));
  EXPECT_TRUE(failed(normalizeAxis(anchor(), -4, 3)));
}

TEST_F(ShapeHelpersTest, CompatibilityAndRefinement) {
  Type f32 = Float32Type::get(&ctx);
  Type dyn = RankedTensorType::get({kDyn, 3}, f32);
  Type stat = RankedTensorType::get({2, 3}, f32);
  Type other = RankedTensorType::get({2, 4}, f32);
  Type unranked = UnrankedTensorType::get(f32);
  Type i32 = RankedTensorType::get({2, 3}, IntegerType::get(&ctx, 32));
  EXPECT_TRUE(areCompatibleTypes(dyn, stat));
  EXPECT_TRUE(areCompatibleTypes(unranked, stat));
  EXPECT_FALSE(areCompatibleTypes(stat, other));
  EXPECT_FALSE(areCompatibleTypes(stat, i32));
  EXPECT_EQ(refineType(dyn, stat), stat);
  EXPECT_EQ(refineType(unranked, dyn), dyn);
  EXPECT_EQ(refineType(stat, unranked), stat);
}

} // namespace
