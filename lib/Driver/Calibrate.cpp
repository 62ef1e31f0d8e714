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
#include <cstring>
#include <map>
#include <thread>

namespace kiln::driver {
namespace {

/// An instrumented build of `options`' model, as `instrument` sets it up:
/// a shared library for this machine, `name` in `dir`.
llvm::Expected<std::string>
buildInstrumented(const CompileOptions &options, llvm::StringRef dir,
                  llvm::StringRef name,
                  llvm::function_ref<void(CompileOptions &)> instrument,
                  llvm::raw_ostream &diagnostics) {
  CompileOptions probes = options;
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, name);
  probes.outputPath = path.str().str();
  probes.outputKind = OutputKind::SharedLibrary;
  probes.headerPath = "none";
  probes.prefix = "calibration_probes";
  probes.quantize.clear();
  probes.checkOnly = probes.explain = probes.timeReport = false;
  probes.reportPaths.clear();
  probes.dumpSensitivityFeatures.clear();
  probes.progress = ProgressMode::Never;
  probes.target = cpu::CPUTargetOptions();
  probes.target.cpu = "host";
  probes.target.optLevel = options.target.optLevel;
  instrument(probes);
  if (llvm::Error err = compileModel(probes, diagnostics, llvm::nulls()))
    return std::move(err);
  return probes.outputPath;
}

llvm::Expected<std::unique_ptr<ModelRunner>>
loadBuild(llvm::Expected<std::string> library) {
  if (!library)
    return library.takeError();
  unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
  auto runner = ModelRunner::load(*library, threads);
  if (!runner)
    return makeError(ErrorKind::Internal,
                     "cannot load the calibration build: " +
                         llvm::toString(runner.takeError()));
  return runner;
}

/// The probe outputs of the instrumented build with one prefix, and
/// their statistics.
struct Probes {
  std::vector<int> outputs;
  std::vector<std::string> keys;
  std::vector<quant::ActivationStats> stats;
};

Probes findProbes(const kiln_model_api &api, llvm::StringRef prefix) {
  Probes probes;
  for (int i = 0; i < api.num_outputs(); ++i) {
    llvm::StringRef name = api.output_desc(i)->name;
    if (!name.consume_front(prefix))
      continue;
    probes.outputs.push_back(i);
    probes.keys.push_back(name.str());
  }
  probes.stats.resize(probes.outputs.size());
  return probes;
}

/// Adds what `probes` saw in one run's `outputs` to their ranges or (with
/// `histogram`) to their histograms.
void addToStats(Probes &probes, const std::vector<HostTensor> &outputs,
                bool histogram) {
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

/// Runs every set once, adding what each activation probe saw to its
/// range or (with `histogram`) to its histogram; the first pass also
/// measures the layers' outputs and keeps the model's (`references`).
llvm::Error runPass(ModelRunner &runner, std::vector<InputSet> &sets,
                    Probes &probes, bool histogram, Probes *layerOutputs,
                    std::vector<std::vector<float>> *references = nullptr) {
  for (InputSet &set : sets) {
    std::vector<HostTensor> outputs;
    if (llvm::Error err = runSet(runner, set, outputs))
      return err;
    if (references)
      references->push_back(getModelOutputs(runner.getAPI(), outputs));
    addToStats(probes, outputs, histogram);
    if (layerOutputs)
      addToStats(*layerOutputs, outputs, false);
  }
  return llvm::Error::success();
}

/// The ranges the probes give by `method`, and the statistics; layers
/// with one key (ONNX node names need not be unique) get the range that
/// holds all of theirs and the largest of each statistic.
quant::CalibrationTable makeTable(const Probes &probes,
                                  const Probes &layerOutputs,
                                  quant::CalibrationMethod method,
                                  const CompileOptions &options,
                                  int64_t samples) {
  quant::CalibrationTable table;
  table.method = quant::getCalibrationMethodName(method).str();
  table.samples = samples;
  for (auto [key, stats] : llvm::zip(probes.keys, probes.stats)) {
    if (stats.empty())
      continue;
    quant::Range range = stats.getRange(method, options.calibrationPercentile);
    auto [it, inserted] = table.ranges.try_emplace(key, range);
    it->second.min = std::min(it->second.min, range.min);
    it->second.max = std::max(it->second.max, range.max);
    double &meanSquare = table.meanSquare[key];
    meanSquare = std::max(meanSquare, stats.getMeanSquare());
    double &zeros = table.zeroFraction[key];
    zeros = std::max(zeros, stats.getZeroFraction());
  }
  for (auto [key, stats] : llvm::zip(layerOutputs.keys, layerOutputs.stats)) {
    double &meanSquare = table.outputMeanSquare[key];
    meanSquare = std::max(meanSquare, stats.getMeanSquare());
  }
  return table;
}

llvm::Error saveTable(const quant::CalibrationTable &table,
                      llvm::StringRef path) {
  std::string text;
  llvm::raw_string_ostream os(text);
  quant::writeCalibrationTable(table, os);
  return writeFile(path, text);
}

/// Each layer's noise and signal energy when it alone is int8, summed
/// over the sets, from the sensitivity build's outputs.
llvm::Error measureSensitivity(ModelRunner &runner, std::vector<InputSet> &sets,
                               quant::CalibrationTable &table) {
  const kiln_model_api &api = runner.getAPI();
  std::map<std::string, std::pair<double, double>> energy;
  for (InputSet &set : sets) {
    std::vector<HostTensor> outputs;
    if (llvm::Error err = runSet(runner, set, outputs))
      return err;
    for (int i = 0; i < api.num_outputs(); ++i) {
      llvm::StringRef name = api.output_desc(i)->name;
      const HostTensor &t = outputs[i];
      if (!name.consume_front(quant::kSensitivityPrefix) ||
          t.dtype != KILN_DTYPE_FLOAT32 || t.bytes.size() != sizeof(float))
        continue;
      float value;
      std::memcpy(&value, t.bytes.data(), sizeof(float));
      auto [key, part] = name.rsplit(':');
      auto &sums = energy[key.str()];
      (part == "noise" ? sums.first : sums.second) += value;
    }
  }
  for (const auto &[key, sums] : energy)
    table.sensitivity[key] = sums.second > 0 ? sums.first / sums.second : 0;
  return llvm::Error::success();
}

llvm::Error fitAndReport(const CompileOptions &options, llvm::StringRef dir,
                         llvm::StringRef tablePath, std::vector<InputSet> &sets,
                         const std::vector<std::vector<float>> &references,
                         llvm::raw_ostream &diagnostics,
                         double *effectiveBudget) {
  llvm::Expected<double> fitted =
      fitBudget(options, dir, tablePath, sets, references, diagnostics);
  if (!fitted)
    return fitted.takeError();
  if (effectiveBudget)
    *effectiveBudget = *fitted;
  return llvm::Error::success();
}

} // namespace

llvm::Error runSet(ModelRunner &runner, InputSet &set,
                   std::vector<HostTensor> &outputs) {
  if (llvm::Error err = runner.prepare(set, outputs))
    return runError(std::move(err));
  if (llvm::Error err = runner.run())
    return runError(std::move(err));
  return llvm::Error::success();
}

llvm::Error runError(llvm::Error err) {
  return makeError(ErrorKind::Usage,
                   "calibration run failed: " + llvm::toString(std::move(err)));
}

std::vector<float> getModelOutputs(const kiln_model_api &api,
                                   const std::vector<HostTensor> &outputs) {
  std::vector<float> values;
  for (int i = 0; i < api.num_outputs(); ++i) {
    llvm::StringRef name = api.output_desc(i)->name;
    const HostTensor &t = outputs[i];
    if (t.dtype != KILN_DTYPE_FLOAT32 ||
        name.starts_with(quant::kProbePrefix) ||
        name.starts_with(quant::kOutputProbePrefix) ||
        name.starts_with(quant::kSensitivityPrefix))
      continue;
    const float *p = reinterpret_cast<const float *>(t.bytes.data());
    values.insert(values.end(), p, p + t.bytes.size() / sizeof(float));
  }
  return values;
}

llvm::Expected<std::unique_ptr<ModelRunner>>
loadInstrumented(const CompileOptions &options, llvm::StringRef dir,
                 llvm::StringRef name,
                 llvm::function_ref<void(CompileOptions &)> instrument,
                 llvm::raw_ostream &diagnostics) {
  return loadBuild(
      buildInstrumented(options, dir, name, instrument, diagnostics));
}

llvm::Error calibrate(const CompileOptions &options, llvm::StringRef tablePath,
                      llvm::raw_ostream &diagnostics, double *effectiveBudget) {
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
  auto runner = loadInstrumented(
      options, dir, "probes.so",
      [](CompileOptions &o) { o.calibrationProbes = true; }, diagnostics);
  if (!runner)
    return runner.takeError();
  auto sets = readCalibrationSets(options.calibrationData, (*runner)->getAPI());
  if (!sets)
    return sets.takeError();
  if (sets->empty())
    return makeError(ErrorKind::Usage, "--calibration-data: no input sets");
  Probes probes = findProbes((*runner)->getAPI(), quant::kProbePrefix);
  Probes layerOutputs =
      findProbes((*runner)->getAPI(), quant::kOutputProbePrefix);
  std::vector<std::vector<float>> references;
  if (llvm::Error err =
          runPass(**runner, *sets, probes, false, &layerOutputs, &references))
    return err;
  if (quant::needsHistogram(*method))
    if (llvm::Error err = runPass(**runner, *sets, probes, true, nullptr))
      return err;
  quant::CalibrationTable table =
      makeTable(probes, layerOutputs, *method, options, (int64_t)sets->size());
  if (llvm::Error err = saveTable(table, tablePath))
    return err;
  if (options.quantize != "auto")
    return llvm::Error::success();
  // --quantize=auto: each layer's own int8 error, from a second build,
  // unless the learned model predicts it.
  if (options.precisionSearch == "predict")
    return fitAndReport(options, dir, tablePath, *sets, references, diagnostics,
                        effectiveBudget);
  auto sensitivity = loadInstrumented(
      options, dir, "sensitivity.so",
      [&](CompileOptions &o) { o.sensitivityTable = tablePath.str(); },
      diagnostics);
  if (!sensitivity)
    return sensitivity.takeError();
  if (llvm::Error err = measureSensitivity(**sensitivity, *sets, table))
    return err;
  if (llvm::Error err = saveTable(table, tablePath))
    return err;
  return fitAndReport(options, dir, tablePath, *sets, references, diagnostics,
                      effectiveBudget);
}

} // namespace kiln::driver
