//===- ModelRunner.h - load, run and time a compiled model ------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Loads a shared library built by `kilnc --emit=lib` through its one
// unprefixed symbol, kiln_get_model_api, creates the model and a context,
// sizes the outputs and workspace for given inputs, runs and times it.
// kiln-run is a main over it; calibration and tuning run models with it.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DRIVER_MODELRUNNER_H
#define KILN_DRIVER_MODELRUNNER_H

#include "kiln/Driver/TaskPool.h"
#include "kiln_types.h"

#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace kiln::driver {

/// A tensor as the model's ABI passes it: dense little-endian bytes.
struct HostTensor {
  kiln_dtype dtype = KILN_DTYPE_UNDEFINED;
  std::vector<int64_t> dims;
  std::vector<char> bytes;
};

/// Why a run failed: the library (loading it, its ABI version) or the
/// model (a status other than OK).
class RunError : public llvm::ErrorInfo<RunError> {
public:
  static char ID;
  RunError(bool fromModel, std::string message)
      : fromModel(fromModel), text(std::move(message)) {}
  bool isModelStatus() const { return fromModel; }
  void log(llvm::raw_ostream &os) const override { os << text; }
  std::error_code convertToErrorCode() const override {
    return llvm::inconvertibleErrorCode();
  }

private:
  bool fromModel;
  std::string text;
};

class ModelRunner {
public:
  /// Loads the library at `path`, checks the host, creates the model and
  /// one context. With `threads` > 1 the model's parallel loops run on a
  /// pool of that many threads (the caller's included).
  static llvm::Expected<std::unique_ptr<ModelRunner>>
  load(llvm::StringRef path, unsigned threads = 1);
  ~ModelRunner();

  const kiln_model_api &getAPI() const { return *api; }

  /// Binds `inputs`, asks the model for the outputs' dtypes and dims and
  /// the workspace size, and allocates `outputs` and the workspace. The
  /// tensors must outlive the runs.
  llvm::Error prepare(std::vector<HostTensor> &inputs,
                      std::vector<HostTensor> &outputs);

  /// Runs once on what `prepare` bound.
  llvm::Error run();

  /// The workspace bytes `prepare` allocated (what `query` asked for).
  size_t getWorkspaceBytes() const { return workspace.size(); }

  /// Latencies in microseconds of `runs` runs after one warm-up, sorted.
  std::vector<double> time(unsigned runs);

private:
  ModelRunner() = default;
  llvm::Error modelError(const char *call, kiln_status status);

  std::unique_ptr<TaskPool> pool; // outlives the model
  void *handle = nullptr;
  const kiln_model_api *api = nullptr;
  kiln_model *model = nullptr;
  kiln_ctx *ctx = nullptr;
  std::vector<kiln_tensor> in, out;
  std::vector<char> workspace;
};

} // namespace kiln::driver

#endif // KILN_DRIVER_MODELRUNNER_H
