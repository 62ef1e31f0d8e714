//===- Datatypes.h - protocol names of kiln's element types -----*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The Open Inference Protocol (KServe v2) names element types "FP32",
// "INT64", "BOOL"; kiln numbers them as ONNX does. Types the protocol does
// not name (the float8, 4- and 2-bit ones) keep kiln's name, upper-cased.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_SERVER_DATATYPES_H
#define KILN_SERVER_DATATYPES_H

#include "kiln-c/kiln_types.h"

#include <string>

namespace kiln_server {

/// The protocol's name of `dtype` ("FP32"); "" for one kiln does not pass.
std::string datatypeName(kiln_dtype dtype);

/// The dtype the protocol's `name` stands for; KILN_DTYPE_UNDEFINED if
/// none.
kiln_dtype parseDatatype(const std::string &name);

} // namespace kiln_server

#endif // KILN_SERVER_DATATYPES_H
