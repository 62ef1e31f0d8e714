//===- Calibration.cpp - activation ranges from calibration runs ----------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Quantization/Calibration.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace kiln::quant {

std::optional<CalibrationMethod> parseCalibrationMethod(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<CalibrationMethod>>(name)
      .Case("minmax", CalibrationMethod::MinMax)
      .Case("percentile", CalibrationMethod::Percentile)
      .Case("entropy", CalibrationMethod::Entropy)
      .Default(std::nullopt);
}

llvm::StringRef getCalibrationMethodName(CalibrationMethod method) {
  switch (method) {
  case CalibrationMethod::MinMax:
    return "minmax";
  case CalibrationMethod::Percentile:
    return "percentile";
  case CalibrationMethod::Entropy:
    return "entropy";
  }
  return "";
}

//===----------------------------------------------------------------------===//
// The table as JSON
//===----------------------------------------------------------------------===//

static constexpr llvm::StringLiteral kFormat = "kiln-calibration-table";

void writeCalibrationTable(const CalibrationTable &table,
                           llvm::raw_ostream &os) {
  llvm::json::Object ranges;
  for (const auto &[node, range] : table.ranges)
    ranges[node] = llvm::json::Array{range.min, range.max};
  llvm::json::Object root{{"format", kFormat},
                          {"version", 1},
                          {"method", table.method},
                          {"samples", table.samples},
                          {"ranges", std::move(ranges)}};
  auto writeMap = [&](llvm::StringRef name,
                      const std::map<std::string, double> &values) {
    if (values.empty())
      return;
    llvm::json::Object object;
    for (const auto &[node, value] : values)
      object[node] = value;
    root[name] = std::move(object);
  };
  writeMap("mean_square", table.meanSquare);
  writeMap("zero_fraction", table.zeroFraction);
  writeMap("output_mean_square", table.outputMeanSquare);
  writeMap("sensitivity", table.sensitivity);
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
}

static llvm::Error tableError(llvm::StringRef path, const llvm::Twine &why) {
  return llvm::createStringError("calibration table " + path + ": " + why);
}

llvm::Expected<CalibrationTable> readCalibrationTable(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return tableError(path, buffer.getError().message());
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*buffer)->getBuffer());
  if (!json)
    return tableError(path, llvm::toString(json.takeError()));
  const llvm::json::Object *root = json->getAsObject();
  if (!root || root->getString("format") != kFormat)
    return tableError(path, "not a kiln calibration table");
  CalibrationTable table;
  table.method = root->getString("method").value_or("").str();
  table.samples = root->getInteger("samples").value_or(0);
  const llvm::json::Object *ranges = root->getObject("ranges");
  if (!ranges)
    return tableError(path, "no ranges");
  for (const auto &[node, value] : *ranges) {
    const llvm::json::Array *pair = value.getAsArray();
    std::optional<double> lo =
        pair && pair->size() == 2 ? (*pair)[0].getAsNumber() : std::nullopt;
    std::optional<double> hi =
        lo ? (*pair)[1].getAsNumber() : std::optional<double>();
    auto representable = [](std::optional<double> v) {
      return v && std::fabs(*v) <= std::numeric_limits<float>::max();
    };
    if (!representable(lo) || !representable(hi) || *lo > *hi)
      return tableError(path, "bad range for '" + node.str() + "'");
    table.ranges[node.str()] = Range{*lo, *hi};
  }
  for (auto [name, values] :
       {std::pair("mean_square", &table.meanSquare),
        std::pair("zero_fraction", &table.zeroFraction),
        std::pair("output_mean_square", &table.outputMeanSquare),
        std::pair("sensitivity", &table.sensitivity)}) {
    const llvm::json::Object *object = root->getObject(name);
    if (!object)
      continue;
    for (const auto &[node, value] : *object) {
      std::optional<double> number = value.getAsNumber();
      if (!number || !(*number >= 0) || !std::isfinite(*number))
        return tableError(path, llvm::Twine("bad ") + name + " for '" +
                                    node.str() + "'");
      (*values)[node.str()] = *number;
    }
  }
  return table;
}

//===----------------------------------------------------------------------===//
// Statistics and ranges
//===----------------------------------------------------------------------===//

void ActivationStats::addToRange(llvm::ArrayRef<float> values) {
  for (float v : values) {
    if (!std::isfinite(v))
      continue;
    min = std::min(min, (double)v);
    max = std::max(max, (double)v);
    sumSquares += (double)v * v;
    zeros += v == 0;
    ++count;
  }
}

double ActivationStats::getAbsMax() const {
  return empty() ? 0.0 : std::max(std::fabs(min), std::fabs(max));
}

