//===- TensorFile.cpp - tensors, dtypes and tensor files ------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Driver/TensorFile.h"

#include "onnx/onnx_pb.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cmath>
#include <cstring>
#include <fstream>

namespace kiln::driver {
namespace {
template <typename T, typename Field>
void appendAs(std::vector<char> &bytes, const Field &field) {
  for (auto value : field) {
    T v = static_cast<T>(value);
    const char *p = reinterpret_cast<const char *>(&v);
    bytes.insert(bytes.end(), p, p + sizeof(T));
  }
}

float halfToFloat(uint16_t h) {
  uint32_t sign = (h >> 15) & 1, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
  float value;
  if (exp == 0)
    value = std::ldexp((float)mant, -24);
  else if (exp == 31)
    value = mant ? NAN : INFINITY;
  else
    value = std::ldexp((float)(mant | 0x400), (int)exp - 25);
  return sign ? -value : value;
}

/// A float8 or float4 code as a double. `fnuz`: no negative zero or
/// infinity, NaN is the sign bit alone; `ieee` (E5M2): the top exponent
/// holds infinity and NaNs; otherwise (E4M3FN) the all-ones magnitude is
/// NaN, and E2M1 has neither.
double decodeNarrowFloat(uint8_t v, int expBits, int manBits, int bias,
                         bool fnuz, bool ieee) {
  int magBits = expBits + manBits;
  if (fnuz && v == 0x80)
    return NAN;
  unsigned mag = v & ((1u << magBits) - 1), sign = (v >> magBits) & 1;
  unsigned ef = mag >> manBits, mant = mag & ((1u << manBits) - 1);
  if (!fnuz && !ieee && expBits == 4 && mag == 0x7F)
    return NAN;
  if (ieee && ef == (1u << expBits) - 1)
    return mant ? NAN : (sign ? -INFINITY : INFINITY);
  double value = ef == 0 ? std::ldexp((double)mant, 1 - bias - manBits)
                         : std::ldexp((double)(mant | (1u << manBits)),
                                      (int)ef - bias - manBits);
  return sign ? -value : value;
}

} // namespace

/// Bits per element of the types ONNX packs several to a byte; 0 for
/// others. kiln's ABI passes them one per byte.
unsigned packedBits(int dtype) {
  switch (dtype) {
  case KILN_DTYPE_UINT4:
  case KILN_DTYPE_INT4:
  case KILN_DTYPE_FLOAT4E2M1:
    return 4;
  case KILN_DTYPE_UINT2:
  case KILN_DTYPE_INT2:
    return 2;
  default:
    return 0;
  }
}

/// A packed element's low bits as the ABI's byte (sign-extended for int4
/// and int2).
uint8_t widenPacked(int dtype, unsigned bits, uint8_t v) {
  v &= (1u << bits) - 1;
  bool isSigned = dtype == KILN_DTYPE_INT4 || dtype == KILN_DTYPE_INT2;
  if (isSigned && (v >> (bits - 1)))
    v |= (uint8_t)(0xFFu << bits);
  return v;
}

int64_t numElements(const std::vector<int64_t> &dims) {
  int64_t n = 1;
  for (int64_t d : dims)
    if (d < 0 || __builtin_mul_overflow(n, d, &n) || n > kMaxElements)
      return -1;
  return n;
}

/// Reads a TensorProto file; returns an error message or "".
std::string readTensor(llvm::StringRef path, Tensor &tensor) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return "cannot read " + path.str() + ": " + buffer.getError().message();
  onnx::TensorProto proto;
  if (!proto.ParseFromArray((*buffer)->getBufferStart(),
                            (int)(*buffer)->getBufferSize()))
    return path.str() + " is not a TensorProto";
  tensor.dtype = static_cast<kiln_dtype>(proto.data_type());
  size_t size = dtypeSize(proto.data_type());
  if (!size)
    return path.str() + ": data type " + std::to_string(proto.data_type()) +
           " is not supported by kiln-run";
  tensor.dims.assign(proto.dims().begin(), proto.dims().end());
  if (numElements(tensor.dims) < 0)
    return path.str() + ": too many elements, or a negative dim";
  if (proto.data_location() == onnx::TensorProto::EXTERNAL)
    return path.str() + ": external data is not supported by kiln-run";
  if (proto.has_raw_data()) {
    tensor.bytes.assign(proto.raw_data().begin(), proto.raw_data().end());
  } else {
    switch (proto.data_type()) {
    case KILN_DTYPE_FLOAT32:
      appendAs<float>(tensor.bytes, proto.float_data());
      break;
    case KILN_DTYPE_FLOAT64:
      appendAs<double>(tensor.bytes, proto.double_data());
      break;
    case KILN_DTYPE_INT64:
      appendAs<int64_t>(tensor.bytes, proto.int64_data());
      break;
    case KILN_DTYPE_UINT32:
      appendAs<uint32_t>(tensor.bytes, proto.uint64_data());
      break;
    case KILN_DTYPE_UINT64:
      appendAs<uint64_t>(tensor.bytes, proto.uint64_data());
      break;
    case KILN_DTYPE_INT32:
      appendAs<int32_t>(tensor.bytes, proto.int32_data());
      break;
    case KILN_DTYPE_INT16:
    case KILN_DTYPE_UINT16:
    case KILN_DTYPE_FLOAT16:
    case KILN_DTYPE_BFLOAT16:
      appendAs<uint16_t>(tensor.bytes, proto.int32_data());
      break;
    default: // int8, uint8, bool
      appendAs<uint8_t>(tensor.bytes, proto.int32_data());
      break;
    }
  }
  if (unsigned bits = packedBits(proto.data_type())) {
    // Packed low bits first; unpacked to one element per byte.
    int64_t n = numElements(tensor.dims);
    if ((int64_t)tensor.bytes.size() * 8 < n * bits)
      return path.str() + ": too few data bytes for its dims";
    std::vector<char> packed = std::move(tensor.bytes);
    tensor.bytes.resize(n);
    for (int64_t i = 0; i < n; ++i) {
      uint8_t byte = (uint8_t)packed[i * bits / 8];
      tensor.bytes[i] =
          (char)widenPacked(proto.data_type(), bits, byte >> ((i * bits) % 8));
    }
  }
  if ((int64_t)tensor.bytes.size() != numElements(tensor.dims) * (int64_t)size)
    return path.str() + ": " + std::to_string(tensor.bytes.size()) +
           " data bytes do not match its dims";
  return "";
}

