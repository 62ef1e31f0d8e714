//===- kiln-run.cpp - run a compiled model on ONNX test data --------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// kiln-run model.so --inputs DIR [--outputs DIR] [--check DIR]
//          [--rtol R] [--atol A] [--bench N]
//
// Loads a shared library built by `kilnc --emit=lib` through its one
// unprefixed symbol, kiln_get_model_api, reads input_<i>.pb TensorProtos
// (the ONNX backend-test layout), runs the model and compares its outputs
// with the expected output_<i>.pb.
//
// --check prints a line per output, "output 'NAME': ok (...)" or "output
// 'NAME': MISMATCH: ...", then the verdict alone on a line: MATCH or
// MISMATCH. A missing expected output_<i>.pb, or one past the model's
// outputs, is a mismatch. bfloat16 and float16 outputs are compared at
// least at two ulps of relative tolerance (relativeTolerance below).
//
// Exit codes: 0 success; 1 usage or I/O error; 2 the model returned an
// error status; 3 an output differs from the expected one.
//
//===----------------------------------------------------------------------===//

#include "kiln_types.h"

#include "onnx/onnx_pb.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <dlfcn.h>
#include <fstream>

namespace cl = llvm::cl;

namespace {
enum ExitCode { Ok = 0, UsageOrIO = 1, ModelError = 2, Mismatch = 3 };

cl::opt<std::string> library(cl::Positional, cl::desc("<model.so>"),
                             cl::Required);
cl::opt<std::string>
    inputsDir("inputs",
              cl::desc("Directory with input_<i>.pb (default: --check's)"));
cl::opt<std::string> outputsDir("outputs",
                                cl::desc("Write output_<i>.pb here"));
cl::opt<std::string>
    checkDir("check",
             cl::desc("Compare with the output_<i>.pb in this directory"));
cl::opt<double> rtol("rtol",
                     cl::desc("Relative tolerance (at least 2^-6 for "
                              "bfloat16 and 2^-9 for float16 outputs)"),
                     cl::init(1e-3));
cl::opt<double> atol("atol", cl::desc("Absolute tolerance"), cl::init(1e-7));
cl::opt<unsigned> benchRuns("bench",
                            cl::desc("Time this many runs after a warm-up"),
                            cl::init(0));

/// A tensor as dense little-endian bytes of its dtype.
struct Tensor {
  kiln_dtype dtype = KILN_DTYPE_UNDEFINED;
  std::vector<int64_t> dims;
  std::vector<char> bytes;
};

size_t dtypeSize(int dtype) {
  return kiln_dtype_size(static_cast<kiln_dtype>(dtype));
}

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
    n *= d;
  return n;
}

