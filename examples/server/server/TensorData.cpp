//===- TensorData.cpp - tensor values in the protocol's JSON --------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "server/TensorData.h"

#include "server/Datatypes.h"

#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

using namespace kiln_server;
using nlohmann::json;

namespace {

/// Converts one JSON value to T; false when it is not a T (a string for
/// a number, 1.5 or 300 for a UINT8, a number for a BOOL).
template <typename T> bool convert(const json &value, T &out) {
  if constexpr (std::is_same_v<T, bool>) {
    if (!value.is_boolean())
      return false;
    out = value.get<bool>();
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!value.is_number())
      return false;
    out = static_cast<T>(value.get<double>());
  } else if (value.is_number_unsigned()) {
    uint64_t v = value.get<uint64_t>();
    if (v > static_cast<uint64_t>(std::numeric_limits<T>::max()))
      return false;
    out = static_cast<T>(v);
  } else if (value.is_number_integer()) {
    int64_t v = value.get<int64_t>();
    if (v < static_cast<int64_t>(std::numeric_limits<T>::min()) ||
        (v > 0 && static_cast<uint64_t>(v) >
                      static_cast<uint64_t>(std::numeric_limits<T>::max())))
      return false;
    out = static_cast<T>(v);
  } else {
    return false;
  }
  return true;
}

/// Arrays nest at most this deep: a tensor of rank 64 would be odd, and
/// the decoding recurses.
constexpr int kMaxDepth = 64;

/// The number of leaves of a (possibly nested) array; false when it nests
/// deeper than kMaxDepth.
bool countValues(const json &data, int depth, size_t &count) {
  if (!data.is_array()) {
    ++count;
    return true;
  }
  if (depth == kMaxDepth)
    return false;
  for (const json &element : data)
    if (!countValues(element, depth + 1, count))
      return false;
  return true;
}

/// Writes the leaves of a (possibly nested) array, row-major, to `out`;
/// stops at the first one that is not a T.
template <typename T> struct Decoder {
  T *out;
  size_t count = 0;

  Error visit(const json &value) {
    if (value.is_array()) {
      for (const json &element : value)
        if (Error error = visit(element))
          return error;
      return Error::none();
    }
    T converted;
    if (!convert(value, converted))
      return Error::badRequest("value " + std::to_string(count) + " (" +
                               abbreviate(value.dump()) + ") is not a valid " +
                               typeName());
    std::memcpy(out + count++, &converted, sizeof(T));
    return Error::none();
  }

  static std::string typeName() {
    if constexpr (std::is_same_v<T, bool>)
      return "BOOL (true or false)";
    else if constexpr (std::is_floating_point_v<T>)
      return "number";
    else
      return "integer in [" +
             std::to_string(int64_t(std::numeric_limits<T>::min())) + ", " +
             std::to_string(uint64_t(std::numeric_limits<T>::max())) + "]";
  }
};

/// Counts first, so that a shape larger than its data allocates nothing.
template <typename T> Error decodeAs(const json &data, HostTensor &tensor) {
  size_t elements = tensor.elements();
  if (elements == SIZE_MAX)
    return Error::badRequest("the shape has too many elements");
  size_t values = 0;
  if (!countValues(data, 0, values))
    return Error::badRequest("data nests deeper than " +
                             std::to_string(kMaxDepth) + " arrays");
  if (values != elements)
    return Error::badRequest("shape has " + std::to_string(elements) +
                             " elements, data has " + std::to_string(values));
  tensor.bytes.resize(elements * sizeof(T));
  Decoder<T> decoder{reinterpret_cast<T *>(tensor.bytes.data())};
  return decoder.visit(data);
}

template <typename T> json encodeAs(const HostTensor &tensor) {
  const T *values = reinterpret_cast<const T *>(tensor.bytes.data());
  return json(std::vector<T>(values, values + tensor.elements()));
}

/// The dtypes with JSON values and their C types.
#define KILN_SERVER_JSON_TYPES(X)                                              \
  X(BOOL, bool)                                                                \
  X(UINT8, uint8_t)                                                            \
  X(INT8, int8_t)                                                              \
  X(UINT16, uint16_t)                                                          \
  X(INT16, int16_t)                                                            \
  X(UINT32, uint32_t)                                                          \
  X(INT32, int32_t)                                                            \
  X(UINT64, uint64_t)                                                          \
  X(INT64, int64_t)                                                            \
  X(FLOAT32, float)                                                            \
  X(FLOAT64, double)

} // namespace

bool kiln_server::hasJsonValues(kiln_dtype dtype) {
  switch (dtype) {
#define KILN_SERVER_CASE_(name, type)                                          \
  case KILN_DTYPE_##name:                                                      \
    return true;
    KILN_SERVER_JSON_TYPES(KILN_SERVER_CASE_)
#undef KILN_SERVER_CASE_
  default:
    return false;
  }
}

Error kiln_server::decodeTensorData(const json &data, HostTensor &tensor) {
  if (!data.is_array())
    return Error::badRequest("data is not an array");
  switch (tensor.dtype) {
#define KILN_SERVER_CASE_(name, type)                                          \
  case KILN_DTYPE_##name:                                                      \
    return decodeAs<type>(data, tensor);
    KILN_SERVER_JSON_TYPES(KILN_SERVER_CASE_)
#undef KILN_SERVER_CASE_
  default:
    return Error::badRequest("datatype " + datatypeName(tensor.dtype) +
                             " has no JSON values in this server");
  }
}

json kiln_server::encodeTensorData(const HostTensor &tensor) {
  switch (tensor.dtype) {
#define KILN_SERVER_CASE_(name, type)                                          \
  case KILN_DTYPE_##name:                                                      \
    return encodeAs<type>(tensor);
    KILN_SERVER_JSON_TYPES(KILN_SERVER_CASE_)
#undef KILN_SERVER_CASE_
  default:
    return json::array();
  }
}
