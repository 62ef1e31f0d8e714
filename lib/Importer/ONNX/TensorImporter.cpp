//===- TensorImporter.cpp - ONNX tensors and types into MLIR --------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "TensorImporter.h"

#include "kiln/Dialect/ONNX/IR/ONNXDataType.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cstring>

using namespace mlir;

namespace kiln::importer {

/// Bytes per element of a byte-addressable element type, 0 otherwise.
static size_t getByteWidth(Type elt) {
  unsigned bits = elt.getIntOrFloatBitWidth();
  if (bits == 1)
    return 1; // ONNX stores a bool per byte.
  return bits % 8 == 0 ? bits / 8 : 0;
}

FailureOr<Type> TensorImporter::importElementType(int32_t dataType,
                                                  Location loc,
                                                  StringRef what) {
  if (dataType == ::onnx::TensorProto::UNDEFINED)
    return diags.invalid(loc) << what << " has an undefined data type";
  Type elt = kiln::onnx::convertONNXDataType(ctx, dataType);
  if (!elt)
    return diags.unsupported(loc) << what << " has data type "
                                  << kiln::onnx::getONNXDataTypeName(dataType)
                                  << ", which kiln does not support";
  return elt;
}

FailureOr<Type>
TensorImporter::importType(const ::onnx::TypeProto &type, Location loc,
                           StringRef what,
                           SmallVectorImpl<std::string> *params) {
  if (!type.has_tensor_type()) {
    if (type.value_case() == ::onnx::TypeProto::VALUE_NOT_SET)
      return diags.invalid(loc) << what << " has no type";
    return diags.unsupported(loc)
           << what << " is not a tensor (sequence, map, optional and sparse "
           << "values are not supported)";
  }
  const ::onnx::TypeProto::Tensor &tensor = type.tensor_type();
  FailureOr<Type> elt = importElementType(tensor.elem_type(), loc, what);
  if (failed(elt))
    return failure();
  if (!tensor.has_shape())
    return Type(UnrankedTensorType::get(*elt));
  SmallVector<int64_t> dims;
  int64_t count = 1; // of the static dims
  for (const ::onnx::TensorShapeProto::Dimension &d : tensor.shape().dim()) {
    std::string param;
    if (d.has_dim_value()) {
      int64_t v = d.dim_value();
      if (v < 0 || v > kMaxDim)
        return diags.invalid(loc) << what << " has an invalid dim " << v
                                  << " (dim " << dims.size() << ")";
      if (v != 0 && count > kMaxDim / v)
        return diags.invalid(loc) << what << " has more than 2^40 elements";
      count *= v;
      dims.push_back(v);
    } else {
      if (d.has_dim_param())
        param = d.dim_param();
      dims.push_back(ShapedType::kDynamic);
    }
    if (params)
      params->push_back(std::move(param));
  }
  return Type(RankedTensorType::get(dims, *elt));
}

FailureOr<SmallVector<int64_t>>
TensorImporter::importDims(const ::onnx::TensorProto &tensor, Location loc,
                           StringRef what) {
  SmallVector<int64_t> dims;
  int64_t count = 1;
  for (int64_t d : tensor.dims()) {
    if (d < 0 || d > kMaxDim)
      return diags.invalid(loc) << what << " has an invalid dim " << d;
    if (d != 0 && count > kMaxDim / d)
      return diags.invalid(loc) << what << " has more than 2^40 elements";
    count *= d;
    dims.push_back(d);
  }
  return dims;
}

/// Resource keys are printed in the IR: keep them to identifier characters.
static std::string sanitizeName(StringRef name) {
  std::string s;
  for (char c : name)
    s.push_back(llvm::isAlnum(c) || c == '_' || c == '.' ? c : '_');
  if (s.empty() || llvm::isDigit(s[0]))
    s.insert(s.begin(), 'w');
  return s;
}

ElementsAttr TensorImporter::makeAttr(RankedTensorType type,
                                      ArrayRef<char> bytes,
                                      std::function<void()> release,
                                      StringRef name) {
  Type elt = type.getElementType();
  if (elt.isInteger(1)) {
    SmallVector<bool> values;
    for (char c : bytes)
      values.push_back(c != 0);
    release();
    return DenseElementsAttr::get(type, values);
  }
  size_t width = getByteWidth(elt);
  if (bytes.size() <= resourceThreshold) {
    ElementsAttr attr = DenseElementsAttr::getFromRawBuffer(type, bytes);
    release();
    return attr;
  }
  size_t align = std::max<size_t>(width, 1);
  if (reinterpret_cast<uintptr_t>(bytes.data()) % align != 0) {
    AsmResourceBlob blob =
        HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, align);
    release();
    return DenseResourceElementsAttr::get(type, sanitizeName(name),
                                          std::move(blob));
  }
  AsmResourceBlob blob(
      bytes, align,
      [release = std::move(release)](void *, size_t, size_t) { release(); },
      /*dataIsMutable=*/false);
  return DenseResourceElementsAttr::get(type, sanitizeName(name),
                                        std::move(blob));
}

