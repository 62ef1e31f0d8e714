//===- HostTensor.cpp - a tensor the server owns --------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "server/HostTensor.h"

#include <cstdint>

using namespace kiln_server;

size_t HostTensor::elements() const {
  for (int64_t dim : dims)
    if (dim == 0)
      return 0;
  size_t count = 1;
  for (int64_t dim : dims) {
    if (dim < 0 || count > SIZE_MAX / static_cast<size_t>(dim))
      return SIZE_MAX;
    count *= static_cast<size_t>(dim);
  }
  return count;
}

size_t HostTensor::byteSize() const {
  size_t count = elements();
  size_t size = kiln_dtype_size(dtype);
  if (size && count > SIZE_MAX / size)
    return SIZE_MAX;
  return count * size;
}

kiln_tensor HostTensor::view() {
  kiln_tensor tensor;
  tensor.dtype = dtype;
  tensor.rank = static_cast<int32_t>(dims.size());
  tensor.dims = dims.data();
  tensor.data = bytes.data();
  tensor.size_bytes = bytes.size();
  return tensor;
}
