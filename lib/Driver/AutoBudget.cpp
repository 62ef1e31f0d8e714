//===- AutoBudget.cpp - --quantize=auto's budget, checked -----------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The policy adds up each layer's own noise, which only estimates the
// output's. So kilnc builds the model as chosen, runs the calibration
// sets, and compares the outputs with the f32 ones. Where the output SQNR
// falls short of --accuracy-budget it asks the policy for that much more;
// where it is well above, for that much less; once both sides are known it
// bisects. It keeps the lowest budget that met the target (at most five
// builds; none: every layer f32).
//
//===----------------------------------------------------------------------===//

#include "Calibrate.h"

#include "llvm/Support/Format.h"

#include <cmath>

namespace kiln::driver {
namespace {

/// The output SQNR (dB) of `runner` over `sets` against `references`.
llvm::Expected<double>
measureSQNR(ModelRunner &runner, std::vector<InputSet> &sets,
            const std::vector<std::vector<float>> &references) {
  double signal = 0, noise = 0;
  for (auto [set, reference] : llvm::zip(sets, references)) {
    std::vector<HostTensor> outputs;
    if (llvm::Error err = runSet(runner, set, outputs))
      return err;
    std::vector<float> y = getModelOutputs(runner.getAPI(), outputs);
    if (y.size() != reference.size())
      return makeError(ErrorKind::Internal,
                       "--quantize=auto: the outputs changed size");
    for (auto [r, v] : llvm::zip(reference, y)) {
      signal += (double)r * r;
      noise += ((double)r - v) * ((double)r - v);
    }
  }
  return noise > 0 ? 10 * std::log10(signal / noise) : INFINITY;
}

} // namespace

llvm::Expected<double>
fitBudget(const CompileOptions &options, llvm::StringRef dir,
          llvm::StringRef tablePath, std::vector<InputSet> &sets,
          const std::vector<std::vector<float>> &references,
          llvm::raw_ostream &diagnostics) {
  double target = options.accuracyBudget, budget = target;
  // Budgets asked of the policy: `low` failed the target, `best` (the
  // lowest so far) met it; the output SQNR grows with the budget.
  double low = -INFINITY, best = INFINITY, previous = NAN;
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto runner = loadInstrumented(
        options, dir, "candidate" + std::to_string(attempt) + ".so",
        [&](CompileOptions &o) {
          o.quantize = "auto";
          o.calibrationData.clear();
          o.calibrationTable = tablePath.str();
          o.accuracyBudget = budget;
        },
        diagnostics);
    if (!runner)
      return runner.takeError();
    llvm::Expected<double> sqnr = measureSQNR(**runner, sets, references);
    if (!sqnr)
      return sqnr.takeError();
    if (options.explain)
      diagnostics << options.inputPath << ": remark: --quantize=auto: "
                  << llvm::format("%.1f", *sqnr)
                  << " dB output SQNR on the calibration data, choosing for "
                  << llvm::format("%.1f", budget) << " dB\n";
    bool met = *sqnr >= target;
    if (met)
      best = std::min(best, budget);
    else
      low = std::max(low, budget);
    // Close enough above the target, or no more layers to gain.
    if ((met && *sqnr < target + 1.0) || std::isinf(*sqnr) ||
        (met && *sqnr == previous))
      break;
    previous = *sqnr;
    // Bisect once both sides are known; until then, move by the
    // difference (and a margin when short).
    if (std::isfinite(low) && std::isfinite(best)) {
      if (best - low < 0.5)
        break;
      budget = (low + best) / 2;
    } else {
      budget += target - *sqnr + (met ? 0.0 : 0.5);
    }
  }
  return best;
}

} // namespace kiln::driver