FailureOr<ElementsAttr>
TensorImporter::importTensor(::onnx::TensorProto &tensor, Location loc,
                             StringRef what) {
  if (tensor.has_segment())
    return diags.unsupported(loc) << what << " is a segmented tensor";
  FailureOr<Type> elt = importElementType(tensor.data_type(), loc, what);
  if (failed(elt))
    return failure();
  size_t width = getByteWidth(*elt);
  if (width == 0)
    return diags.unsupported(loc)
           << what << " has sub-byte data type "
           << kiln::onnx::getONNXDataTypeName(tensor.data_type())
           << "; constants of this type are not supported";
  FailureOr<SmallVector<int64_t>> dims = importDims(tensor, loc, what);
  if (failed(dims))
    return failure();
  auto type = RankedTensorType::get(*dims, *elt);
  size_t byteSize = type.getNumElements() * width;

  if (tensor.data_location() == ::onnx::TensorProto::EXTERNAL)
    return importExternal(tensor, type, byteSize, loc, what);
  if (tensor.has_raw_data()) {
    if (tensor.raw_data().size() != byteSize)
      return diags.invalid(loc) << what << " holds " << tensor.raw_data().size()
                                << " bytes of raw data but its type " << type
                                << " needs " << byteSize;
    // Take the buffer over from the protobuf instead of copying it.
    std::string *raw = tensor.release_raw_data();
    return makeAttr(
        type, ArrayRef<char>(raw->data(), raw->size()), [raw] { delete raw; },
        tensor.name());
  }
  return importTypedFields(tensor, type, loc, what);
}

FailureOr<ElementsAttr>
TensorImporter::importTypedFields(const ::onnx::TensorProto &tensor,
                                  RankedTensorType type, Location loc,
                                  StringRef what) {
  int64_t n = type.getNumElements();
  size_t width = getByteWidth(type.getElementType());
  auto buffer = std::make_shared<std::vector<char>>(n * width);
  auto fill = [&](const auto &field, auto convert) -> LogicalResult {
    if (field.size() != n)
      return diags.invalid(loc)
             << what << " has " << field.size() << " values for " << n
             << " elements of " << type;
    for (int64_t i = 0; i < n; ++i) {
      auto v = convert(field.Get(i));
      std::memcpy(buffer->data() + i * width, &v, width);
    }
    return success();
  };
  auto same = [](auto v) { return v; };
  LogicalResult ok = failure();
  switch (tensor.data_type()) {
  case ::onnx::TensorProto::FLOAT:
    ok = fill(tensor.float_data(), same);
    break;
  case ::onnx::TensorProto::DOUBLE:
    ok = fill(tensor.double_data(), same);
    break;
  case ::onnx::TensorProto::INT64:
    ok = fill(tensor.int64_data(), same);
    break;
  case ::onnx::TensorProto::UINT32:
  case ::onnx::TensorProto::UINT64:
    // Little-endian: the low bytes of the 64-bit value come first.
    ok = fill(tensor.uint64_data(), same);
    break;
  case ::onnx::TensorProto::STRING:
  case ::onnx::TensorProto::COMPLEX64:
  case ::onnx::TensorProto::COMPLEX128:
    return diags.unsupported(loc)
           << what << " has data type "
           << kiln::onnx::getONNXDataTypeName(tensor.data_type());
  default:
    // INT32 and narrower types, FLOAT16/BFLOAT16 and 8-bit floats as bit
    // patterns, BOOL: all in int32_data, low bytes first.
    ok = fill(tensor.int32_data(), same);
    break;
  }
  if (failed(ok))
    return failure();
  return makeAttr(
      type, ArrayRef<char>(buffer->data(), buffer->size()),
      [buffer]() mutable { buffer.reset(); }, tensor.name());
}