namespace {
/// The dtype of a .npy `descr` ("<f4", "|u1"); UNDEFINED if kiln has none.
kiln_dtype npyDtype(llvm::StringRef descr) {
  if (descr.size() < 3 || descr[0] == '>')
    return KILN_DTYPE_UNDEFINED;
  return llvm::StringSwitch<kiln_dtype>(descr.drop_front())
      .Case("f4", KILN_DTYPE_FLOAT32)
      .Case("f8", KILN_DTYPE_FLOAT64)
      .Case("f2", KILN_DTYPE_FLOAT16)
      .Case("i1", KILN_DTYPE_INT8)
      .Case("u1", KILN_DTYPE_UINT8)
      .Case("b1", KILN_DTYPE_BOOL)
      .Case("i2", KILN_DTYPE_INT16)
      .Case("u2", KILN_DTYPE_UINT16)
      .Case("i4", KILN_DTYPE_INT32)
      .Case("u4", KILN_DTYPE_UINT32)
      .Case("i8", KILN_DTYPE_INT64)
      .Case("u8", KILN_DTYPE_UINT64)
      .Default(KILN_DTYPE_UNDEFINED);
}

/// The text after `'key':` in a .npy header's dict, trimmed.
llvm::StringRef npyField(llvm::StringRef header, llvm::StringRef key) {
  size_t at = header.find(("'" + key + "'").str());
  if (at == llvm::StringRef::npos)
    return "";
  llvm::StringRef rest = header.drop_front(at + key.size() + 2).ltrim();
  return rest.consume_front(":") ? rest.ltrim() : "";
}

/// Parses a .npy header dict into `tensor`'s dtype and dims.
std::string parseNpyHeader(llvm::StringRef header, Tensor &tensor) {
  llvm::StringRef descr = npyField(header, "descr");
  if (!descr.consume_front("'"))
    return "no descr";
  tensor.dtype = npyDtype(descr.take_until([](char c) { return c == '\''; }));
  if (tensor.dtype == KILN_DTYPE_UNDEFINED)
    return "dtype " + descr.take_until([](char c) { return c == '\''; }).str() +
           " is not supported";
  if (npyField(header, "fortran_order").starts_with("True"))
    return "Fortran order is not supported";
  llvm::StringRef shape = npyField(header, "shape");
  if (!shape.consume_front("("))
    return "no shape";
  shape = shape.take_until([](char c) { return c == ')'; });
  llvm::SmallVector<llvm::StringRef> parts;
  shape.split(parts, ',', -1, /*KeepEmpty=*/false);
  tensor.dims.clear();
  for (llvm::StringRef part : parts) {
    int64_t dim;
    if (part.trim().getAsInteger(10, dim) || dim < 0)
      return "bad shape";
    tensor.dims.push_back(dim);
  }
  return "";
}
} // namespace

