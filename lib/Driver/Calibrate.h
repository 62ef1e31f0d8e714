//===- Calibrate.h - calibration runs for post-training quantization -----===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// kilnc --quantize=int8 --calibration-data DIR: compile an instrumented
// build of the model (each quantizable layer's activation returned too),
// run it on DIR's input sets through the model runner, and reduce what
// each layer read to a range by the chosen method: the calibration table.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_DRIVER_CALIBRATE_H
#define KILN_LIB_DRIVER_CALIBRATE_H

#include "kiln/Driver/Compile.h"
#include "kiln/Driver/ModelRunner.h"

namespace kiln::driver {

/// One run's inputs, in the model's input order.
using InputSet = std::vector<HostTensor>;

/// The input sets in `dir` for the model `api` describes. Either one
/// subdirectory per set (the ONNX test layout), each holding input_<i>.pb
/// or .npy, or <input name>.npy; or, for a one-input model, one .pb or
/// .npy file per set, a file holding a batch split into sets where the
/// model's first dim is 1.
llvm::Expected<std::vector<InputSet>>
readCalibrationSets(llvm::StringRef dir, const kiln_model_api &api);

/// Calibrates as `options` say and writes the table to `tablePath`. With
/// --quantize=auto the table gets each layer's sensitivity too, and
/// `effectiveBudget` the budget that met --accuracy-budget on the sets.
llvm::Error calibrate(const CompileOptions &options, llvm::StringRef tablePath,
                      llvm::raw_ostream &diagnostics,
                      double *effectiveBudget = nullptr);

/// Runs `runner` once on `set`; a failure as runError gives it.
llvm::Error runSet(ModelRunner &runner, InputSet &set,
                   std::vector<HostTensor> &outputs);

/// A failed run of a calibration build, as kilnc's error.
llvm::Error runError(llvm::Error err);

/// The model's own f32 outputs (not the probes'), concatenated.
std::vector<float> getModelOutputs(const kiln_model_api &api,
                                   const std::vector<HostTensor> &outputs);

/// A build of `options`' model for this machine, named `name` in `dir`,
/// as `instrument` sets it up, loaded.
llvm::Expected<std::unique_ptr<ModelRunner>>
loadInstrumented(const CompileOptions &options, llvm::StringRef dir,
                 llvm::StringRef name,
                 llvm::function_ref<void(CompileOptions &)> instrument,
                 llvm::raw_ostream &diagnostics);

/// --quantize=auto's check (AutoBudget.cpp): builds the model as the
/// table's sensitivities choose for a budget, measures its output SQNR
/// against `references` (the f32 outputs per set), and moves the budget
/// asked of the policy by the difference, then bisects (at most five
/// builds). Returns
/// the lowest one whose build met --accuracy-budget; infinity (every
/// layer f32) if none did.
llvm::Expected<double>
fitBudget(const CompileOptions &options, llvm::StringRef dir,
          llvm::StringRef tablePath, std::vector<InputSet> &sets,
          const std::vector<std::vector<float>> &references,
          llvm::raw_ostream &diagnostics);

} // namespace kiln::driver

#endif // KILN_LIB_DRIVER_CALIBRATE_H
