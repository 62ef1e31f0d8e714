//===- AutoPrecision.cpp - int8 layers within an accuracy budget ----------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "AutoPrecision.h"
#include "LayerFeatures.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <variant>

using namespace mlir;

namespace kiln::onnx {
namespace {

int64_t staticElements(Value v, int64_t fromDim = 0) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type)
    return 1;
  int64_t n = 1;
  for (int64_t d : type.getShape().drop_front(fromDim))
    n *= ShapedType::isDynamic(d) ? 1 : d;
  return n;
}

std::string decibels(double ratio) {
  char text[48];
  std::snprintf(text, sizeof(text), "%.1f dB",
                ratio > 0 ? 10 * std::log10(ratio) : -INFINITY);
  return text;
}

} // namespace

int64_t getMultiplyAdds(const QuantizableLayer &layer) {
  return staticElements(layer.op->getResult(0)) * getReducedLength(layer);
}

/// The sensitivity of `layers[index]` by `source`, or why there is none.
static std::variant<double, const char *>
getSensitivity(ArrayRef<QuantizableLayer> layers, size_t index,
               const quant::CalibrationTable &table, SensitivitySource source) {
  if (source == SensitivitySource::Predicted) {
    std::optional<quant::LayerFeatures> f =
        getLayerFeatures(layers, index, table);
    if (!f)
      return "the calibration table has no range or statistics for it";
    return quant::predictSensitivity(*f);
  }
  std::string key = getLayerKey(layers[index].op);
  auto sensitivity = table.sensitivity.find(key);
  if (!table.ranges.count(key) || sensitivity == table.sensitivity.end())
    return "the calibration table has no sensitivity for it";
  return sensitivity->second;
}

std::vector<PrecisionChoice>
chooseWithinBudget(ArrayRef<QuantizableLayer> layers,
                   const quant::CalibrationTable &table, double budgetDb,
                   const llvm::StringSet<> &kept, SensitivitySource source) {
  struct Candidate {
    size_t index;
    double ratio, worth;
  };
  std::vector<PrecisionChoice> choices;
  std::vector<Candidate> candidates;
  for (auto [i, layer] : llvm::enumerate(layers)) {
    std::variant<double, const char *> sensitivity =
        kept.contains(getLayerKey(layer.op))
            ? "kept in float by --keep-float"
            : getSensitivity(layers, i, table, source);
    const char *const *why = std::get_if<const char *>(&sensitivity);
    choices.push_back({layer.op, false, why ? *why : ""});
    if (why)
      continue;
    double ratio = std::get<double>(sensitivity);
    double worth = getMultiplyAdds(layer) / std::max(ratio, 1e-30);
    candidates.push_back({i, ratio, worth});
  }
  llvm::stable_sort(candidates, [](const Candidate &a, const Candidate &b) {
    return a.worth > b.worth;
  });
  const char *predicted =
      source == SensitivitySource::Predicted ? "a predicted " : "";
  double allowance = std::pow(10.0, -budgetDb / 10), used = 0;
  for (const Candidate &c : candidates) {
    PrecisionChoice &choice = choices[c.index];
    if (used + c.ratio <= allowance) {
      used += c.ratio;
      choice.int8 = true;
      choice.why = "alone it adds " + std::string(predicted) +
                   decibels(c.ratio) + " of noise; the layers chosen so far " +
                   decibels(used);
    } else {
      choice.why = std::string(*predicted ? "its predicted " : "its ") +
                   decibels(c.ratio) +
                   " of noise would take the output past the budget";
    }
  }
  return choices;
}

} // namespace kiln::onnx
