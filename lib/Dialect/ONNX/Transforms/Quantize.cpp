//===- Quantize.cpp - quantize the layers marked int8 ---------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// A layer marked int8 reads DQ(Q(x)) with uint8 parameters from its
// calibrated range, and DQ(wq) with wq its weights quantized now,
// symmetric per output channel: the QDQ form onnx-integer-qdq puts on the
// integer kernels.
//
//===----------------------------------------------------------------------===//

#include "GraphBuilder.h"
#include "QuantizableLayers.h"

#include "kiln/Dialect/ONNX/Transforms/Passes.h"
#include "kiln/Quantization/Calibration.h"

#include <cmath>

namespace kiln::onnx {
#define GEN_PASS_DEF_ONNXQUANTIZEPASS
#include "kiln/Dialect/ONNX/Transforms/Passes.h.inc"
} // namespace kiln::onnx

using namespace mlir;
using namespace kiln::onnx;

namespace {

class LayerQuantizer {
public:
  LayerQuantizer(Operation *op, OpBuilder &b)
      : op(op), b(b), g(b, op->getLoc()) {}

  /// Rewrites the layer; false if it stays f32.
  bool run(QuantizableLayer layer, kiln::quant::Range range) {
    std::optional<std::vector<float>> w = readFloatConstant(layer.weights);
    if (!w)
      return false;
    SmallVector<int64_t> shape(
        cast<RankedTensorType>(layer.weights.getType()).getShape());
    auto gemm = dyn_cast<ONNXGemmOp>(op);
    if (gemm && gemm.getTransB()) {
      *w = transposeMatrix(*w, shape[0], shape[1]);
      std::swap(shape[0], shape[1]);
    }
    Value x = quantizeActivation(layer.activation, range);
    Value wq = quantizeWeights(*w, shape, isa<ONNXConvOp>(op) ? 0 : 1);
    if (g.failed)
      return g.erase(), false;
    if (!gemm) {
      op->setOperand(0, x);
      op->setOperand(1, wq);
      return true;
    }
    Value y = g.op("MatMul", {x, wq});
    if (!isa<NoneType>(gemm.getC().getType()))
      y = g.op("Add", {y, gemm.getC()});
    if (g.failed || !y)
      return g.erase(), false;
    return succeeded(finish(op, g, y, "Gemm"));
  }

private:
  Value quantizeActivation(Value x, kiln::quant::Range range) {
    kiln::quant::Uint8Params params = kiln::quant::getUint8Params(range);
    Type u8 = IntegerType::get(b.getContext(), 8, IntegerType::Unsigned);
    Value scale = g.scalar(g.f32(), params.scale);
    Value zeroPoint = g.scalar(u8, params.zeroPoint);
    Value q = g.op("QuantizeLinear", {x, scale, zeroPoint});
    return g.op("DequantizeLinear", {q, scale, zeroPoint});
  }

  Value quantizeWeights(ArrayRef<float> w, ArrayRef<int64_t> shape,
                        int64_t dim) {
    QuantizedWeights q = quantizePerChannel(w, shape, dim);
    ArrayRef<char> bytes(reinterpret_cast<const char *>(q.values.data()),
                         q.values.size());
    Value values = g.resource(shape, b.getIntegerType(8), bytes,
                              getLayerKey(op) + "_int8");
    auto scaleType =
        RankedTensorType::get({(int64_t)q.scales.size()}, b.getF32Type());
    Value scales = g.constant(
        DenseElementsAttr::get(scaleType, ArrayRef<float>(q.scales)));
    return g.op("DequantizeLinear", {values, scales, g.noValue()},
                {g.i64("axis", dim)});
  }

  Operation *op;
  OpBuilder &b;
  GraphBuilder g;
};

struct ONNXQuantizePass
    : kiln::onnx::impl::ONNXQuantizePassBase<ONNXQuantizePass> {
  void runOnOperation() override {
    SmallVector<Operation *> marked;
    getOperation().walk([&](Operation *op) {
      if (op->hasAttr(kPrecisionAttrName))
        marked.push_back(op);
    });
    for (Operation *op : marked) {
      auto precision = op->getAttrOfType<StringAttr>(kPrecisionAttrName);
      auto range =
          op->getAttrOfType<DenseF64ArrayAttr>(kActivationRangeAttrName);
      auto block = op->getAttrOfType<IntegerAttr>(kBlockSizeAttrName);
      op->removeAttr(kPrecisionAttrName);
      op->removeAttr(kActivationRangeAttrName);
      op->removeAttr(kBlockSizeAttrName);
      if (!precision || precision.getValue() == "f32")
        continue;
      if (!quantize(op, precision.getValue(), range, block))
        emitWarning(op->getLoc())
            << "precision of " << op->getName().stripDialect()
            << ": f32 after all (its weights are not a readable constant, "
               "or its quantized form does not build)";
    }
  }

  /// Carries out one decision; false if the layer stays as it is.
  static bool quantize(Operation *op, StringRef precision,
                       DenseF64ArrayAttr range, IntegerAttr block) {
    if (precision == "int4")
      return block && quantizeWeightsInt4(op, block.getInt());
    std::optional<QuantizableLayer> layer = getQuantizableLayer(op);
    if (precision != "int8" || !range || range.size() != 2 || !layer)
      return false;
    OpBuilder b(op);
    return LayerQuantizer(op, b).run(*layer, {range[0], range[1]});
  }
};

} // namespace
