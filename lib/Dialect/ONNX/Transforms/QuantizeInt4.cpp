//===- QuantizeInt4.cpp - weights as packed int4 --------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Weight-only int4: a MatMul's or Gemm's constant weights (K x N), or a
// Gather's embedding table (V x D), quantized symmetric per block of the
// reduced (or embedded) dim, stored two codes to a byte with one f32 scale
// per block, and unpacked to f32 where they are read. The object holds
// the packed bytes: about a sixth of the f32 bytes at block size 32.
//
//===----------------------------------------------------------------------===//

#include "GraphBuilder.h"
#include "QuantizableLayers.h"

#include <cmath>

using namespace mlir;

namespace kiln::onnx {
namespace {

/// Codes 1..15 (value + 8) two to a byte, element 2i in the low nibble,
/// along one dim; one scale per block along it.
struct PackedInt4 {
  std::vector<uint8_t> bytes;
  std::vector<float> scales;
};

/// `w` (rows x cols, row-major) packed along `axis` (0: rows, 1: cols)
/// with blocks of `block` elements.
PackedInt4 packInt4(ArrayRef<float> w, int64_t rows, int64_t cols, int64_t axis,
                    int64_t block) {
  int64_t length = axis == 0 ? rows : cols, other = axis == 0 ? cols : rows;
  auto at = [&](int64_t along, int64_t o) {
    return axis == 0 ? w[along * cols + o] : w[o * cols + along];
  };
  // Scales and bytes laid out as the f32 tensor with that dim shrunk.
  auto index = [&](int64_t along, int64_t o, int64_t alongSize) {
    return axis == 0 ? along * other + o : o * alongSize + along;
  };
  PackedInt4 p;
  p.scales.resize(length / block * other);
  p.bytes.resize(length / 2 * other);
  for (int64_t o = 0; o < other; ++o) {
    for (int64_t b = 0; b < length / block; ++b) {
      float absMax = 0;
      for (int64_t i = b * block; i < (b + 1) * block; ++i)
        absMax = std::max(absMax, std::fabs(at(i, o)));
      float scale = absMax > 0 ? absMax / 7.0f : 1.0f;
      p.scales[index(b, o, length / block)] = scale;
      for (int64_t i = b * block; i < (b + 1) * block; ++i) {
        float q = std::clamp(std::round(at(i, o) / scale), -7.0f, 7.0f);
        uint8_t code = (uint8_t)(q + 8);
        p.bytes[index(i / 2, o, length / 2)] |= i % 2 ? code << 4 : code;
      }
    }
  }
  return p;
}

template <typename T> ArrayRef<char> asBytes(const std::vector<T> &v) {
  return {reinterpret_cast<const char *>(v.data()), v.size() * sizeof(T)};
}

/// The f32 values of codes packed along `axis` of `packed`, with one of
/// `scales` per `block` of the `length` unpacked elements; `trailing` are
/// the (static) dims after `axis`.
Value unpackInt4(GraphBuilder &g, OpBuilder &b, Value packed, Value scales,
                 int64_t axis, int64_t block, int64_t length,
                 ArrayRef<int64_t> trailing) {
  Type u8 = IntegerType::get(b.getContext(), 8, IntegerType::Unsigned);
  Value low = g.op("BitwiseAnd", {packed, g.scalar(u8, 15)});
  Value high = g.op("BitShift", {packed, g.scalar(u8, 4)},
                    {g.attr("direction", b.getStringAttr("RIGHT"))});
  Value axes = g.ints({axis + 1});
  Value pairs =
      g.op("Concat",
           {g.op("Unsqueeze", {low, axes}), g.op("Unsqueeze", {high, axes})},
           {g.i64("axis", axis + 1)});
  // [..., L/2, 2, ...] -> [..., L/block, block, ...]; 0 keeps a dim.
  SmallVector<int64_t> blocked(axis, 0), flat(axis, 0);
  blocked.append({length / block, block});
  blocked.append(trailing.begin(), trailing.end());
  flat.push_back(length);
  flat.append(trailing.begin(), trailing.end());
  Value values = g.op("Reshape", {pairs, g.ints(blocked)});
  values = g.op("Sub", {g.cast(values, g.f32()), g.scalar(g.f32(), 8)});
  values = g.op("Mul", {values, g.op("Unsqueeze", {scales, axes})});
  return g.op("Reshape", {values, g.ints(flat)});
}

/// Replaces `op` by `y`, or erases what was built.
bool commit(Operation *op, GraphBuilder &g, Value y) {
  if (g.failed || !y) {
    g.erase();
    return false;
  }
  return succeeded(finish(op, g, y, op->getName().stripDialect()));
}

/// Weights (K x N) of a MatMul or Gemm, packed along K.
bool quantizeProduct(Operation *op, ArrayRef<float> values,
                     ArrayRef<int64_t> shape, int64_t block) {
  auto gemm = dyn_cast<ONNXGemmOp>(op);
  std::vector<float> w(values.begin(), values.end());
  int64_t k = shape[0], n = shape[1];
  if (gemm && gemm.getTransB()) {
    w = transposeMatrix(values, shape[0], shape[1]);
    std::swap(k, n);
  }
  if (k % block || k % 2)
    return false;
  PackedInt4 p = packInt4(w, k, n, 0, block);
  OpBuilder b(op);
  GraphBuilder g(b, op->getLoc());
  std::string key = getLayerKey(op);
  Type u8 = IntegerType::get(b.getContext(), 8, IntegerType::Unsigned);
  Value packed = g.resource({k / 2, n}, u8, asBytes(p.bytes), key + "_int4");
  Value scales = g.resource({k / block, n}, g.f32(), asBytes(p.scales),
                            key + "_int4_scales");
  Value weights = unpackInt4(g, b, packed, scales, 0, block, k, {n});
  Value y = g.op("MatMul", {op->getOperand(0), weights});
  if (gemm && !isa<NoneType>(gemm.getC().getType()))
    y = g.op("Add", {y, gemm.getC()});
  return commit(op, g, y);
}

/// An embedding table (V x D) read by a Gather, packed along D.
bool quantizeTable(ONNXGatherOp op, ArrayRef<float> values,
                   ArrayRef<int64_t> shape, int64_t block) {
  int64_t v = shape[0], d = shape[1];
  if (d % block || d % 2)
    return false;
  PackedInt4 p = packInt4(values, v, d, 1, block);
  OpBuilder b(op);
  GraphBuilder g(b, op.getLoc());
  std::string key = getLayerKey(op);
  Type u8 = IntegerType::get(b.getContext(), 8, IntegerType::Unsigned);
  Value packed = g.resource({v, d / 2}, u8, asBytes(p.bytes), key + "_int4");
  Value scales = g.resource({v, d / block}, g.f32(), asBytes(p.scales),
                            key + "_int4_scales");
  Value rows = g.op("Gather", {packed, op.getIndices()});
  Value rowScales = g.op("Gather", {scales, op.getIndices()});
  int64_t rank = rankOf(op.getIndices()) + 1;
  if (rank < 1)
    return g.erase(), false;
  return commit(op, g,
                unpackInt4(g, b, rows, rowScales, rank - 1, block, d, {}));
}

} // namespace

bool quantizeWeightsInt4(Operation *op, int64_t block) {
  std::optional<QuantizableLayer> layer = getInt4Layer(op);
  if (!layer || block < 2 || block % 2)
    return false;
  std::optional<std::vector<float>> values = readFloatConstant(layer->weights);
  if (!values)
    return false;
  ArrayRef<int64_t> shape =
      cast<RankedTensorType>(layer->weights.getType()).getShape();
  if (auto gather = dyn_cast<ONNXGatherOp>(op))
    return quantizeTable(gather, *values, shape, block);
  return quantizeProduct(op, *values, shape, block);
}

} // namespace kiln::onnx
