//===- SensitivityProbes.cpp - each layer's own int8 error ----------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// `--quantize=auto`'s second instrumented build: each quantizable layer
// with a calibrated range is computed twice, as it is and marked int8 (the
// graph phase quantizes the copy), and the function also returns the
// squared error of the copy and the squared output, summed: the layer's
// noise and signal energy when it alone is quantized.
//
//===----------------------------------------------------------------------===//

#include "GraphBuilder.h"
#include "QuantizableLayers.h"

#include "kiln/Dialect/ONNX/Transforms/Passes.h"
#include "kiln/Quantization/Calibration.h"

namespace kiln::onnx {
#define GEN_PASS_DEF_ONNXSENSITIVITYPROBESPASS
#include "kiln/Dialect/ONNX/Transforms/Passes.h.inc"
} // namespace kiln::onnx

using namespace mlir;
using namespace kiln::onnx;

namespace {

struct ONNXSensitivityProbesPass
    : kiln::onnx::impl::ONNXSensitivityProbesPassBase<
          ONNXSensitivityProbesPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    llvm::Expected<kiln::quant::CalibrationTable> read =
        kiln::quant::readCalibrationTable(table);
    if (!read) {
      func.emitError() << llvm::toString(read.takeError());
      return signalPassFailure();
    }
    auto ret = cast<func::ReturnOp>(func.getBody().back().getTerminator());
    SmallVector<Value> results(ret.getOperands());
    SmallVector<DictionaryAttr> attrs;
    func.getAllResultAttrs(attrs);
    for (const QuantizableLayer &layer : findQuantizableLayers(func)) {
      auto it = read->ranges.find(getLayerKey(layer.op));
      if (it != read->ranges.end())
        probe(layer.op, it->second, results, attrs);
    }
    ret->setOperands(results);
    func.setType(FunctionType::get(&getContext(),
                                   func.getFunctionType().getInputs(),
                                   ValueRange(results).getTypes()));
    func.setAllResultAttrs(attrs);
  }

private:
  /// Adds `op`'s int8 copy and its noise and signal energy as results.
  void probe(Operation *op, kiln::quant::Range range,
             SmallVectorImpl<Value> &results,
             SmallVectorImpl<DictionaryAttr> &attrs) {
    OpBuilder b(op->getContext());
    b.setInsertionPointAfter(op);
    Operation *copy = b.clone(*op);
    copy->setAttr(kPrecisionAttrName, b.getStringAttr("int8"));
    copy->setAttr(kActivationRangeAttrName,
                  b.getDenseF64ArrayAttr({range.min, range.max}));
    GraphBuilder g(b, op->getLoc());
    Value y = op->getResult(0);
    auto energy = [&](Value v) {
      return g.op("ReduceSumSquare", {v, g.noValue()}, {g.i64("keepdims", 0)});
    };
    Value noise = energy(g.op("Sub", {y, copy->getResult(0)}));
    Value signal = energy(y);
    if (g.failed) {
      g.erase();
      copy->erase();
      return;
    }
    std::string name =
        std::string(kiln::quant::kSensitivityPrefix) + getLayerKey(op);
    for (auto [value, suffix] :
         {std::pair(noise, ":noise"), std::pair(signal, ":signal")}) {
      results.push_back(value);
      attrs.push_back(b.getDictionaryAttr(b.getNamedAttr(
          ONNXDialect::kNameAttrName, b.getStringAttr(name + suffix))));
    }
  }
};

} // namespace
