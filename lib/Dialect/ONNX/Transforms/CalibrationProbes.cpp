//===- CalibrationProbes.cpp - return what quantizable layers read --------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "QuantizableLayers.h"

#include "kiln/Dialect/ONNX/Transforms/Passes.h"
#include "kiln/Quantization/Calibration.h"

namespace kiln::onnx {
#define GEN_PASS_DEF_ONNXCALIBRATIONPROBESPASS
#include "kiln/Dialect/ONNX/Transforms/Passes.h.inc"
} // namespace kiln::onnx

using namespace mlir;
using namespace kiln::onnx;

namespace {

struct ONNXCalibrationProbesPass
    : kiln::onnx::impl::ONNXCalibrationProbesPassBase<
          ONNXCalibrationProbesPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    std::vector<QuantizableLayer> layers = findQuantizableLayers(func);
    if (layers.empty())
      return;
    auto ret = cast<func::ReturnOp>(func.getBody().back().getTerminator());
    SmallVector<Value> results(ret.getOperands());
    SmallVector<DictionaryAttr> attrs;
    func.getAllResultAttrs(attrs);
    Builder b(&getContext());
    auto probe = [&](Value value, StringRef prefix, StringRef key) {
      results.push_back(value);
      attrs.push_back(b.getDictionaryAttr(b.getNamedAttr(
          ONNXDialect::kNameAttrName, b.getStringAttr(prefix + Twine(key)))));
    };
    for (const QuantizableLayer &layer : layers) {
      std::string key = getLayerKey(layer.op);
      probe(layer.activation, kiln::quant::kProbePrefix, key);
      probe(layer.op->getResult(0), kiln::quant::kOutputProbePrefix, key);
    }
    ret->setOperands(results);
    func.setType(FunctionType::get(&getContext(),
                                   func.getFunctionType().getInputs(),
                                   ValueRange(results).getTypes()));
    func.setAllResultAttrs(attrs);
  }
};

} // namespace
