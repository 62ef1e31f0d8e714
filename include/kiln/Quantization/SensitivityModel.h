//===- SensitivityModel.h - int8 sensitivity, predicted ---------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// `--precision-search=predict`: instead of a second instrumented build
// that measures each layer's noise-to-signal ratio when it alone is int8,
// a model learned from those measurements over the model zoo predicts it
// from what the compiler knows of the layer: its weights, the calibrated
// range and mean square of its activation, its shape and its depth. The
// model (utils/sensitivity/train.py) is compiled into kilnc.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_QUANTIZATION_SENSITIVITYMODEL_H
#define KILN_QUANTIZATION_SENSITIVITYMODEL_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <array>
#include <string>

namespace kiln::quant {

/// What the predictor reads of a layer; every ratio as log10. With x the
/// activation, y the output, W the weights (N output channels), dW their
/// per-channel int8 rounding error, s the activation's uint8 step, z the
/// fraction of x that is 0 (exact in uint8) and f the fraction of a
/// convolution's taps inside its input (the rest read padding, exact
/// too), each rounding error taken as independent of the rest:
struct LayerFeatures {
  /// The weights' rounding noise at the output over its mean square:
  /// f E[x^2] |dW|^2 / (N E[y^2]).
  double weightNoise = 0;
  /// The activation's rounding noise at the output,
  /// f (1 - z) (s^2 / 12) |W|^2 / (N E[y^2]).
  double activationNoise = 0;
  /// The two above, added as ratios: the first-order estimate.
  double estimate = 0;
  /// N E[y^2] / (f E[x^2] |W|^2): 1 where x's elements are uncorrelated
  /// and zero-mean; more where they add coherently.
  double gain = 0;
  /// z and 1 - f, as they are.
  double zeros = 0;
  double padding = 0;
  /// The activation's largest |x| in range over its root mean square.
  double activationCrest = 0;
  /// The reduced length (multiply-adds per output).
  double reduction = 0;
  /// The layer's place among the quantizable layers, 0 (first) to 1.
  double depth = 0;
  /// 1 for a convolution, 0 for MatMul and Gemm.
  double convolution = 0;
};

inline constexpr int kNumLayerFeatures = 10;

std::array<double, kNumLayerFeatures> toArray(const LayerFeatures &features);
llvm::ArrayRef<llvm::StringLiteral> getLayerFeatureNames();

/// The predicted noise-to-signal ratio (energy, not log) of the layer's
/// output when it alone is int8.
double predictSensitivity(const LayerFeatures &features);

/// The learned model's provenance, for --explain and the docs.
llvm::StringRef getSensitivityModelSummary();

} // namespace kiln::quant

#endif // KILN_QUANTIZATION_SENSITIVITYMODEL_H
