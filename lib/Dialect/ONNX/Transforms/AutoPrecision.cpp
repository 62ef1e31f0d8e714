//===- AutoPrecision.cpp - int8 layers within an accuracy budget ----------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "AutoPrecision.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

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
  Value y = layer.op->getResult(0);
  if (isa<ONNXConvOp>(layer.op)) // each output: C x kh x kw
    return staticElements(y) * staticElements(layer.weights, 1);
  auto gemm = dyn_cast<ONNXGemmOp>(layer.op);
  auto shape = cast<RankedTensorType>(layer.weights.getType()).getShape();
  int64_t k = gemm && gemm.getTransB() ? shape[1] : shape[0];
  return staticElements(y) * k;
}

std::vector<PrecisionChoice>
chooseWithinBudget(ArrayRef<QuantizableLayer> layers,
                   const quant::CalibrationTable &table, double budgetDb,
                   const llvm::StringSet<> &kept) {
  struct Candidate {
    size_t index;
    double ratio, worth;
  };
  std::vector<PrecisionChoice> choices;
  std::vector<Candidate> candidates;
  for (const QuantizableLayer &layer : layers) {
    std::string key = getLayerKey(layer.op);
    auto sensitivity = table.sensitivity.find(key);
    const char *why =
        kept.contains(key) ? "kept in float by --keep-float"
        : !table.ranges.count(key) || sensitivity == table.sensitivity.end()
            ? "the calibration table has no sensitivity for it"
            : nullptr;
    choices.push_back({layer.op, false, why ? why : ""});
    if (why)
      continue;
    double ratio = sensitivity->second;
    double worth = getMultiplyAdds(layer) / std::max(ratio, 1e-30);
    candidates.push_back({choices.size() - 1, ratio, worth});
  }
  llvm::stable_sort(candidates, [](const Candidate &a, const Candidate &b) {
    return a.worth > b.worth;
  });
  double allowance = std::pow(10.0, -budgetDb / 10), used = 0;
  for (const Candidate &c : candidates) {
    PrecisionChoice &choice = choices[c.index];
    if (used + c.ratio <= allowance) {
      used += c.ratio;
      choice.int8 = true;
      choice.why = "alone it adds " + decibels(c.ratio) +
                   " of noise; the layers chosen so far " + decibels(used);
    } else {
      choice.why = "its " + decibels(c.ratio) +
                   " of noise would take the output past the budget";
    }
  }
  return choices;
}

} // namespace kiln::onnx
