//===- ONNXDataType.cpp - ONNX TensorProto data types in MLIR -------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The numbering is ONNX's TensorProto.DataType enum; it is fixed by the ONNX
// IR specification, so the dialect does not depend on the protobuf headers.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/ONNX/IR/ONNXDataType.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;

namespace kiln::onnx {

namespace {
enum DataType : int64_t {
  FLOAT = 1,
  UINT8 = 2,
  INT8 = 3,
  UINT16 = 4,
  INT16 = 5,
  INT32 = 6,
  INT64 = 7,
  STRING = 8,
  BOOL = 9,
  FLOAT16 = 10,
  DOUBLE = 11,
  UINT32 = 12,
  UINT64 = 13,
  COMPLEX64 = 14,
  COMPLEX128 = 15,
  BFLOAT16 = 16,
  FLOAT8E4M3FN = 17,
  FLOAT8E4M3FNUZ = 18,
  FLOAT8E5M2 = 19,
  FLOAT8E5M2FNUZ = 20,
  UINT4 = 21,
  INT4 = 22,
  FLOAT4E2M1 = 23,
  FLOAT8E8M0 = 24,
  UINT2 = 25,
  INT2 = 26
};
} // namespace

Type convertONNXDataType(MLIRContext *ctx, int64_t dataType) {
  auto sint = [&](unsigned w) { return IntegerType::get(ctx, w); };
  auto uint = [&](unsigned w) {
    return IntegerType::get(ctx, w, IntegerType::Unsigned);
  };
  switch (dataType) {
  case FLOAT:
    return Float32Type::get(ctx);
  case DOUBLE:
    return Float64Type::get(ctx);
  case FLOAT16:
    return Float16Type::get(ctx);
  case BFLOAT16:
    return BFloat16Type::get(ctx);
  case FLOAT8E4M3FN:
    return Float8E4M3FNType::get(ctx);
  case FLOAT8E4M3FNUZ:
    return Float8E4M3FNUZType::get(ctx);
  case FLOAT8E5M2:
    return Float8E5M2Type::get(ctx);
  case FLOAT8E5M2FNUZ:
    return Float8E5M2FNUZType::get(ctx);
  case FLOAT4E2M1:
    return Float4E2M1FNType::get(ctx);
  case FLOAT8E8M0:
    return Float8E8M0FNUType::get(ctx);
  case BOOL:
    return sint(1);
  case INT2:
    return sint(2);
  case INT4:
    return sint(4);
  case INT8:
    return sint(8);
  case INT16:
    return sint(16);
  case INT32:
    return sint(32);
  case INT64:
    return sint(64);
  case UINT2:
    return uint(2);
  case UINT4:
    return uint(4);
  case UINT8:
    return uint(8);
  case UINT16:
    return uint(16);
  case UINT32:
    return uint(32);
  case UINT64:
    return uint(64);
  default:
    return Type();
  }
}

llvm::StringRef getONNXDataTypeName(int64_t dataType) {
  static const char *const names[] = {
      "UNDEFINED",      "FLOAT",      "UINT8",
      "INT8",           "UINT16",     "INT16",
      "INT32",          "INT64",      "STRING",
      "BOOL",           "FLOAT16",    "DOUBLE",
      "UINT32",         "UINT64",     "COMPLEX64",
      "COMPLEX128",     "BFLOAT16",   "FLOAT8E4M3FN",
      "FLOAT8E4M3FNUZ", "FLOAT8E5M2", "FLOAT8E5M2FNUZ",
      "UINT4",          "INT4",       "FLOAT4E2M1",
      "FLOAT8E8M0",     "UINT2",      "INT2"};
  if (dataType < 0 || dataType >= (int64_t)std::size(names))
    return "<unknown data type>";
  return names[dataType];
}

std::optional<int64_t> getONNXDataType(Type type) {
  for (int64_t dataType = FLOAT; dataType <= INT2; ++dataType)
    if (type && convertONNXDataType(type.getContext(), dataType) == type)
      return dataType;
  return std::nullopt;
}

} // namespace kiln::onnx
