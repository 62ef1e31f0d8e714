//===- SensitivityModel.cpp - a layer's int8 sensitivity, predicted -------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Quantization/SensitivityModel.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <cmath>

namespace kiln::quant {
namespace {
// kSensitivityIntercept, kSensitivityWeights, kSensitivityModelSummary.
#include "SensitivityModelWeights.inc"

static_assert(std::size(kSensitivityWeights) == kNumLayerFeatures,
              "retrain: the features changed");

constexpr llvm::StringLiteral kNames[] = {
    "weight_noise", "activation_noise", "estimate",  "gain",  "zeros",
    "padding",      "activation_crest", "reduction", "depth", "convolution"};
static_assert(std::size(kNames) == kNumLayerFeatures);
} // namespace

std::array<double, kNumLayerFeatures> toArray(const LayerFeatures &f) {
  return {f.weightNoise, f.activationNoise, f.estimate,        f.gain,
          f.zeros,       f.padding,         f.activationCrest, f.reduction,
          f.depth,       f.convolution};
}

llvm::ArrayRef<llvm::StringLiteral> getLayerFeatureNames() { return kNames; }

double predictSensitivity(const LayerFeatures &features) {
  double log10Ratio = kSensitivityIntercept;
  for (auto [weight, value] : llvm::zip(kSensitivityWeights, toArray(features)))
    log10Ratio += weight * value;
  // Ratios beyond these are no use to the policy and would not print.
  return std::pow(10.0, std::clamp(log10Ratio, -30.0, 10.0));
}

llvm::StringRef getSensitivityModelSummary() {
  return kSensitivityModelSummary;
}

} // namespace kiln::quant
