//===- kiln-run.cpp - run a compiled model on ONNX test data --------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// kiln-run model.so --inputs DIR [--outputs DIR] [--check DIR]
//          [--rtol R] [--atol A] [--bench N]
// kiln-run model.so (--random [--seed N] | --zeros)
//          [--input-shape NAME=DxDx...]... [--save-inputs DIR]
//          [--outputs DIR] [--check DIR] [--rtol R] [--atol A] [--bench N]
//
// Loads a shared library built by `kilnc --emit=lib` through its one
// unprefixed symbol, kiln_get_model_api, reads input_<i>.pb TensorProtos
// (the ONNX backend-test layout), runs the model and compares its outputs
// with the expected output_<i>.pb.
//
// --random and --zeros make the inputs instead, from the model's input
// descriptors, so that any compiled model runs (and --bench times it)
// without data: shapes as chooseShapes in Inputs.h says (static dims as
// declared; a dynamic dim from --input-shape, else its symbol's lower bound
// if at least 1, else 1), data as makeInput says (--random: floats uniform
// in [-1, 1), integers in [0, 10), bool in [0, 2), the same for a given
// --seed on every host). A line per input gives its dtype, shape and fill.
// --save-inputs writes them as input_<i>.pb, which --inputs reads back.
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

#include "Inputs.h"
#include "kiln/Driver/ModelRunner.h"
#include "kiln/Driver/TensorFile.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstring>

namespace cl = llvm::cl;
using namespace kilnrun;