FailureOr<ElementsAttr>
TensorImporter::importExternal(::onnx::TensorProto &tensor,
                               RankedTensorType type, size_t byteSize,
                               Location loc, StringRef what) {
  std::string location;
  std::optional<uint64_t> offset, length;
  for (const ::onnx::StringStringEntryProto &kv : tensor.external_data()) {
    auto parseNumber = [&](std::optional<uint64_t> &out) -> LogicalResult {
      uint64_t v;
      if (StringRef(kv.value()).getAsInteger(10, v))
        return diags.invalid(loc) << what << " has an invalid external data "
                                  << kv.key() << " '" << kv.value() << "'";
      out = v;
      return success();
    };
    if (kv.key() == "location")
      location = kv.value();
    else if (kv.key() == "offset" && failed(parseNumber(offset)))
      return failure();
    else if (kv.key() == "length" && failed(parseNumber(length)))
      return failure();
  }
  if (location.empty())
    return diags.invalid(loc)
           << what << " has external data without a location";

  // The file must lie inside the model's directory: no absolute paths, no
  // `..` escapes, no symlinks leading out.
  namespace path = llvm::sys::path;
  if (path::is_absolute(location) || path::has_root_name(location))
    return diags.invalid(loc) << what << " has an absolute external data "
                              << "location '" << location << "'";
  SmallString<256> relative(location);
  path::remove_dots(relative, /*remove_dot_dot=*/true);
  if (relative.empty() || relative.starts_with("..") || relative == ".")
    return diags.invalid(loc) << what << " has external data location '"
                              << location << "' outside the model's directory";
  SmallString<256> full(modelDir.empty() ? "." : modelDir);
  path::append(full, relative);
  SmallString<256> realDir, realFile;
  if (llvm::sys::fs::real_path(full, realFile))
    return diags.invalid(loc) << what << " has external data file '" << location
                              << "', which does not exist";
  if (llvm::sys::fs::real_path(modelDir.empty() ? "." : modelDir, realDir) ||
      !StringRef(realFile).starts_with((realDir + "/").str()))
    return diags.invalid(loc) << what << " has external data location '"
                              << location << "' outside the model's directory";
  if (!llvm::sys::fs::is_regular_file(realFile))
    return diags.invalid(loc) << what << " has external data location '"
                              << location << "' that is not a regular file";

  uint64_t fileSize = 0;
  if (llvm::sys::fs::file_size(realFile, fileSize))
    return diags.invalid(loc)
           << what << " cannot read external data file '" << location << "'";
  uint64_t start = offset.value_or(0);
  if (start > fileSize)
    return diags.invalid(loc) << what << " has external data offset " << start
                              << " past the end of '" << location << "' ("
                              << fileSize << " bytes)";
  uint64_t size = length.value_or(byteSize);
  if (size > fileSize - start)
    return diags.invalid(loc) << what << " has external data [" << start << ", "
                              << start + size << ") past the end of '"
                              << location << "' (" << fileSize << " bytes)";
  if (size != byteSize)
    return diags.invalid(loc)
           << what << " has " << size << " bytes of external data but its type "
           << type << " needs " << byteSize;

  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFileSlice(realFile, size, start,
                                       /*IsVolatile=*/false);
  if (!buffer)
    return diags.invalid(loc)
           << what << " cannot read external data file '" << location
           << "': " << buffer.getError().message();
  llvm::MemoryBuffer *mapped = buffer->release();
  return makeAttr(
      type, ArrayRef<char>(mapped->getBufferStart(), mapped->getBufferSize()),
      [mapped] { delete mapped; }, tensor.name());
}

} // namespace kiln::importer
