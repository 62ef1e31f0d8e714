//===- SelectPrecision.cpp - each layer's precision from calibration ------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The quantization policy: int8 for every quantizable layer the
// calibration table has a range for, except those kept in float. The
// decisions are attributes; onnx-quantize carries them out.
//
//===----------------------------------------------------------------------===//

#include "AutoPrecision.h"
#include "LayerFeatures.h"

#include "kiln/Dialect/ONNX/Transforms/Passes.h"
#include "kiln/Quantization/Calibration.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>

namespace kiln::onnx {
#define GEN_PASS_DEF_ONNXSELECTPRECISIONPASS
#include "kiln/Dialect/ONNX/Transforms/Passes.h.inc"
} // namespace kiln::onnx

using namespace mlir;
using namespace kiln::onnx;

namespace {

std::string shortNumber(double v) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.4g", v);
  return text;
}

struct ONNXSelectPrecisionPass
    : kiln::onnx::impl::ONNXSelectPrecisionPassBase<ONNXSelectPrecisionPass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *) override {
    if (table.empty() || mode == "int4-weights")
      return success();
    llvm::Expected<kiln::quant::CalibrationTable> read =
        kiln::quant::readCalibrationTable(table);
    if (!read) {
      loadError = llvm::toString(read.takeError());
      return success(); // reported on the function, with its location
    }
    calibration = std::move(*read);
    return success();
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (!loadError.empty()) {
      func.emitError() << loadError;
      return signalPassFailure();
    }
    llvm::StringSet<> kept(llvm::from_range, keepFloat);
    if (mode == "int4-weights") {
      if (blockSize < 2 || blockSize % 2) {
        func.emitError() << "block-size must be even and at least 2";
        return signalPassFailure();
      }
      func.walk([&](Operation *op) {
        if (getInt4Layer(op))
          decideInt4(op, kept.contains(getLayerKey(op)));
      });
      return;
    }
    if (mode == "auto")
      return chooseAuto(func, kept);
    if (mode != "int8") {
      func.emitError() << "unknown quantization mode '" << mode << "'";
      return signalPassFailure();
    }
    std::vector<QuantizableLayer> layers = findQuantizableLayers(func);
    for (auto [i, layer] : llvm::enumerate(layers)) {
      bool edge = keepFirstLast && (i == 0 || i + 1 == layers.size());
      decide(layer.op, edge, kept.contains(getLayerKey(layer.op)));
    }
  }

private:
  void chooseAuto(func::FuncOp func, const llvm::StringSet<> &kept) {
    if (sensitivity != "measured" && sensitivity != "predicted") {
      func.emitError() << "unknown sensitivity source '" << sensitivity << "'";
      return signalPassFailure();
    }
    std::vector<QuantizableLayer> layers = findQuantizableLayers(func);
    if (!dumpFeatures.empty() && failed(writeFeatures(func, layers)))
      return signalPassFailure();
    SensitivitySource source = sensitivity == "predicted"
                                   ? SensitivitySource::Predicted
                                   : SensitivitySource::Measured;
    if (explain && source == SensitivitySource::Predicted)
      emitRemark(func.getLoc()) << "sensitivities predicted by "
                                << kiln::quant::getSensitivityModelSummary();
    for (const PrecisionChoice &choice :
         chooseWithinBudget(layers, calibration, budget, kept, source))
      mark(choice.op, choice.int8 ? nullptr : choice.why.c_str(), choice.why);
  }

  LogicalResult writeFeatures(func::FuncOp func,
                              ArrayRef<QuantizableLayer> layers) {
    std::error_code ec;
    llvm::raw_fd_ostream os(dumpFeatures, ec);
    if (ec)
      return func.emitError()
             << "cannot write " << dumpFeatures << ": " << ec.message();
    writeLayerFeatures(layers, calibration, os);
    return success();
  }

  /// The length of the dim an int4 layer's blocks run along.
  static int64_t getBlockedLength(Operation *op, Value weights) {
    auto type = cast<RankedTensorType>(weights.getType());
    auto gemm = dyn_cast<ONNXGemmOp>(op);
    bool alongDim1 = isa<ONNXGatherOp>(op) || (gemm && gemm.getTransB());
    return type.getDimSize(alongDim1 ? 1 : 0);
  }

  void decideInt4(Operation *op, bool listed) {
    Value weights = getInt4Layer(op)->weights;
    int64_t length = getBlockedLength(op, weights);
    const char *why = listed ? "kept in float by --keep-float"
                      : length % blockSize || blockSize % 2
                          ? "its reduced dim is not a multiple of the block"
                          : nullptr;
    Builder b(op->getContext());
    op->setAttr(kPrecisionAttrName, b.getStringAttr(why ? "f32" : "int4"));
    if (!why)
      op->setAttr(kBlockSizeAttrName, b.getI64IntegerAttr(blockSize));
    if (!explain)
      return;
    InFlightDiagnostic remark = emitRemark(op->getLoc())
                                << "precision of "
                                << op->getName().stripDialect() << ": ";
    if (why)
      remark << "f32 (" << why << ")";
    else
      remark << "int4 weights (blocks of " << (int64_t)blockSize << ")";
  }

  void decide(Operation *op, bool edge, bool listed) {
    const char *why = edge     ? "the first or last quantizable layer"
                      : listed ? "kept in float by --keep-float"
                      : !calibration.ranges.count(getLayerKey(op))
                          ? "the calibration table has no range for it"
                          : nullptr;
    mark(op, why, "");
  }

  /// Marks `op` f32 for `why`, or (no `why`) int8 with its range; `note`
  /// adds to an int8 remark.
  void mark(Operation *op, const char *why, StringRef note) {
    Builder b(op->getContext());
    if (why) {
      op->setAttr(kPrecisionAttrName, b.getStringAttr("f32"));
      if (explain)
        emitRemark(op->getLoc())
            << "precision of " << op->getName().stripDialect() << ": f32 ("
            << why << ")";
      return;
    }
    kiln::quant::Range range = calibration.ranges.at(getLayerKey(op));
    op->setAttr(kPrecisionAttrName, b.getStringAttr("int8"));
    op->setAttr(kActivationRangeAttrName,
                b.getDenseF64ArrayAttr({range.min, range.max}));
    if (explain)
      emitRemark(op->getLoc())
          << "precision of " << op->getName().stripDialect()
          << ": int8 (calibrated activation range [" << shortNumber(range.min)
          << ", " << shortNumber(range.max) << "]" << (note.empty() ? "" : "; ")
          << note << ")";
  }

  kiln::quant::CalibrationTable calibration;
  std::string loadError;
};

} // namespace