namespace {
enum ExitCode { Ok = 0, UsageOrIO = 1, ModelError = 2, Mismatch = 3 };

cl::OptionCategory category("kiln-run options");

cl::opt<std::string> library(cl::Positional, cl::desc("<model.so>"),
                             cl::Required, cl::cat(category));
cl::opt<std::string>
    inputsDir("inputs",
              cl::desc("Directory with input_<i>.pb (default: --check's)"),
              cl::value_desc("DIR"), cl::cat(category));
cl::opt<std::string> outputsDir("outputs", cl::desc("Write output_<i>.pb here"),
                                cl::value_desc("DIR"), cl::cat(category));
cl::opt<std::string>
    checkDir("check",
             cl::desc("Compare with the output_<i>.pb in this directory"),
             cl::value_desc("DIR"), cl::cat(category));
cl::opt<double> rtol("rtol",
                     cl::desc("Relative tolerance (at least 2^-6 for "
                              "bfloat16 and 2^-9 for float16 outputs)"),
                     cl::init(1e-3), cl::cat(category));
cl::opt<double> atol("atol", cl::desc("Absolute tolerance"), cl::init(1e-7),
                     cl::cat(category));
cl::opt<unsigned> benchRuns("bench",
                            cl::desc("Time this many runs after a warm-up"),
                            cl::value_desc("N"), cl::init(0),
                            cl::cat(category));
cl::opt<bool> randomInputs(
    "random",
    cl::desc("Make every input instead of reading it: seeded random data, "
             "floats uniform in [-1, 1), integers in [0, 10) (bool and int2 "
             "in [0, 2), uint2 in [0, 4), int4 in [0, 8))"),
    cl::cat(category));
cl::opt<bool> zeroInputs("zeros",
                         cl::desc("Make every input instead of reading it: "
                                  "zeros"),
                         cl::cat(category));
cl::opt<uint64_t> seed("seed",
                       cl::desc("Seed of --random's data (default 0); input "
                                "i draws from its own stream"),
                       cl::value_desc("N"), cl::init(0), cl::cat(category));
cl::list<std::string> inputShapes(
    "input-shape",
    cl::desc("With --random or --zeros: input NAME's shape, as kilnc's. A "
             "dynamic dim takes its value from here, else from another "
             "flagged input's dim of the same symbol, else its lower bound "
             "if at least 1, else 1"),
    cl::value_desc("NAME=DxDx..."), cl::cat(category));
cl::opt<std::string>
    saveInputsDir("save-inputs",
                  cl::desc("With --random or --zeros: write the inputs made "
                           "here as input_<i>.pb (for --inputs)"),
                  cl::value_desc("DIR"), cl::cat(category));

cl::opt<bool>
    printInfo("info",
              cl::desc("Print the model's target and code variants (the "
                       "one in use first) before running it"),
              cl::cat(category));

unsigned numThreads = 1; // --threads, see takeThreadsFlag

const char *overview =
    "kiln-run: run a compiled model\n\n"
    "  kiln-run model.so --inputs DIR [--outputs DIR]\n"
    "           [--check DIR [--rtol R] [--atol A]] [--bench N]\n"
    "  kiln-run model.so --check DIR ...    (inputs from DIR too)\n"
    "  kiln-run model.so (--random [--seed N] | --zeros)\n"
    "           [--input-shape NAME=DxDx...]... [--save-inputs DIR]\n"
    "           [--outputs DIR] [--check DIR ...] [--bench N]\n"
    "  any of them with --threads N: the model's parallel loops on N threads\n"
    "           (default 1: the model gets no parallel_for hook)\n\n"
    "--random and --zeros print a line per input: its dtype, shape and data.\n"
    "Exit codes: 0 success; 1 usage or I/O error; 2 the model returned an\n"
    "error status; 3 an output differs from the expected one.\n";

bool sameBits(const Tensor &a, const Tensor &b, int64_t i) {
  size_t size = dtypeSize(a.dtype);
  return std::memcmp(a.bytes.data() + i * size, b.bytes.data() + i * size,
                     size) == 0;
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

bool generating() { return randomInputs || zeroInputs; }

/// The flags' combinations; an error message or "".
std::string checkFlags() {
  if (randomInputs && zeroInputs)
    return "--random and --zeros are mutually exclusive";
  const char *made = randomInputs ? "--random" : "--zeros";
  if (generating() && !inputsDir.empty())
    return std::string("--inputs and ") + made + " are mutually exclusive";
  if (seed.getNumOccurrences() && !randomInputs)
    return "--seed needs --random";
  if (!generating() && !inputShapes.empty())
    return "--input-shape needs --random or --zeros";
  if (!generating() && !saveInputsDir.empty())
    return "--save-inputs needs --random or --zeros";
  if (!generating() && inputsDir.empty() && checkDir.empty())
    return "give --inputs DIR, --check DIR, --random or --zeros";
  return "";
}

/// The loaded model and the tensors of one run.
struct Runner {
  std::unique_ptr<kiln::driver::ModelRunner> model;
  const kiln_model_api *api = nullptr;
  std::vector<Tensor> inputs, outputs;
};

/// Exit code of a failed load or run: a model status is ModelError.
int fail(llvm::Error err) {
  int code = UsageOrIO;
  llvm::handleAllErrors(std::move(err), [&](const kiln::driver::RunError &e) {
    code = e.isModelStatus() ? ModelError : UsageOrIO;
    llvm::errs() << "kiln-run: " << e.message() << "\n";
  });
  return code;
}

/// `--threads N` (or `=N`), taken out of argv before LLVM's parser sees
/// it: libLLVM registers an option of that name too. False if malformed.
bool takeThreadsFlag(int &argc, char **argv) {
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg = argv[i];
    if (arg == "--") {
      while (i < argc)
        argv[kept++] = argv[i++];
      break;
    }
    arg.consume_front("-");
    arg.consume_front("-");
    if (arg != "threads" && !arg.starts_with("threads=")) {
      argv[kept++] = argv[i];
      continue;
    }
    llvm::StringRef value = arg.drop_front(strlen("threads"));
    if (value.empty() && i + 1 < argc)
      value = argv[++i];
    else
      value.consume_front("=");
    if (value.getAsInteger(10, numThreads) || numThreads < 1 ||
        numThreads > 1024)
      return false;
  }
  argc = kept;
  argv[argc] = nullptr;
  return true;
}

int loadModel(Runner &r) {
  auto model = kiln::driver::ModelRunner::load(library, numThreads);
  if (!model)
    return fail(model.takeError());
  r.model = std::move(*model);
  r.api = &r.model->getAPI();
  return Ok;
}

int readInputs(Runner &r) {
  llvm::StringRef dir = inputsDir.empty() ? checkDir : inputsDir;
  r.inputs.resize(r.api->num_inputs());
  for (int i = 0; i < (int)r.inputs.size(); ++i) {
    std::string error =
        readTensorFile(tensorPath(dir, "input", i), r.inputs[i]);
    if (!error.empty())
      return fail(error, UsageOrIO);
  }
  return Ok;
}

int writeTensors(llvm::StringRef dir, llvm::StringRef kind,
                 const std::vector<Tensor> &tensors,
                 const kiln_tensor_desc *(*desc)(int32_t)) {
  llvm::sys::fs::create_directories(dir);
  for (int i = 0; i < (int)tensors.size(); ++i)
    if (!writeTensor(tensorPath(dir, kind, i), desc(i)->name, tensors[i]))
      return fail("cannot write " + tensorPath(dir, kind, i), UsageOrIO);
  return Ok;
}

/// ONNX's name of `dtype`, or "dtype N" where this ONNX does not know it.
std::string dtypeLabel(kiln_dtype dtype) {
  std::string name = dtypeName(dtype);
  return name != "unknown" ? name : "dtype " + std::to_string(dtype);
}

/// "input 0 'X': float [2,3], random uniform in [-1, 1), seed 0".
void printInput(int i, const kiln_tensor_desc &desc, const Tensor &t,
                Fill fill) {
  llvm::outs() << "input " << i << " '" << desc.name
               << "': " << dtypeLabel(t.dtype) << " " << shapeString(t.dims)
               << ", " << describeFill(t.dtype, fill);
  if (fill == Fill::Random)
    llvm::outs() << ", seed " << seed;
  llvm::outs() << "\n";
}

/// Makes the inputs for --random or --zeros, prints a line for each and
/// writes them to --save-inputs.
int generateInputs(Runner &r) {
  std::vector<std::vector<int64_t>> shapes;
  std::string error = chooseShapes(*r.api, inputShapes, shapes);
  if (!error.empty())
    return fail(error, UsageOrIO);
  Fill fill = randomInputs ? Fill::Random : Fill::Zeros;
  for (int i = 0; i < (int)shapes.size(); ++i) {
    const kiln_tensor_desc *desc = r.api->input_desc(i);
    r.inputs.push_back(makeInput(desc->dtype, shapes[i], fill, seed, i));
    printInput(i, *desc, r.inputs.back(), fill);
  }
  if (saveInputsDir.empty())
    return Ok;
  return writeTensors(saveInputsDir, "input", r.inputs, r.api->input_desc);
}

/// Sizes and allocates the outputs and workspace for the inputs.
int queryOutputs(Runner &r) {
  if (llvm::Error err = r.model->prepare(r.inputs, r.outputs)) {
    int rc = fail(std::move(err));
    if (generating())
      llvm::errs() << "kiln-run: note: the inputs were made, with the "
                      "shapes above; an input whose values decide a shape "
                      "(a Reshape's) may need --inputs DIR\n";
    return rc;
  }
  return Ok;
}

/// Compares the outputs with --check's; Ok, Mismatch or UsageOrIO.
int checkOutputs(Runner &r) {
  if (!llvm::sys::fs::is_directory(checkDir))
    return fail("--check: " + checkDir + " is not a directory", UsageOrIO);
  // A missing expected output, or one the model does not have, is a
  // mismatch, not an I/O error: the model's outputs are not the test's.
  int differ = 0, numOutputs = (int)r.outputs.size();
  for (int o = 0; o < numOutputs; ++o) {
    const char *name = r.api->output_desc(o)->name;
    std::string path = tensorPath(checkDir, "output", o);
    if (!llvm::sys::fs::exists(path)) {
      llvm::outs() << "output '" << name << "': MISMATCH: no expected " << path
                   << "\n";
      ++differ;
      continue;
    }
    Tensor expected;
    std::string error = readTensor(path, expected);
    if (!error.empty())
      return fail(error, UsageOrIO);
    if (!compare(name, r.outputs[o], expected))
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
  llvm::outs() << (differ ? "MISMATCH\n" : "MATCH\n");
  return differ ? Mismatch : Ok;
}

/// --info: `info: <prefix> <triple> <cpu in use> variants <cpu,...>`.
void printModelInfo(const Runner &r) {
  const kiln_model_info *info = r.api->model_info();
  llvm::outs() << "info: " << info->prefix << " " << info->target_triple << " "
               << info->target_cpu << " variants ";
  bool hasVariants =
      info->struct_size >= offsetof(kiln_model_info, variants) + sizeof(void *);
  for (int32_t i = 0; hasVariants && i < info->num_variants; ++i)
    llvm::outs() << (i ? "," : "") << info->variants[i];
  llvm::outs() << "\n";
}

/// Times --bench runs after a warm-up and prints their latencies.
void bench(Runner &r) {
  std::vector<double> micros = r.model->time(benchRuns);
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
  llvm::outs() << "bench: workspace bytes " << r.model->getWorkspaceBytes()
               << "\n";
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  if (!takeThreadsFlag(argc, argv))
    return fail("--threads takes a number from 1 to 1024", UsageOrIO);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv, overview);
  // A library that is not there is the first thing to say.
  if (!llvm::sys::fs::exists(library))
    return fail("cannot open '" + library + "': no such file", UsageOrIO);
  std::string error = checkFlags();
  if (!error.empty())
    return fail(error, UsageOrIO);
  Runner r;
  if (int rc = loadModel(r))
    return rc;
  if (printInfo)
    printModelInfo(r);
  if (int rc = generating() ? generateInputs(r) : readInputs(r))
    return rc;
  if (int rc = queryOutputs(r))
    return rc;
  if (llvm::Error err = r.model->run())
    return fail(std::move(err));
  if (!outputsDir.empty())
    if (int rc =
            writeTensors(outputsDir, "output", r.outputs, r.api->output_desc))
      return rc;
  int rc = checkDir.empty() ? Ok : checkOutputs(r);
  if (rc == UsageOrIO)
    return rc;
  if (benchRuns)
    bench(r);
  return rc;
}