std::string readNpy(llvm::StringRef path, Tensor &tensor) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return "cannot read " + path.str() + ": " + buffer.getError().message();
  llvm::StringRef data = (*buffer)->getBuffer();
  if (data.size() < 10 || !data.starts_with("\x93NUMPY"))
    return path.str() + " is not a .npy file";
  unsigned major = (uint8_t)data[6];
  if (major < 1 || major > 3)
    return path.str() + ": .npy version " + std::to_string(major) +
           " is not supported";
  size_t lengthBytes = major == 1 ? 2 : 4;
  size_t headerLength = 0;
  for (size_t i = 0; i < lengthBytes && 8 + i < data.size(); ++i)
    headerLength |= (size_t)(uint8_t)data[8 + i] << (8 * i);
  size_t start = 8 + lengthBytes;
  if (start + headerLength > data.size())
    return path.str() + ": truncated header";
  std::string error = parseNpyHeader(data.substr(start, headerLength), tensor);
  if (!error.empty())
    return path.str() + ": " + error;
  llvm::StringRef payload = data.drop_front(start + headerLength);
  int64_t elements = numElements(tensor.dims);
  if (elements < 0)
    return path.str() + ": too many elements";
  size_t bytes = elements * dtypeSize(tensor.dtype);
  if (payload.size() != bytes)
    return path.str() + ": " + std::to_string(payload.size()) +
           " data bytes do not match its shape";
  tensor.bytes.assign(payload.begin(), payload.end());
  return "";
}

std::string readTensorFile(llvm::StringRef path, Tensor &tensor) {
  return path.ends_with(".npy") ? readNpy(path, tensor)
                                : readTensor(path, tensor);
}

bool writeTensor(llvm::StringRef path, llvm::StringRef name,
                 const Tensor &tensor) {
  onnx::TensorProto proto;
  proto.set_name(name.str());
  proto.set_data_type(tensor.dtype);
  for (int64_t d : tensor.dims)
    proto.add_dims(d);
  if (unsigned bits = packedBits(tensor.dtype)) {
    int64_t n = numElements(tensor.dims);
    std::string packed((n * bits + 7) / 8, '\0');
    for (int64_t i = 0; i < n; ++i)
      packed[i * bits / 8] |=
          (char)(((uint8_t)tensor.bytes[i] & ((1u << bits) - 1))
                 << ((i * bits) % 8));
    proto.set_raw_data(packed);
  } else {
    proto.set_raw_data(tensor.bytes.data(), tensor.bytes.size());
  }
  std::ofstream os(path.str(), std::ios::binary);
  return os && proto.SerializeToOstream(&os);
}

