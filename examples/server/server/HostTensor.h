//===- HostTensor.h - a tensor the server owns ------------------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// A request's input or a run's output: name, element type, dims and its
// dense row-major bytes, and the kiln_tensor through which a model reads
// or writes them.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_SERVER_HOSTTENSOR_H
#define KILN_SERVER_HOSTTENSOR_H

#include "kiln-c/kiln_types.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kiln_server {

struct HostTensor {
  std::string name;
  kiln_dtype dtype = KILN_DTYPE_UNDEFINED;
  std::vector<int64_t> dims;
  std::vector<unsigned char> bytes;

  /// The number of elements the dims hold; SIZE_MAX when a dim is
  /// negative or the product overflows.
  size_t elements() const;
  /// The bytes of its elements; SIZE_MAX when elements() is.
  size_t byteSize() const;
  /// The ABI's view of this tensor: its dims and data point in here.
  kiln_tensor view();
};

} // namespace kiln_server

#endif // KILN_SERVER_HOSTTENSOR_H
