//===- Calibrate.cpp - calibration runs for post-training quantization ----===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "Calibrate.h"
#include "Output.h"
#include "kiln/Quantization/Calibration.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <thread>

namespace kiln::driver {
namespace {

/// The instrumented build of `options`' model: a shared library for this
/// machine in `dir`, each quantizable layer's activation an output too.
llvm::Expected<std::string> buildProbes(const CompileOptions &options,
                                        llvm::StringRef dir,
                                        llvm::raw_ostream &diagnostics) {
  CompileOptions probes = options;
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, "probes.so");
  probes.outputPath = path.str().str();
  probes.outputKind = OutputKind::SharedLibrary;
  probes.headerPath = "none";
  probes.prefix = "calibration_probes";
  probes.quantize.clear();
  probes.calibrationProbes = true;
  probes.checkOnly = probes.explain = probes.timeReport = false;
  probes.reportPaths.clear();
  probes.progress = ProgressMode::Never;
  probes.target = cpu::CPUTargetOptions();
  probes.target.cpu = "host";
  probes.target.optLevel = options.target.optLevel;
  if (llvm::Error err = compileModel(probes, diagnostics, llvm::nulls()))
    return std::move(err);
  return probes.outputPath;
}

/// The probe outputs of the instrumented build and their statistics.
struct Probes {
  std::vector<int> outputs;
  std::vector<std::string> keys;
  std::vector<quant::ActivationStats> stats;
};

Probes findProbes(const kiln_model_api &api) {
  Probes probes;
  for (int i = 0; i < api.num_outputs(); ++i) {
    llvm::StringRef name = api.output_desc(i)->name;
    if (!name.consume_front(quant::kProbePrefix))
      continue;
    probes.outputs.push_back(i);
    probes.keys.push_back(name.str());
  }
  probes.stats.resize(probes.outputs.size());
  return probes;
}

llvm::Error runError(llvm::Error err) {
  return makeError(ErrorKind::Usage,
                   "calibration run failed: " + llvm::toString(std::move(err)));
}

/// Runs every set once, adding what each probe saw to its range or (with
/// `histogram`) to its histogram.
llvm::Error runPass(ModelRunner &runner, std::vector<InputSet> &sets,
                    Probes &probes, bool histogram) {
  for (InputSet &set : sets) {
    std::vector<HostTensor> outputs;
    if (llvm::Error err = runner.prepare(set, outputs))
      return runError(std::move(err));
    if (llvm::Error err = runner.run())
      return runError(std::move(err));
    for (auto [k, index] : llvm::enumerate(probes.outputs)) {
      const HostTensor &t = outputs[index];
      if (t.dtype != KILN_DTYPE_FLOAT32)
        continue;
      llvm::ArrayRef<float> values(
          reinterpret_cast<const float *>(t.bytes.data()),
          t.bytes.size() / sizeof(float));
      if (histogram)
        probes.stats[k].addToHistogram(values);
      else
        probes.stats[k].addToRange(values);
    }
  }
  return llvm::Error::success();
}

llvm::Error writeTable(const Probes &probes, quant::CalibrationMethod method,
                       const CompileOptions &options, int64_t samples,
                       llvm::StringRef tablePath) {
  quant::CalibrationTable table;
  table.method = quant::getCalibrationMethodName(method).str();
  table.samples = samples;
  for (auto [key, stats] : llvm::zip(probes.keys, probes.stats))
    if (!stats.empty())
      table.ranges[key] = stats.getRange(method, options.calibrationPercentile);
  std::string text;
  llvm::raw_string_ostream os(text);
  quant::writeCalibrationTable(table, os);
  return writeFile(tablePath, text);
}

} // namespace

llvm::Error calibrate(const CompileOptions &options, llvm::StringRef tablePath,
                      llvm::raw_ostream &diagnostics) {
  std::optional<quant::CalibrationMethod> method =
      quant::parseCalibrationMethod(options.calibrationMethod);
  if (!method)
    return makeError(ErrorKind::Usage,
                     "unknown --calibration-method '" +
                         options.calibrationMethod +
                         "': use minmax, percentile or entropy");
  llvm::SmallString<128> dir;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory("kiln-calibration", dir))
    return makeError(ErrorKind::Usage,
                     "cannot create a temporary directory: " + ec.message());
  auto cleanup =
      llvm::make_scope_exit([&] { llvm::sys::fs::remove_directories(dir); });
  llvm::Expected<std::string> library = buildProbes(options, dir, diagnostics);
  if (!library)
    return library.takeError();
  unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
  auto runner = ModelRunner::load(*library, threads);
  if (!runner)
    return makeError(ErrorKind::Internal,
                     "cannot load the calibration build: " +
                         llvm::toString(runner.takeError()));
  auto sets = readCalibrationSets(options.calibrationData, (*runner)->getAPI());
  if (!sets)
    return sets.takeError();
  Probes probes = findProbes((*runner)->getAPI());
  if (llvm::Error err = runPass(**runner, *sets, probes, false))
    return err;
  if (quant::needsHistogram(*method))
    if (llvm::Error err = runPass(**runner, *sets, probes, true))
      return err;
  return writeTable(probes, *method, options, (int64_t)sets->size(), tablePath);
}

} // namespace kiln::driver
