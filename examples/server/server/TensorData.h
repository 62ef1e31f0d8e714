//===- TensorData.h - tensor values in the protocol's JSON ------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// A tensor's "data" in a JSON request or response: its values in row-major
// order, flat or nested. Numbers for the integer and float types, true and
// false for BOOL. Types without a JSON form here (FP16, BF16, the float8
// and packed types) are refused with a message saying so.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_SERVER_TENSORDATA_H
#define KILN_SERVER_TENSORDATA_H

#include "server/Error.h"
#include "server/HostTensor.h"

#include <nlohmann/json.hpp>

namespace kiln_server {

/// Whether values of `dtype` go through JSON in this server.
bool hasJsonValues(kiln_dtype dtype);

/// Fills `tensor.bytes` with the values of `data`, which must hold exactly
/// tensor.elements() values of tensor.dtype.
Error decodeTensorData(const nlohmann::json &data, HostTensor &tensor);

/// The values of `tensor` as a flat JSON array.
nlohmann::json encodeTensorData(const HostTensor &tensor);

} // namespace kiln_server

#endif // KILN_SERVER_TENSORDATA_H
