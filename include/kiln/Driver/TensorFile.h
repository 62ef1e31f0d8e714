//===- TensorFile.h - tensors, dtypes and tensor files ----------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// A tensor as the model's ABI passes it (dense, one element per byte for the
// 4- and 2-bit types), the dtype helpers kiln-run and calibration need, and
// tensor files: ONNX TensorProto files (input_<i>.pb, output_<i>.pb) read
// and written, NumPy .npy files read.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DRIVER_TENSORFILE_H
#define KILN_DRIVER_TENSORFILE_H

#include "kiln/Driver/ModelRunner.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kiln::driver {

/// A tensor as dense little-endian bytes of its dtype.
using Tensor = kiln::driver::HostTensor;

inline size_t dtypeSize(int dtype) {
  return kiln_dtype_size(static_cast<kiln_dtype>(dtype));
}

/// Most elements a tensor file may hold (2^40).
inline constexpr int64_t kMaxElements = int64_t(1) << 40;

/// The elements of `dims`; -1 for a negative dim or more than
/// kMaxElements.
int64_t numElements(const std::vector<int64_t> &dims);

/// Bits per element of the types ONNX packs several to a byte; 0 for
/// others. kiln's ABI passes them one per byte.
unsigned packedBits(int dtype);

/// A packed element's low bits as the ABI's byte (sign-extended for int4
/// and int2).
uint8_t widenPacked(int dtype, unsigned bits, uint8_t v);

bool isFloat(kiln_dtype dtype);

/// The element of `dtype` at `p` as a double.
double decodeValue(kiln_dtype dtype, const char *p);

/// Element `i` as a double, for comparison.
double element(const Tensor &t, int64_t i);

/// ONNX's name of a data type (kiln's dtypes are ONNX's numbers), lower
/// case: "float", "bfloat16", "float8e4m3fn".
std::string dtypeName(kiln_dtype dtype);

/// "[2,3]"; "[]" for a scalar.
std::string shapeString(const std::vector<int64_t> &dims);

/// Reads a TensorProto file; returns an error message or "".
std::string readTensor(llvm::StringRef path, Tensor &tensor);

/// Reads a NumPy .npy file (version 1-3, C order, little-endian numeric
/// dtypes); returns an error message or "".
std::string readNpy(llvm::StringRef path, Tensor &tensor);

/// readNpy for a path ending in .npy, readTensor otherwise.
std::string readTensorFile(llvm::StringRef path, Tensor &tensor);

/// Writes `tensor` as a TensorProto named `name` (raw_data, the 4- and
/// 2-bit types packed as ONNX packs them).
bool writeTensor(llvm::StringRef path, llvm::StringRef name,
                 const Tensor &tensor);

} // namespace kiln::driver

#endif // KILN_DRIVER_TENSORFILE_H
