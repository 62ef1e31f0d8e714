//===- ImporterTest.cpp - whole-model import ------------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Importer/ONNX/ONNXImporter.h"

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace kiln::importer;

namespace {

class ImporterTest : public ::testing::Test {
protected:
  ImporterTest()
      : handler(&ctx, [this](Diagnostic &d) {
          messages.push_back(d.str());
          return success();
        }) {}
  ImportResult importText(StringRef text) {
    return importONNXBuffer(text, /*isText=*/true, "test.onnxtxt", ctx);
  }
  MLIRContext ctx;
  std::vector<std::string> messages;
  ScopedDiagnosticHandler handler;
};

TEST_F(ImporterTest, ImportsAGraph) {
  ImportResult r = importText(R"ONNX(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2, 3] X) => (float[3, 2] Y) {
      T = Relu(X)
      Y = Transpose(T)
    })ONNX");
  ASSERT_EQ(r.status, ImportStatus::Success);
  auto func = cast<func::FuncOp>(r.module->getBody()->front());
  EXPECT_EQ(func.getName(), "main_graph");
  SmallVector<StringRef> ops;
  func.walk([&](Operation *op) {
    if (op != func)
      ops.push_back(op->getName().getStringRef());
  });
  EXPECT_EQ(ops, (SmallVector<StringRef>{"onnx.Relu", "onnx.Transpose",
                                         "func.return"}));
  EXPECT_EQ(func.getResultTypes()[0],
            RankedTensorType::get({3, 2}, Float32Type::get(&ctx)));
}

TEST_F(ImporterTest, CountsEveryUnsupportedProblem) {
  ImportResult r = importText(R"ONNX(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2, 3] X) => (float[2, 3] Y) {
      A = Det(X)
      B = Det(A)
      C = Unique(B)
      Y = Relu(C)
    })ONNX");
  EXPECT_EQ(r.status, ImportStatus::Unsupported);
  EXPECT_FALSE(r.module);
  // Two distinct problems (Det, Unique), the first naming both Det nodes.
  EXPECT_EQ(r.numUnsupported, 2u);
  EXPECT_EQ(r.numInvalid, 0u);
  ASSERT_FALSE(messages.empty());
  EXPECT_NE(messages[0].find("nodes '#0 Det', '#1 Det'"), std::string::npos)
      << messages[0];
}

TEST_F(ImporterTest, MalformedInputIsInvalid) {
  for (StringRef bad : {StringRef(""), StringRef("\x08\x96\x01\xff\xff", 5)}) {
    ImportResult r = importONNXBuffer(bad, /*isText=*/false, "bad.onnx", ctx);
    EXPECT_EQ(r.status, ImportStatus::InvalidModel);
  }
  EXPECT_EQ(importText("< not onnx").status, ImportStatus::InvalidModel);
}

TEST_F(ImporterTest, MissingFileIsAnIOError) {
  EXPECT_EQ(importONNXFile("/nonexistent/model.onnx", ctx).status,
            ImportStatus::IOError);
}

} // namespace
