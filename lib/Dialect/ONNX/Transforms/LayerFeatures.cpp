//===- LayerFeatures.cpp - what the sensitivity predictor reads -----------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "LayerFeatures.h"
#include "AutoPrecision.h"

#include "llvm/Support/JSON.h"

#include <algorithm>
#include <cmath>

using namespace mlir;

namespace kiln::onnx {
namespace {

/// The energy of `w` and of its error when quantized as onnx-quantize
/// does it: symmetric int8 per slice along `dim`.
struct WeightEnergy {
  double signal = 0, noise = 0;
};

WeightEnergy getWeightEnergy(ArrayRef<float> w, ArrayRef<int64_t> shape,
                             int64_t dim) {
  QuantizedWeights q = quantizePerChannel(w, shape, dim);
  WeightEnergy energy;
  for (size_t i = 0; i < w.size(); ++i) {
    double scale = q.scales[(i / q.inner) % q.scales.size()];
    double error = w[i] - q.values[i] * scale;
    energy.noise += error * error;
    energy.signal += (double)w[i] * w[i];
  }
  return energy;
}

/// The taps of a kernel of `k` (dilated by `dilation`, stride `stride`,
/// starting `begin` before the input) that fall inside an input of `in`,
/// over all `out` outputs, as a fraction of out x k.
double getInsideFraction(int64_t in, int64_t out, int64_t k, int64_t stride,
                         int64_t dilation, int64_t begin) {
  int64_t inside = 0;
  for (int64_t o = 0; o < out; ++o)
    for (int64_t t = 0; t < k; ++t) {
      int64_t at = o * stride - begin + t * dilation;
      inside += at >= 0 && at < in;
    }
  return out * k > 0 ? (double)inside / (out * k) : 1.0;
}

/// The `i`th of an optional i64 array attribute, or `otherwise`.
int64_t getAt(std::optional<ArrayAttr> attr, size_t i, int64_t otherwise) {
  return attr && i < attr->size() ? cast<IntegerAttr>((*attr)[i]).getInt()
                                  : otherwise;
}

/// The fraction of a convolution's taps, over its outputs, that read
/// its input rather than padding (1 for other layers).
double getInsideFraction(Operation *op) {
  auto conv = dyn_cast<ONNXConvOp>(op);
  if (!conv)
    return 1.0;
  auto x = cast<RankedTensorType>(conv.getX().getType());
  auto w = cast<RankedTensorType>(conv.getW().getType());
  auto y = dyn_cast<RankedTensorType>(conv->getResult(0).getType());
  if (!y || y.getRank() != x.getRank())
    return 1.0;
  size_t spatial = x.getRank() - 2;
  StringRef autoPad = conv.getAutoPad();
  double fraction = 1.0;
  for (size_t d = 0; d < spatial; ++d) {
    int64_t in = x.getDimSize(d + 2), out = y.getDimSize(d + 2);
    int64_t k = w.getDimSize(d + 2);
    int64_t stride = getAt(conv.getStrides(), d, 1);
    int64_t dilation = getAt(conv.getDilations(), d, 1);
    if (ShapedType::isDynamic(in) || ShapedType::isDynamic(out))
      return 1.0;
    int64_t total =
        std::max<int64_t>((out - 1) * stride + (k - 1) * dilation + 1 - in, 0);
    int64_t begin = autoPad == "SAME_UPPER"   ? total / 2
                    : autoPad == "SAME_LOWER" ? total - total / 2
                    : autoPad == "VALID"      ? 0
                                              : getAt(conv.getPads(), d, 0);
    fraction *= getInsideFraction(in, out, k, stride, dilation, begin);
  }
  return fraction;
}

/// log10 of `ratio`, kept finite.
double log10Of(double ratio) { return std::log10(std::max(ratio, 1e-30)); }

} // namespace

int64_t getReducedLength(const QuantizableLayer &layer) {
  auto shape = cast<RankedTensorType>(layer.weights.getType()).getShape();
  if (isa<ONNXConvOp>(layer.op))
    return shape[1] * shape[2] * shape[3];
  auto gemm = dyn_cast<ONNXGemmOp>(layer.op);
  return gemm && gemm.getTransB() ? shape[1] : shape[0];
}

/// A statistic of `key` in `stats`, if there, positive and finite.
static std::optional<double> find(const std::map<std::string, double> &stats,
                                  const std::string &key) {
  auto it = stats.find(key);
  if (it == stats.end() || !(it->second > 0) || !std::isfinite(it->second))
    return std::nullopt;
  return it->second;
}

std::optional<quant::LayerFeatures>
getLayerFeatures(ArrayRef<QuantizableLayer> layers, size_t index,
                 const quant::CalibrationTable &table) {
  const QuantizableLayer &layer = layers[index];
  std::string key = getLayerKey(layer.op);
  auto range = table.ranges.find(key);
  std::optional<double> xx = find(table.meanSquare, key);
  std::optional<double> yy = find(table.outputMeanSquare, key);
  auto zerosIt = table.zeroFraction.find(key);
  std::optional<std::vector<float>> w = readFloatConstant(layer.weights);
  if (range == table.ranges.end() || !xx || !yy ||
      zerosIt == table.zeroFraction.end() || !w)
    return std::nullopt;
  auto shape = cast<RankedTensorType>(layer.weights.getType()).getShape();
  auto gemm = dyn_cast<ONNXGemmOp>(layer.op);
  bool conv = isa<ONNXConvOp>(layer.op);
  int64_t channelDim = conv || (gemm && gemm.getTransB()) ? 0 : 1;
  WeightEnergy weights = getWeightEnergy(*w, shape, channelDim);
  double inside = getInsideFraction(layer.op);
  double zeros = std::clamp(zerosIt->second, 0.0, 1.0);
  // Output energy per element, as N E[y^2].
  double outputEnergy = *yy * shape[channelDim];
  double step = quant::getUint8Params(range->second).scale;
  double weightRatio = inside * *xx * weights.noise / outputEnergy;
  double activationRatio =
      inside * (1 - zeros) * step * step / 12 * weights.signal / outputEnergy;
  double absMax =
      std::max(std::fabs(range->second.min), std::fabs(range->second.max));
  quant::LayerFeatures f;
  f.weightNoise = log10Of(weightRatio);
  f.activationNoise = log10Of(activationRatio);
  f.estimate = log10Of(weightRatio + activationRatio);
  f.gain =
      log10Of(outputEnergy / std::max(inside * *xx * weights.signal, 1e-30));
  f.zeros = zeros;
  f.padding = 1 - inside;
  f.activationCrest = log10Of(absMax / std::sqrt(*xx));
  f.reduction =
      std::log10((double)std::max<int64_t>(getReducedLength(layer), 1));
  f.depth = layers.size() > 1 ? (double)index / (layers.size() - 1) : 0;
  f.convolution = conv;
  // NaN weights or statistics beyond f64 give no prediction.
  if (!llvm::all_of(quant::toArray(f),
                    [](double v) { return std::isfinite(v); }))
    return std::nullopt;
  return f;
}

void writeLayerFeatures(ArrayRef<QuantizableLayer> layers,
                        const quant::CalibrationTable &table,
                        llvm::raw_ostream &os) {
  for (size_t i = 0; i < layers.size(); ++i) {
    std::optional<quant::LayerFeatures> f = getLayerFeatures(layers, i, table);
    if (!f)
      continue;
    std::string key = getLayerKey(layers[i].op);
    llvm::json::Object features;
    for (auto [name, value] :
         llvm::zip(quant::getLayerFeatureNames(), quant::toArray(*f)))
      features[name] = value;
    auto measured = table.sensitivity.find(key);
    llvm::json::Object line{
        {"key", key},
        {"op", layers[i].op->getName().stripDialect()},
        {"multiply_adds", getMultiplyAdds(layers[i])},
        {"features", std::move(features)},
        {"measured", measured == table.sensitivity.end()
                         ? llvm::json::Value(nullptr)
                         : llvm::json::Value(measured->second)}};
    os << llvm::json::Value(std::move(line)) << "\n";
  }
}

} // namespace kiln::onnx