double decodeValue(kiln_dtype dtype, const char *p) {
  auto load = [&](auto v) {
    std::memcpy(&v, p, sizeof(v));
    return v;
  };
  switch (dtype) {
  case KILN_DTYPE_FLOAT32:
    return load(float());
  case KILN_DTYPE_FLOAT64:
    return load(double());
  case KILN_DTYPE_FLOAT16:
    return halfToFloat(load(uint16_t()));
  case KILN_DTYPE_BFLOAT16: {
    uint32_t bits = (uint32_t)load(uint16_t()) << 16;
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
  }
  case KILN_DTYPE_FLOAT8E4M3FN:
    return decodeNarrowFloat(load(uint8_t()), 4, 3, 7, false, false);
  case KILN_DTYPE_FLOAT8E4M3FNUZ:
    return decodeNarrowFloat(load(uint8_t()), 4, 3, 8, true, false);
  case KILN_DTYPE_FLOAT8E5M2:
    return decodeNarrowFloat(load(uint8_t()), 5, 2, 15, false, true);
  case KILN_DTYPE_FLOAT8E5M2FNUZ:
    return decodeNarrowFloat(load(uint8_t()), 5, 2, 16, true, false);
  case KILN_DTYPE_FLOAT4E2M1:
    return decodeNarrowFloat(load(uint8_t()) & 0xF, 2, 1, 1, false, false);
  case KILN_DTYPE_INT4:
  case KILN_DTYPE_UINT4:
  case KILN_DTYPE_INT2:
  case KILN_DTYPE_UINT2: {
    int8_t v = (int8_t)widenPacked(dtype, packedBits(dtype), load(uint8_t()));
    return dtype == KILN_DTYPE_INT4 || dtype == KILN_DTYPE_INT2
               ? (double)v
               : (double)(uint8_t)v;
  }
  case KILN_DTYPE_INT8:
    return load(int8_t());
  case KILN_DTYPE_UINT8:
  case KILN_DTYPE_BOOL:
    return load(uint8_t());
  case KILN_DTYPE_INT16:
    return load(int16_t());
  case KILN_DTYPE_UINT16:
    return load(uint16_t());
  case KILN_DTYPE_INT32:
    return load(int32_t());
  case KILN_DTYPE_UINT32:
    return load(uint32_t());
  case KILN_DTYPE_INT64:
    return (double)load(int64_t());
  case KILN_DTYPE_UINT64:
    return (double)load(uint64_t());
  default:
    return 0;
  }
}

double element(const Tensor &t, int64_t i) {
  return decodeValue(t.dtype, t.bytes.data() + i * dtypeSize(t.dtype));
}

bool isFloat(kiln_dtype dtype) {
  return dtype == KILN_DTYPE_FLOAT32 || dtype == KILN_DTYPE_FLOAT64 ||
         dtype == KILN_DTYPE_FLOAT16 || dtype == KILN_DTYPE_BFLOAT16 ||
         (dtype >= KILN_DTYPE_FLOAT8E4M3FN &&
          dtype <= KILN_DTYPE_FLOAT8E5M2FNUZ) ||
         dtype == KILN_DTYPE_FLOAT4E2M1;
}

/// ONNX's name of a data type (kiln's dtypes are ONNX's numbers), lower
/// case: "float", "bfloat16", "float8e4m3fn".
std::string dtypeName(kiln_dtype dtype) {
  if (!::onnx::TensorProto_DataType_IsValid(dtype))
    return "unknown";
  return llvm::StringRef(::onnx::TensorProto_DataType_Name(
                             (::onnx::TensorProto_DataType)dtype))
      .lower();
}

std::string shapeString(const std::vector<int64_t> &dims) {
  std::string s = "[";
  for (size_t d = 0; d < dims.size(); ++d)
    s += (d ? "," : "") + std::to_string(dims[d]);
  return s + "]";
}

} // namespace kiln::driver
