//===- QuantizableLayers.cpp - layers the int8 kernels can take -----------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "QuantizableLayers.h"
#include "GraphBuilder.h"

#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "llvm/Support/JSON.h"

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace mlir;

namespace kiln::onnx {
namespace {

bool isF32(Value v) { return getElementTypeOrSelf(v.getType()).isF32(); }

bool isStaticConstant(Value v) {
  ElementsAttr attr;
  return matchPattern(v, m_Constant(&attr)) &&
         attr.getShapedType().hasStaticShape();
}

/// `activation` by `weights`, if both are f32 and the weights constants of
/// rank `weightRank`.
std::optional<QuantizableLayer> layerOf(Operation *op, Value activation,
                                        Value weights, int64_t weightRank,
                                        bool activationF32 = true) {
  if ((activationF32 && !isF32(activation)) || !isF32(weights) ||
      !isStaticConstant(weights) || rankOf(weights) != weightRank)
    return std::nullopt;
  return QuantizableLayer{op, activation, weights};
}

} // namespace

std::optional<QuantizableLayer> getQuantizableLayer(Operation *op) {
  if (auto conv = dyn_cast<ONNXConvOp>(op)) {
    // The integer convolution kernel takes ungrouped 2-D ones, static but
    // for the batch.
    auto x = dyn_cast<RankedTensorType>(conv.getX().getType());
    if (conv.getGroup() != 1 || !x || x.getRank() != 4 ||
        llvm::any_of(x.getShape().drop_front(), ShapedType::isDynamic))
      return std::nullopt;
    return layerOf(op, conv.getX(), conv.getW(), 4);
  }
  if (auto matmul = dyn_cast<ONNXMatMulOp>(op))
    return rankOf(matmul.getA()) >= 2
               ? layerOf(op, matmul.getA(), matmul.getB(), 2)
               : std::nullopt;
  if (auto gemm = dyn_cast<ONNXGemmOp>(op)) {
    bool plain =
        gemm.getTransA() == 0 && gemm.getAlpha().convertToFloat() == 1.0f;
    bool plainC = isa<NoneType>(gemm.getC().getType()) ||
                  gemm.getBeta().convertToFloat() == 1.0f;
    return plain && plainC && rankOf(gemm.getA()) == 2
               ? layerOf(op, gemm.getA(), gemm.getB(), 2)
               : std::nullopt;
  }
  return std::nullopt;
}

std::optional<QuantizableLayer> getInt4Layer(Operation *op) {
  if (auto gather = dyn_cast<ONNXGatherOp>(op))
    return gather.getAxis() == 0
               ? layerOf(op, gather.getIndices(), gather.getData(), 2,
                         /*activationF32=*/false)
               : std::nullopt;
  if (isa<ONNXMatMulOp, ONNXGemmOp>(op))
    return getQuantizableLayer(op);
  return std::nullopt;
}

std::vector<QuantizableLayer> findQuantizableLayers(func::FuncOp func) {
  std::vector<QuantizableLayer> layers;
  func.walk([&](Operation *op) {
    if (std::optional<QuantizableLayer> layer = getQuantizableLayer(op))
      layers.push_back(*layer);
  });
  return layers;
}

std::string getLayerKey(Operation *op) {
  std::string name = ONNXDialect::getNodeName(op->getLoc());
  if (name.empty())
    return op->getName().stripDialect().str();
  // ONNX does not check that names are UTF-8; the table (JSON) needs it.
  return llvm::json::isUTF8(name) ? name : llvm::json::fixUTF8(name);
}

QuantizedWeights quantizePerChannel(ArrayRef<float> w, ArrayRef<int64_t> shape,
                                    int64_t dim) {
  int64_t channels = shape[dim];
  QuantizedWeights q;
  for (int64_t d = dim + 1; d < (int64_t)shape.size(); ++d)
    q.inner *= shape[d];
  std::vector<float> absMax(channels, 0.0f);
  for (size_t i = 0; i < w.size(); ++i) {
    float &m = absMax[(i / q.inner) % channels];
    m = std::max(m, std::fabs(w[i]));
  }
  for (float m : absMax)
    q.scales.push_back(m > 0 ? m / 127.0f : 1.0f);
  q.values.resize(w.size());
  for (size_t i = 0; i < w.size(); ++i) {
    float v = std::round(w[i] / q.scales[(i / q.inner) % channels]);
    q.values[i] = (int8_t)std::clamp(v, -127.0f, 127.0f);
  }
  return q;
}

std::vector<float> transposeMatrix(ArrayRef<float> w, int64_t rows,
                                   int64_t cols) {
  std::vector<float> t(w.size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      t[c * rows + r] = w[r * cols + c];
  return t;
}

std::optional<std::vector<float>> readFloatConstant(Value v) {
  ElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) || !isF32(v) ||
      !attr.getShapedType().hasStaticShape())
    return std::nullopt;
  int64_t n = attr.getShapedType().getNumElements();
  if (auto dense = dyn_cast<DenseFPElementsAttr>(attr)) {
    auto values = dense.getValues<float>();
    return std::vector<float>(values.begin(), values.end());
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob || (int64_t)blob->getData().size() != n * (int64_t)sizeof(float))
      return std::nullopt;
    std::vector<float> values(n);
    std::memcpy(values.data(), blob->getData().data(), n * sizeof(float));
    return values;
  }
  return std::nullopt;
}

} // namespace kiln::onnx
