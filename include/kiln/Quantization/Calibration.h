//===- Calibration.h - activation ranges from calibration runs --*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Post-training quantization measures the activations each quantizable
// layer reads over a calibration data set and picks a range per layer:
// min-max, a percentile of |x|, or the threshold that minimises the KL
// divergence of the quantized distribution from the measured one (entropy
// calibration). The ranges, keyed by the ONNX node that reads the
// activation, form a calibration table, written and read as JSON so one
// calibration serves many compiles.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_QUANTIZATION_CALIBRATION_H
#define KILN_QUANTIZATION_CALIBRATION_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kiln::quant {

/// The name of a calibration probe output (onnx-calibration-probes) is this
/// prefix and the layer's key.
inline constexpr llvm::StringLiteral kProbePrefix = "calibration:";
/// ...and of the layer's own output (its mean square is a feature of the
/// sensitivity predictor) this one.
inline constexpr llvm::StringLiteral kOutputProbePrefix = "calibration-output:";
/// Outputs of the sensitivity build (onnx-sensitivity-probes):
/// `sensitivity:<key>:noise` and `sensitivity:<key>:signal`.
inline constexpr llvm::StringLiteral kSensitivityPrefix = "sensitivity:";

struct Range {
  double min = 0, max = 0;
};

enum class CalibrationMethod { MinMax, Percentile, Entropy };

std::optional<CalibrationMethod> parseCalibrationMethod(llvm::StringRef name);
llvm::StringRef getCalibrationMethodName(CalibrationMethod method);

/// Activation ranges by the ONNX node that reads them; statistics of the
/// sensitivity predictor's features: the mean square and the fraction of
/// zeros of each layer's activation, and the mean square of its output;
/// and, for --quantize=auto, each layer's sensitivity: the noise-to-signal
/// energy ratio of its output when it alone is int8.
struct CalibrationTable {
  std::string method;
  int64_t samples = 0;
  std::map<std::string, Range> ranges;
  std::map<std::string, double> meanSquare, zeroFraction, outputMeanSquare;
  std::map<std::string, double> sensitivity;
};

llvm::Expected<CalibrationTable> readCalibrationTable(llvm::StringRef path);
void writeCalibrationTable(const CalibrationTable &table,
                           llvm::raw_ostream &os);

/// One activation's statistics over the calibration runs: its min and max
/// (first pass), then a histogram of |x| over [0, max |x|] (second pass,
/// for the percentile and entropy methods).
class ActivationStats {
public:
  static constexpr int kBins = 2048;

  void addToRange(llvm::ArrayRef<float> values);
  void addToHistogram(llvm::ArrayRef<float> values);
  bool empty() const { return min > max; }
  /// The mean of x^2, and the fraction of values that are 0, over the
  /// finite values seen by addToRange.
  double getMeanSquare() const { return count ? sumSquares / count : 0.0; }
  double getZeroFraction() const { return count ? (double)zeros / count : 0.0; }

  /// The range `method` picks; `percentile` (of |x|, in (0, 100]) for the
  /// percentile method.
  Range getRange(CalibrationMethod method, double percentile) const;

private:
  double getAbsMax() const;
  Range clampTo(double threshold) const;

  double min = 1.0 / 0.0, max = -1.0 / 0.0;
  double sumSquares = 0;
  int64_t count = 0, zeros = 0;
  std::vector<double> histogram;
};

/// Whether `method` needs the second (histogram) pass.
inline bool needsHistogram(CalibrationMethod method) {
  return method != CalibrationMethod::MinMax;
}

/// The threshold (in bins of `histogram`, a histogram of |x|) whose
/// quantization loses the least information: the smallest KL(P || Q) of
/// the clipped distribution P and its quantized form Q, with
/// `levelsAt(bins)` levels for a threshold of `bins` bins.
int getEntropyThresholdBins(llvm::ArrayRef<double> histogram,
                            llvm::function_ref<int(int)> levelsAt);

/// Asymmetric uint8 parameters of a range widened to hold 0, as ONNX's
/// QuantizeLinear takes them: x ~ (q - zeroPoint) * scale.
struct Uint8Params {
  float scale;
  uint8_t zeroPoint;
};
Uint8Params getUint8Params(Range range);

} // namespace kiln::quant

#endif // KILN_QUANTIZATION_CALIBRATION_H
