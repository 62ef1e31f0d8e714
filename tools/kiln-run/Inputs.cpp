//===- Inputs.cpp - kiln-run's generated inputs ---------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "Inputs.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>
#include <random>

namespace kilnrun {
namespace {

using ShapeMap = llvm::StringMap<std::vector<int64_t>>;

bool parseDims(llvm::StringRef text, std::vector<int64_t> &dims) {
  llvm::SmallVector<llvm::StringRef> parts;
  if (!text.empty())
    text.split(parts, 'x');
  for (llvm::StringRef part : parts) {
    int64_t dim;
    if (part.getAsInteger(10, dim) || dim < 0)
      return false;
    dims.push_back(dim);
  }
  return true;
}

/// The index of the input named `name`; -1 if there is none.
int findInput(const kiln_model_api &api, llvm::StringRef name) {
  for (int i = 0; i < api.num_inputs(); ++i)
    if (name == api.input_desc(i)->name)
      return i;
  return -1;
}

/// Checks one --input-shape flag against the model's descriptor.
std::string checkFlag(const kiln_tensor_desc &desc,
                      const std::vector<int64_t> &dims) {
  std::string input = "--input-shape: input '" + std::string(desc.name) + "' ";
  if ((int)dims.size() != desc.rank)
    return input + "has rank " + std::to_string(desc.rank) + ", not " +
           std::to_string(dims.size());
  for (int d = 0; d < desc.rank; ++d)
    if (desc.dims[d] >= 0 && desc.dims[d] != dims[d])
      return input + "has the static dim " + std::to_string(d) + " = " +
             std::to_string(desc.dims[d]) + ", not " + std::to_string(dims[d]);
  return "";
}

/// Parses the flags into `given` (a later flag for the same input wins).
std::string parseFlags(const kiln_model_api &api,
                       llvm::ArrayRef<std::string> flags, ShapeMap &given) {
  for (llvm::StringRef flag : flags) {
    auto [name, text] = flag.split('=');
    std::vector<int64_t> dims;
    if (name.empty() || !flag.contains('=') || !parseDims(text, dims))
      return "bad --input-shape '" + flag.str() +
             "': expected NAME=1x3x224x224 (NAME= for a scalar)";
    int i = findInput(api, name);
    if (i < 0)
      return "--input-shape: the model has no input '" + name.str() + "'";
    std::string error = checkFlag(*api.input_desc(i), dims);
    if (!error.empty())
      return error;
    given[name] = std::move(dims);
  }
  return "";
}

/// The symbol dim `d` of `desc` names; "" if none.
llvm::StringRef symbolOf(const kiln_tensor_desc &desc, int d) {
  return desc.dim_names && desc.dim_names[d] ? desc.dim_names[d] : "";
}

/// The values the flags give the dynamic dims of each symbol (the first
/// input that names it wins).
llvm::StringMap<int64_t> flaggedSymbols(const kiln_model_api &api,
                                        const ShapeMap &given) {
  llvm::StringMap<int64_t> values;
  for (int i = 0; i < api.num_inputs(); ++i) {
    const kiln_tensor_desc &desc = *api.input_desc(i);
    auto it = given.find(desc.name);
    for (int d = 0; it != given.end() && d < desc.rank; ++d)
      if (desc.dims[d] < 0 && !symbolOf(desc, d).empty())
        values.try_emplace(symbolOf(desc, d), it->second[d]);
  }
  return values;
}

/// The lower bound of `symbol` if it is at least 1, else 1.
int64_t defaultDim(const kiln_model_api &api, llvm::StringRef symbol) {
  int n = api.num_dim_symbols ? api.num_dim_symbols() : 0;
  for (int s = 0; s < n; ++s) {
    const kiln_dim_symbol *sym = api.dim_symbol(s);
    if (sym && symbol == sym->name)
      return std::max<int64_t>(sym->min, 1);
  }
  return 1;
}

std::vector<int64_t> chooseDims(const kiln_model_api &api,
                                const kiln_tensor_desc &desc,
                                const ShapeMap &given,
                                const llvm::StringMap<int64_t> &symbols) {
  auto flagged = given.find(desc.name);
  if (flagged != given.end())
    return flagged->second;
  std::vector<int64_t> dims(desc.dims, desc.dims + desc.rank);
  for (int d = 0; d < desc.rank; ++d) {
    if (dims[d] >= 0)
      continue;
    auto symbol = symbols.find(symbolOf(desc, d));
    dims[d] = symbol != symbols.end() ? symbol->second
                                      : defaultDim(api, symbolOf(desc, d));
  }
  return dims;
}

/// Random integers are drawn from [0, limit).
uint64_t integerLimit(kiln_dtype dtype) {
  switch (dtype) {
  case KILN_DTYPE_BOOL:
  case KILN_DTYPE_INT2:
    return 2;
  case KILN_DTYPE_UINT2:
    return 4;
  case KILN_DTYPE_INT4:
    return 8;
  default:
    return 10;
  }
}

/// Input `index`'s own stream: std::seed_seq and std::mt19937_64 are
/// specified exactly, so the data is the same with every standard library.
std::mt19937_64 inputEngine(uint64_t seed, int index) {
  std::seed_seq sequence{(uint32_t)seed, (uint32_t)(seed >> 32),
                         (uint32_t)index};
  return std::mt19937_64(sequence);
}

/// Uniform in [-1, 1), from the engine's top 53 bits (the standard
/// distributions differ between libraries).
double uniform(std::mt19937_64 &engine) {
  return (double)(engine() >> 11) * 0x1p-52 - 1.0;
}

void storeLittleEndian(uint64_t value, size_t size, char *p) {
  for (size_t b = 0; b < size; ++b)
    p[b] = (char)(value >> (8 * b));
}

/// `f` as float16, rounded to nearest even.
uint16_t floatToHalf(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  uint16_t sign = (bits >> 16) & 0x8000;
  float magnitude = std::fabs(f);
  if (magnitude >= 65520.0f)
    return sign | 0x7c00;
  if (magnitude < 0x1p-14f) // subnormal, in units of 2^-24
    return sign | (uint16_t)std::nearbyint(magnitude * 0x1p24f);
  bits &= 0x7fffffff;
  bits += 0xfff + ((bits >> 13) & 1);
  return sign | (uint16_t)((bits >> 13) - (112u << 10));
}

/// `f` as bfloat16, rounded to nearest even.
uint16_t floatToBfloat16(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  return (uint16_t)((bits + 0x7fff + ((bits >> 16) & 1)) >> 16);
}

/// The finite values of a one-byte float dtype and their codes, ascending
/// (-0 left out).
using CodeTable = std::vector<std::pair<double, uint8_t>>;

CodeTable codeTable(kiln_dtype dtype) {
  CodeTable table;
  unsigned codes = dtype == KILN_DTYPE_FLOAT4E2M1 ? 16 : 256;
  for (unsigned code = 0; code < codes; ++code) {
    char byte = (char)code;
    double value = decodeValue(dtype, &byte);
    if (std::isfinite(value) && !(value == 0 && std::signbit(value)))
      table.push_back({value, (uint8_t)code});
  }
  std::sort(table.begin(), table.end());
  return table;
}

uint8_t nearestCode(const CodeTable &table, double value) {
  auto above = std::lower_bound(table.begin(), table.end(),
                                std::make_pair(value, (uint8_t)0));
  if (above == table.end())
    return table.back().second;
  if (above == table.begin())
    return above->second;
  auto below = std::prev(above);
  return value - below->first <= above->first - value ? below->second
                                                      : above->second;
}

void storeFloat(kiln_dtype dtype, double value, const CodeTable &table,
                char *p) {
  switch (dtype) {
  case KILN_DTYPE_FLOAT32: {
    float f = (float)value;
    std::memcpy(p, &f, 4);
    return;
  }
  case KILN_DTYPE_FLOAT64:
    std::memcpy(p, &value, 8);
    return;
  case KILN_DTYPE_FLOAT16:
    return storeLittleEndian(floatToHalf((float)value), 2, p);
  case KILN_DTYPE_BFLOAT16:
    return storeLittleEndian(floatToBfloat16((float)value), 2, p);
  default: // float8, float4
    *p = (char)nearestCode(table, value);
    return;
  }
}

void fillRandom(Tensor &tensor, std::mt19937_64 engine) {
  size_t size = dtypeSize(tensor.dtype);
  int64_t n = numElements(tensor.dims);
  if (!isFloat(tensor.dtype)) {
    uint64_t limit = integerLimit(tensor.dtype);
    for (int64_t i = 0; i < n; ++i)
      storeLittleEndian(engine() % limit, size, &tensor.bytes[i * size]);
    return;
  }
  CodeTable table = size == 1 ? codeTable(tensor.dtype) : CodeTable();
  for (int64_t i = 0; i < n; ++i)
    storeFloat(tensor.dtype, uniform(engine), table, &tensor.bytes[i * size]);
}

} // namespace

std::string chooseShapes(const kiln_model_api &api,
                         llvm::ArrayRef<std::string> flags,
                         std::vector<std::vector<int64_t>> &shapes) {
  ShapeMap given;
  std::string error = parseFlags(api, flags, given);
  if (!error.empty())
    return error;
  llvm::StringMap<int64_t> symbols = flaggedSymbols(api, given);
  shapes.clear();
  for (int i = 0; i < api.num_inputs(); ++i)
    shapes.push_back(chooseDims(api, *api.input_desc(i), given, symbols));
  return "";
}

Tensor makeInput(kiln_dtype dtype, const std::vector<int64_t> &dims, Fill fill,
                 uint64_t seed, int index) {
  Tensor tensor;
  tensor.dtype = dtype;
  tensor.dims = dims;
  tensor.bytes.assign(numElements(dims) * dtypeSize(dtype), 0);
  if (fill == Fill::Random)
    fillRandom(tensor, inputEngine(seed, index));
  return tensor;
}

std::string describeFill(kiln_dtype dtype, Fill fill) {
  if (fill == Fill::Zeros)
    return "zeros";
  if (dtype == KILN_DTYPE_FLOAT32 || dtype == KILN_DTYPE_FLOAT64)
    return "random uniform in [-1, 1)";
  if (isFloat(dtype))
    return "random uniform in [-1, 1), rounded to nearest";
  return "random integers in [0, " + std::to_string(integerLimit(dtype)) + ")";
}

} // namespace kilnrun