template <typename T, typename Field>
void appendAs(std::vector<char> &bytes, const Field &field) {
  for (auto value : field) {
    T v = static_cast<T>(value);
    const char *p = reinterpret_cast<const char *>(&v);
    bytes.insert(bytes.end(), p, p + sizeof(T));
  }
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

/// Element `i` as a double, for comparison.
double element(const Tensor &t, int64_t i) {
  const char *p = t.bytes.data() + i * dtypeSize(t.dtype);
  auto load = [&](auto v) {
    std::memcpy(&v, p, sizeof(v));
    return v;
  };
  switch (t.dtype) {
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
    int8_t v =
        (int8_t)widenPacked(t.dtype, packedBits(t.dtype), load(uint8_t()));
    return t.dtype == KILN_DTYPE_INT4 || t.dtype == KILN_DTYPE_INT2
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

bool isFloat(kiln_dtype dtype) {
  return dtype == KILN_DTYPE_FLOAT32 || dtype == KILN_DTYPE_FLOAT64 ||
         dtype == KILN_DTYPE_FLOAT16 || dtype == KILN_DTYPE_BFLOAT16 ||
         (dtype >= KILN_DTYPE_FLOAT8E4M3FN &&
          dtype <= KILN_DTYPE_FLOAT8E5M2FNUZ) ||
         dtype == KILN_DTYPE_FLOAT4E2M1;
}

bool sameBits(const Tensor &a, const Tensor &b, int64_t i) {
  size_t size = dtypeSize(a.dtype);
  return std::memcmp(a.bytes.data() + i * size, b.bytes.data() + i * size,
                     size) == 0;
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

/// Element `i` printed exactly enough to tell it from any other value of
/// its dtype: integers in full, float64 with 17 significant digits, the
/// other floats (all exact in float32) with 9.
std::string formatElement(const Tensor &t, int64_t i) {
  const char *p = t.bytes.data() + i * dtypeSize(t.dtype);
  if (t.dtype == KILN_DTYPE_INT64 || t.dtype == KILN_DTYPE_UINT64) {
    uint64_t v;
    std::memcpy(&v, p, sizeof v);
    return t.dtype == KILN_DTYPE_INT64 ? std::to_string((int64_t)v)
                                       : std::to_string(v);
  }
  double v = element(t, i);
  if (!isFloat(t.dtype))
    return std::to_string((int64_t)v); // exact: at most 32 bits
  char text[64];
  std::snprintf(text, sizeof text,
                t.dtype == KILN_DTYPE_FLOAT64 ? "%.17g" : "%.9g", v);
  return text;
}

/// The relative tolerance for an output of `dtype`. ONNX's backend test
/// runner (assert_similar_outputs in onnx/backend/test/runner) compares
/// bfloat16 at rtol = max(rtol, 2^-6), two ulps of bfloat16 (its machine
/// epsilon is 2^-7). ONNX has no rule for float16; the same two ulps of
/// float16 (machine epsilon 2^-10) give max(rtol, 2^-9). Other dtypes, the
/// float8 formats included, use --rtol as given; atol always applies as
/// given.
double relativeTolerance(kiln_dtype dtype) {
  if (dtype == KILN_DTYPE_BFLOAT16)
    return std::max<double>(rtol, 0x1p-6);
  if (dtype == KILN_DTYPE_FLOAT16)
    return std::max<double>(rtol, 0x1p-9);
  return rtol;
}

/// Compares like numpy.testing.assert_allclose (|got - expected| <= atol +
/// rtol * |expected|, NaN only against NaN, infinities exactly); integers
/// must be equal. Prints one line, "output 'NAME': ok ..." or "output
/// 'NAME': MISMATCH: ...".
bool compare(llvm::StringRef name, const Tensor &got, const Tensor &want) {
  llvm::outs() << "output '" << name << "': ";
  if (got.dtype != want.dtype) {
    llvm::outs() << "MISMATCH: dtype differs (got " << dtypeName(got.dtype)
                 << " (" << got.dtype << "), expected " << dtypeName(want.dtype)
                 << " (" << want.dtype << "))\n";
    return false;
  }
  if (got.dims != want.dims) {
    llvm::outs() << "MISMATCH: shape differs (got " << shapeString(got.dims)
                 << ", expected " << shapeString(want.dims) << ")\n";
    return false;
  }
  double relTol = relativeTolerance(got.dtype);
  double maxAbs = 0, maxRel = 0;
  int64_t bad = 0, firstBad = -1, n = numElements(got.dims);
  for (int64_t i = 0; i < n; ++i) {
    double g = element(got, i), w = element(want, i);
    bool ok;
    if (packedBits(got.dtype) && !isFloat(got.dtype)) {
      ok = g == w; // only the low bits carry the value
    } else if (!isFloat(got.dtype)) {
      ok = sameBits(got, want, i);
    } else if (std::isnan(w) || std::isnan(g)) {
      ok = std::isnan(w) && std::isnan(g);
    } else if (std::isinf(w) || std::isinf(g)) {
      ok = g == w;
    } else {
      double diff = std::fabs(g - w);
      maxAbs = std::max(maxAbs, diff);
      if (w != 0)
        maxRel = std::max(maxRel, diff / std::fabs(w));
      ok = diff <= atol + relTol * std::fabs(w);
    }
    if (!ok && bad++ == 0)
      firstBad = i;
  }
  char errors[160];
  std::snprintf(errors, sizeof errors,
                "max abs error %.3g, max rel error %.3g; rtol %.3g, atol %.3g",
                maxAbs, maxRel, relTol, atol.getValue());
  if (bad) {
    llvm::outs() << "MISMATCH: " << bad << " of " << n
                 << " elements differ (first at " << firstBad << ": got "
                 << formatElement(got, firstBad) << ", expected "
                 << formatElement(want, firstBad) << "; " << errors << ")\n";
    return false;
  }
  llvm::outs() << "ok (" << errors << ")\n";
  return true;
}

std::string tensorPath(llvm::StringRef dir, llvm::StringRef kind, int i) {
  llvm::SmallString<128> path(dir);
  llvm::sys::path::append(path, kind + "_" + std::to_string(i) + ".pb");
  return std::string(path);
}

int fail(const llvm::Twine &message, int code) {
  llvm::errs() << "kiln-run: " << message << "\n";
  return code;
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "kiln-run: run a compiled model\n");
  if (inputsDir.empty())
    inputsDir = checkDir;
  if (inputsDir.empty())
    return fail("give --inputs DIR or --check DIR", UsageOrIO);

  std::string libraryPath = library;
  if (libraryPath.find('/') == std::string::npos)
    libraryPath = "./" + libraryPath; // never searched on the library path
  void *handle = dlopen(libraryPath.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    return fail(llvm::Twine("cannot load ") + library + ": " + dlerror(),
                UsageOrIO);
  auto getAPI = reinterpret_cast<kiln_get_model_api_fn>(
      dlsym(handle, "kiln_get_model_api"));
  if (!getAPI)
    return fail(library + " exports no kiln_get_model_api", UsageOrIO);
  const kiln_model_api *api = getAPI(KILN_ABI_VERSION);
  if (!api)
    return fail(library + " does not implement ABI version " +
                    llvm::Twine(KILN_ABI_VERSION),
                UsageOrIO);

  char message[512];
  if (api->check_host(message, sizeof message) != KILN_STATUS_OK)
    return fail(llvm::Twine("this host cannot run the model: ") + message,
                ModelError);
  kiln_model *model = nullptr;
  kiln_ctx *ctx = nullptr;
  // Every return below releases them, so a sanitized build sees no leak.
  auto release = llvm::make_scope_exit([&] {
    if (ctx)
      api->ctx_destroy(ctx);
    if (model)
      api->model_destroy(model);
  });
  if (kiln_status s = api->model_create(nullptr, nullptr, 0, &model, message,
                                        sizeof message))
    return fail(llvm::Twine("model_create: ") + api->status_string(s) + ": " +
                    message,
                ModelError);
  if (kiln_status s = api->ctx_create(model, &ctx))
    return fail(llvm::Twine("ctx_create: ") + api->status_string(s),
                ModelError);

  int numInputs = api->num_inputs(), numOutputs = api->num_outputs();
  std::vector<Tensor> inputs(numInputs);
  std::vector<kiln_tensor> in(numInputs);
  for (int i = 0; i < numInputs; ++i) {
    std::string error =
        readTensor(tensorPath(inputsDir, "input", i), inputs[i]);
    if (!error.empty())
      return fail(error, UsageOrIO);
    in[i] = {inputs[i].dtype, (int32_t)inputs[i].dims.size(),
             inputs[i].dims.data(), inputs[i].bytes.data(),
             inputs[i].bytes.size()};
  }
  std::vector<Tensor> outputs(numOutputs);
  std::vector<kiln_tensor> out(numOutputs);
  for (int o = 0; o < numOutputs; ++o) {
    outputs[o].dims.resize(api->output_desc(o)->rank);
    out[o] = {KILN_DTYPE_UNDEFINED, 0, outputs[o].dims.data(), nullptr, 0};
  }
  size_t workspaceBytes = 0;
  if (kiln_status s = api->query(ctx, in.data(), numInputs, out.data(),
                                 numOutputs, &workspaceBytes))
    return fail(llvm::Twine("query: ") + api->status_string(s) + ": " +
                    api->ctx_last_error(ctx),
                ModelError);
  for (int o = 0; o < numOutputs; ++o) {
    outputs[o].dtype = out[o].dtype;
    outputs[o].bytes.resize(numElements(outputs[o].dims) *
                            dtypeSize(out[o].dtype));
    out[o].data = outputs[o].bytes.data();
    out[o].size_bytes = outputs[o].bytes.size();
  }
  std::vector<char> workspace(workspaceBytes);
  auto run = [&] {
    return api->run(ctx, nullptr, in.data(), numInputs, out.data(), numOutputs,
                    workspace.data(), workspace.size());
  };
  if (kiln_status s = run())
    return fail(llvm::Twine("run: ") + api->status_string(s) + ": " +
                    api->ctx_last_error(ctx),
                ModelError);

  int rc = Ok;
  if (!outputsDir.empty()) {
    llvm::sys::fs::create_directories(outputsDir);
    for (int o = 0; o < numOutputs; ++o)
      if (!writeTensor(tensorPath(outputsDir, "output", o),
                       api->output_desc(o)->name, outputs[o]))
        return fail("cannot write " + tensorPath(outputsDir, "output", o),
                    UsageOrIO);
  }
  if (!checkDir.empty()) {
    if (!llvm::sys::fs::is_directory(checkDir))
      return fail("--check: " + checkDir + " is not a directory", UsageOrIO);
    // A missing expected output, or one the model does not have, is a
    // mismatch, not an I/O error: the model's outputs are not the test's.
    int differ = 0;
    for (int o = 0; o < numOutputs; ++o) {
      std::string path = tensorPath(checkDir, "output", o);
      if (!llvm::sys::fs::exists(path)) {
        llvm::outs() << "output '" << api->output_desc(o)->name
                     << "': MISMATCH: no expected " << path << "\n";
        ++differ;
        continue;
      }
      Tensor expected;
      std::string error = readTensor(path, expected);
      if (!error.empty())
        return fail(error, UsageOrIO);
      if (!compare(api->output_desc(o)->name, outputs[o], expected))
        ++differ;
    }
    for (int o = numOutputs;
         llvm::sys::fs::exists(tensorPath(checkDir, "output", o)); ++o) {
      llvm::outs() << "output " << o
                   << ": MISMATCH: " << tensorPath(checkDir, "output", o)
                   << " expects an output the model does not have (it has "
                   << numOutputs << ")\n";
      ++differ;
    }
    if (differ) {
      llvm::outs() << "MISMATCH\n";
      rc = Mismatch;
    } else {
      llvm::outs() << "MATCH\n";
    }
  }
  if (benchRuns) {
    run(); // warm-up
    std::vector<double> micros;
    for (unsigned r = 0; r < benchRuns; ++r) {
      auto start = std::chrono::steady_clock::now();
      run();
      auto end = std::chrono::steady_clock::now();
      micros.push_back(
          std::chrono::duration<double, std::micro>(end - start).count());
    }
    std::sort(micros.begin(), micros.end());
    double sum = 0;
    for (double m : micros)
      sum += m;
    auto pct = [&](double p) {
      return micros[std::min(micros.size() - 1,
                             (size_t)(p * (micros.size() - 1) + 0.5))];
    };
    llvm::outs() << llvm::format(
        "bench: %u runs, latency us: min %.2f median %.2f mean %.2f p90 %.2f "
        "max %.2f\n",
        benchRuns.getValue(), micros.front(), pct(0.5), sum / micros.size(),
        pct(0.9), micros.back());
  }
  return rc;
}