void ActivationStats::addToHistogram(llvm::ArrayRef<float> values) {
  double absMax = getAbsMax();
  if (absMax == 0.0)
    return;
  histogram.resize(kBins);
  double binsPerUnit = kBins / absMax;
  for (float v : values) {
    if (!std::isfinite(v))
      continue;
    int bin = (int)(std::fabs(v) * binsPerUnit);
    histogram[std::min(bin, kBins - 1)] += 1;
  }
}

Range ActivationStats::clampTo(double threshold) const {
  return Range{std::max(min, -threshold), std::min(max, threshold)};
}

/// The smallest threshold in bins holding `percentile` % of the histogram.
static int getPercentileBins(llvm::ArrayRef<double> histogram,
                             double percentile) {
  double total = std::accumulate(histogram.begin(), histogram.end(), 0.0);
  double wanted = total * std::clamp(percentile, 0.0, 100.0) / 100.0, sum = 0;
  for (size_t b = 0; b < histogram.size(); ++b) {
    sum += histogram[b];
    if (sum >= wanted)
      return (int)b + 1;
  }
  return (int)histogram.size();
}

Range ActivationStats::getRange(CalibrationMethod method,
                                double percentile) const {
  if (empty())
    return Range{};
  if (method == CalibrationMethod::MinMax || histogram.empty())
    return Range{min, max};
  // The positive side of [max(min, -t), t] gets this share of the 256
  // uint8 levels: all of them after a ReLU, about half when symmetric.
  double absMax = getAbsMax(), below = std::max(-min, 0.0);
  auto levelsAt = [&](int bins) {
    double t = absMax * bins / kBins;
    return std::max(8, (int)std::lround(255 * t / (t + std::min(below, t))));
  };
  int bins = method == CalibrationMethod::Percentile
                 ? getPercentileBins(histogram, percentile)
                 : getEntropyThresholdBins(histogram, levelsAt);
  return clampTo(getAbsMax() * bins / kBins);
}

/// `candidate` (the first bins of a histogram) merged into `levels` groups
/// and expanded back over the bins where `p` (the clipped distribution) is
/// nonzero: each group's mass spread evenly over them.
static std::vector<double> quantizeBins(llvm::ArrayRef<double> candidate,
                                        llvm::ArrayRef<double> p, int levels) {
  size_t n = candidate.size();
  std::vector<double> q(n, 0.0);
  for (int j = 0; j < levels; ++j) {
    size_t begin = n * j / levels, end = n * (j + 1) / levels;
    double mass = 0;
    int nonzero = 0;
    for (size_t b = begin; b < end; ++b) {
      mass += candidate[b];
      nonzero += p[b] != 0;
    }
    for (size_t b = begin; b < end; ++b)
      if (p[b] != 0)
        q[b] = mass / nonzero;
  }
  return q;
}

/// KL(P || Q) of two unnormalised distributions over the same bins.
static double klDivergence(llvm::ArrayRef<double> p, llvm::ArrayRef<double> q) {
  double pSum = std::accumulate(p.begin(), p.end(), 0.0);
  double qSum = std::accumulate(q.begin(), q.end(), 0.0);
  if (pSum == 0 || qSum == 0)
    return 0;
  double kl = 0;
  for (size_t b = 0; b < p.size(); ++b) {
    if (p[b] == 0)
      continue;
    double pb = p[b] / pSum, qb = std::max(q[b] / qSum, 1e-12);
    kl += pb * std::log(pb / qb);
  }
  return kl;
}

int getEntropyThresholdBins(llvm::ArrayRef<double> histogram,
                            llvm::function_ref<int(int)> levelsAt) {
  int n = (int)histogram.size(), first = std::min(128, n);
  int best = n;
  double bestKL = INFINITY;
  double outliers =
      std::accumulate(histogram.begin() + first, histogram.end(), 0.0);
  for (int i = first; i <= n; ++i) {
    int levels = std::min(levelsAt(i), i);
    // P: the first i bins, everything beyond clipped into the last.
    std::vector<double> p(histogram.begin(), histogram.begin() + i);
    p.back() += outliers;
    std::vector<double> q = quantizeBins(histogram.take_front(i), p, levels);
    double kl = klDivergence(p, q);
    if (kl < bestKL)
      bestKL = kl, best = i;
    if (i < n)
      outliers -= histogram[i];
  }
  return best;
}

Uint8Params getUint8Params(Range range) {
  double lo = std::min(range.min, 0.0), hi = std::max(range.max, 0.0);
  if (hi - lo < 1e-30)
    return Uint8Params{1.0f, 0};
  double scale = (hi - lo) / 255.0;
  double zeroPoint = std::clamp(std::round(-lo / scale), 0.0, 255.0);
  return Uint8Params{(float)scale, (uint8_t)zeroPoint};
}

} // namespace kiln::quant
