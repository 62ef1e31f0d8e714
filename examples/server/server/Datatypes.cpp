//===- Datatypes.cpp - protocol names of kiln's element types -------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "server/Datatypes.h"

#include <algorithm>
#include <cctype>

using namespace kiln_server;

namespace {
/// The names the protocol gives; other dtypes use their kiln name.
const char *protocolName(kiln_dtype dtype) {
  switch (dtype) {
  case KILN_DTYPE_BOOL:
    return "BOOL";
  case KILN_DTYPE_FLOAT16:
    return "FP16";
  case KILN_DTYPE_BFLOAT16:
    return "BF16";
  case KILN_DTYPE_FLOAT32:
    return "FP32";
  case KILN_DTYPE_FLOAT64:
    return "FP64";
  default:
    return nullptr;
  }
}

/// Every dtype the ABI passes, from kiln_types.h's table.
constexpr kiln_dtype kAllDtypes[] = {
#define KILN_SERVER_DTYPE_(name, value, bytes, text) KILN_DTYPE_##name,
    KILN_DTYPES(KILN_SERVER_DTYPE_)
#undef KILN_SERVER_DTYPE_
};
} // namespace

std::string kiln_server::datatypeName(kiln_dtype dtype) {
  if (const char *name = protocolName(dtype))
    return name;
  const char *text = kiln_dtype_name(dtype);
  if (!text)
    return "";
  std::string name = text; // "int64" -> "INT64"
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return std::toupper(c); });
  return name;
}

kiln_dtype kiln_server::parseDatatype(const std::string &name) {
  for (kiln_dtype dtype : kAllDtypes)
    if (datatypeName(dtype) == name)
      return dtype;
  return KILN_DTYPE_UNDEFINED;
}
