//===- TensorImporterTest.cpp - ONNX tensors and types into MLIR ----------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "TensorImporter.h"

#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/MLIRContext.h"

#include "gtest/gtest.h"

#include <cstring>

using namespace mlir;
using namespace kiln::importer;

namespace {

class TensorImporterTest : public ::testing::Test {
protected:
  TensorImporterTest()
      : handler(&ctx,
                [this](Diagnostic &d) {
                  messages.push_back(d.str());
                  return success();
                }),
        tensors(&ctx, diags, "", /*resourceThreshold=*/16) {}

  Location loc() { return UnknownLoc::get(&ctx); }
  bool saw(StringRef text) {
    return llvm::any_of(messages, [&](const std::string &m) {
      return StringRef(m).contains(text);
    });
  }

  MLIRContext ctx;
  std::vector<std::string> messages;
  ScopedDiagnosticHandler handler;
  ImportDiagnostics diags;
  TensorImporter tensors;
};

TEST_F(TensorImporterTest, SmallRawDataBecomesDenseElements) {
  onnx::TensorProto t;
  t.set_data_type(onnx::TensorProto::FLOAT);
  t.add_dims(2);
  float values[2] = {1.5f, -2.0f};
  t.set_raw_data(std::string(reinterpret_cast<char *>(values), 8));
  FailureOr<ElementsAttr> attr = tensors.importTensor(t, loc(), "t");
  ASSERT_TRUE(succeeded(attr));
  auto dense = dyn_cast<DenseFPElementsAttr>(*attr);
  ASSERT_TRUE(dense);
  EXPECT_EQ(dense.getValues<float>()[0], 1.5f);
  EXPECT_EQ(dense.getValues<float>()[1], -2.0f);
}

TEST_F(TensorImporterTest, LargeRawDataIsAdoptedNotCopied) {
  onnx::TensorProto t;
  t.set_name("weight");
  t.set_data_type(onnx::TensorProto::INT32);
  t.add_dims(64);
  std::vector<int32_t> values(64);
  for (int i = 0; i < 64; ++i)
    values[i] = i * 3;
  t.set_raw_data(std::string(reinterpret_cast<char *>(values.data()), 256));
  const char *original = t.raw_data().data();
  FailureOr<ElementsAttr> attr = tensors.importTensor(t, loc(), "t");
  ASSERT_TRUE(succeeded(attr));
  auto resource = dyn_cast<DenseResourceElementsAttr>(*attr);
  ASSERT_TRUE(resource);
  ArrayRef<char> data = resource.getData();
  // The blob is the protobuf's own buffer: no copy was made.
  EXPECT_EQ(data.data(), original);
  ASSERT_EQ(data.size(), 256u);
  EXPECT_EQ(std::memcmp(data.data(), values.data(), 256), 0);
}

TEST_F(TensorImporterTest, TypedFieldsOfNarrowTypes) {
  onnx::TensorProto t;
  t.set_data_type(onnx::TensorProto::INT8);
  t.add_dims(3);
  for (int v : {-1, 7, 127})
    t.add_int32_data(v);
  FailureOr<ElementsAttr> attr = tensors.importTensor(t, loc(), "t");
  ASSERT_TRUE(succeeded(attr));
  auto dense = cast<DenseIntElementsAttr>(*attr);
  EXPECT_EQ(dense.getElementType(), IntegerType::get(&ctx, 8));
  EXPECT_EQ(dense.getValues<int8_t>()[0], -1);
  EXPECT_EQ(dense.getValues<int8_t>()[2], 127);
}

TEST_F(TensorImporterTest, BoolRawData) {
  onnx::TensorProto t;
  t.set_data_type(onnx::TensorProto::BOOL);
  t.add_dims(3);
  t.set_raw_data(std::string("\1\0\1", 3));
  FailureOr<ElementsAttr> attr = tensors.importTensor(t, loc(), "t");
  ASSERT_TRUE(succeeded(attr));
  auto dense = cast<DenseElementsAttr>(*attr);
  EXPECT_TRUE(dense.getValues<bool>()[0]);
  EXPECT_FALSE(dense.getValues<bool>()[1]);
}

TEST_F(TensorImporterTest, SizeMismatchIsInvalid) {
  onnx::TensorProto t;
  t.set_data_type(onnx::TensorProto::FLOAT);
  t.add_dims(4);
  t.set_raw_data(std::string(12, '\0'));
  EXPECT_TRUE(failed(tensors.importTensor(t, loc(), "t")));
  EXPECT_EQ(diags.numInvalid, 1u);
  EXPECT_TRUE(saw("needs 16"));
}

TEST_F(TensorImporterTest, NegativeDimIsInvalid) {
  onnx::TensorProto t;
  t.set_data_type(onnx::TensorProto::FLOAT);
  t.add_dims(-2);
  EXPECT_TRUE(failed(tensors.importTensor(t, loc(), "t")));
  EXPECT_TRUE(saw("invalid dim -2"));
}

TEST_F(TensorImporterTest, StringIsUnsupported) {
  onnx::TensorProto t;
  t.set_data_type(onnx::TensorProto::STRING);
  t.add_dims(1);
  t.add_string_data("x");
  EXPECT_TRUE(failed(tensors.importTensor(t, loc(), "t")));
  EXPECT_EQ(diags.numUnsupported, 1u);
  EXPECT_EQ(diags.numInvalid, 0u);
}

TEST_F(TensorImporterTest, TypeWithSymbolicDims) {
  onnx::TypeProto type;
  auto *tensor = type.mutable_tensor_type();
  tensor->set_elem_type(onnx::TensorProto::FLOAT16);
  tensor->mutable_shape()->add_dim()->set_dim_param("batch");
  tensor->mutable_shape()->add_dim()->set_dim_value(8);
  tensor->mutable_shape()->add_dim(); // Unknown, unnamed.
  SmallVector<std::string> params;
  FailureOr<Type> t = tensors.importType(type, loc(), "x", &params);
  ASSERT_TRUE(succeeded(t));
  EXPECT_EQ(
      *t, RankedTensorType::get({ShapedType::kDynamic, 8, ShapedType::kDynamic},
                                Float16Type::get(&ctx)));
  EXPECT_EQ(params, (SmallVector<std::string>{"batch", "", ""}));
}

TEST_F(TensorImporterTest, TypeWithoutShapeIsUnranked) {
  onnx::TypeProto type;
  type.mutable_tensor_type()->set_elem_type(onnx::TensorProto::INT64);
  FailureOr<Type> t = tensors.importType(type, loc(), "x");
  ASSERT_TRUE(succeeded(t));
  EXPECT_TRUE(isa<UnrankedTensorType>(*t));
}

TEST_F(TensorImporterTest, SequenceTypeIsUnsupported) {
  onnx::TypeProto type;
  type.mutable_sequence_type()
      ->mutable_elem_type()
      ->mutable_tensor_type()
      ->set_elem_type(onnx::TensorProto::FLOAT);
  EXPECT_TRUE(failed(tensors.importType(type, loc(), "x")));
  EXPECT_EQ(diags.numUnsupported, 1u);
}

} // namespace
