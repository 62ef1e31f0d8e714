//===- IntegerQDQ.cpp - QDQ layers as integer products --------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// MatMul(DQ(a), DQ(w)) = (sum_k (a - za)(w - zw)) * sa * sw, and likewise a
// Conv, whose f32 bias is added after: the integer product of the quantized
// operands, computed exactly, then scaled once.
//
//===----------------------------------------------------------------------===//

#include "GraphBuilder.h"

#include "kiln/Dialect/ONNX/Transforms/Passes.h"

namespace kiln::onnx {
#define GEN_PASS_DEF_ONNXINTEGERQDQPASS
#include "kiln/Dialect/ONNX/Transforms/Passes.h.inc"
} // namespace kiln::onnx

using namespace mlir;
using namespace kiln::onnx;

namespace {

/// Elements of a static shape; -1 if unknown.
int64_t numElements(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && type.hasStaticShape() ? type.getNumElements() : -1;
}

/// A DequantizeLinear of an 8-bit tensor to f32, and the dim its 1-D
/// scale runs along (none: per tensor).
struct Dequantized {
  ONNXDequantizeLinearOp op;
  std::optional<int64_t> axis;
};

/// `v` as a Dequantized whose scale is per tensor, or per `channelDim` of
/// its input; a reason otherwise.
FailureOr<Dequantized> matchDequantized(Value v, int64_t channelDim,
                                        std::string &whyNot) {
  auto dq = v.getDefiningOp<ONNXDequantizeLinearOp>();
  if (!dq) {
    whyNot = "an operand is not a DequantizeLinear";
    return failure();
  }
  auto in = dyn_cast<IntegerType>(getElementTypeOrSelf(dq.getX().getType()));
  int64_t rank = rankOf(dq.getX());
  if (!in || in.getWidth() != 8 || rank < 1 ||
      !getElementTypeOrSelf(dq.getType()).isF32() || dq.getBlockSize() != 0) {
    whyNot = "an operand is not an 8-bit tensor dequantized to f32";
    return failure();
  }
  int64_t scales = numElements(dq.getXScale());
  if (scales == 1 && rankOf(dq.getXScale()) <= 1)
    return Dequantized{dq, std::nullopt};
  int64_t axis = dq.getAxis() < 0 ? dq.getAxis() + rank : dq.getAxis();
  if (rankOf(dq.getXScale()) == 1 && axis == channelDim && channelDim >= 0)
    return Dequantized{dq, axis};
  whyNot = "a scale is neither per tensor nor per output channel";
  return failure();
}

/// The zero point of `dq`, or none.
Value getZeroPoint(GraphBuilder &g, ONNXDequantizeLinearOp dq) {
  if (isa<NoneType>(dq.getXZeroPoint().getType()))
    return g.noValue();
  return dq.getXZeroPoint();
}

/// The integer product of `a` and `w`, cast to f32 and scaled by the
/// scales of both, the weights' along `wDim` of a rank-`rank` result.
Value scaleProduct(GraphBuilder &g, Value product, Dequantized a, Dequantized w,
                   int64_t wDim, int64_t rank) {
  Value wScale = w.op.getXScale();
  if (w.axis)
    wScale = g.alongDim(wScale, wDim, rank);
  Value scale = g.op("Mul", {a.op.getXScale(), wScale});
  return g.op("Mul", {g.cast(product, g.f32()), scale});
}

/// A layer's activation and weights as Dequantized, the weights' scale per
/// tensor or along `channelDim`.
FailureOr<std::pair<Dequantized, Dequantized>>
matchOperands(Value activation, Value weights, int64_t channelDim,
              std::string &whyNot) {
  FailureOr<Dequantized> a = matchDequantized(activation, -1, whyNot);
  if (failed(a))
    return failure();
  FailureOr<Dequantized> w = matchDequantized(weights, channelDim, whyNot);
  if (failed(w))
    return failure();
  return std::make_pair(*a, *w);
}

/// Replaces `op` by `y`, or erases what was built and says why not.
LogicalResult commit(Operation *op, GraphBuilder &g, Value y,
                     std::string &whyNot) {
  if (g.failed || !y) {
    g.erase();
    whyNot = "its integer form does not infer";
    return failure();
  }
  return finish(op, g, y, op->getName().stripDialect());
}

LogicalResult rewriteMatMul(ONNXMatMulOp op, std::string &whyNot) {
  int64_t rank = rankOf(op.getA()), wRank = rankOf(op.getB());
  if (rank < 2 || wRank != 2) {
    whyNot = "not an activation of rank >= 2 by a 2-D weight";
    return failure();
  }
  auto operands = matchOperands(op.getA(), op.getB(), 1, whyNot);
  if (failed(operands))
    return failure();
  auto [a, w] = *operands;
  OpBuilder b(op);
  GraphBuilder g(b, op.getLoc());
  Value product =
      g.op("MatMulInteger", {a.op.getX(), w.op.getX(), getZeroPoint(g, a.op),
                             getZeroPoint(g, w.op)});
  return commit(op, g, scaleProduct(g, product, a, w, rank - 1, rank), whyNot);
}

LogicalResult rewriteConv(ONNXConvOp op, std::string &whyNot) {
  int64_t rank = rankOf(op.getX());
  if (rank < 3) {
    whyNot = "an input of unknown rank";
    return failure();
  }
  // The integer kernel takes ungrouped convolutions; a grouped one would
  // run as exact f64 loops, slower than f32.
  if (op.getGroup() != 1) {
    whyNot = "a grouped convolution, which the integer kernel does not take";
    return failure();
  }
  auto operands = matchOperands(op.getX(), op.getW(), 0, whyNot);
  if (failed(operands))
    return failure();
  auto [x, w] = *operands;
  OpBuilder b(op);
  GraphBuilder g(b, op.getLoc());
  SmallVector<NamedAttribute> attrs(op->getAttrs());
  Value product = g.op(
      "ConvInteger",
      {x.op.getX(), w.op.getX(), getZeroPoint(g, x.op), getZeroPoint(g, w.op)},
      attrs);
  Value y = scaleProduct(g, product, x, w, 1, rank);
  if (!isa<NoneType>(op.getB().getType()))
    y = g.op("Add", {y, g.alongDim(op.getB(), 1, rank)});
  return commit(op, g, y, whyNot);
}

struct ONNXIntegerQDQPass
    : kiln::onnx::impl::ONNXIntegerQDQPassBase<ONNXIntegerQDQPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<Operation *> layers;
    getOperation().walk([&](Operation *op) {
      if (isa<ONNXMatMulOp, ONNXConvOp>(op) &&
          llvm::any_of(op->getOperands(), [](Value v) {
            return v.getDefiningOp<ONNXDequantizeLinearOp>() != nullptr;
          }))
        layers.push_back(op);
    });
    for (Operation *op : layers) {
      std::string whyNot, name = op->getName().stripDialect().str();
      Location loc = op->getLoc();
      LogicalResult done = isa<ONNXMatMulOp>(op)
                               ? rewriteMatMul(cast<ONNXMatMulOp>(op), whyNot)
                               : rewriteConv(cast<ONNXConvOp>(op), whyNot);
      if (!explain)
        continue;
      if (succeeded(done))
        emitRemark(loc) << "precision of " << name
                        << ": int8 (an integer product of its quantized "
                           "operands, scaled once)";
      else
        emitRemark(loc) << "precision of " << name << ": f32 (" << whyNot
                        << ")";
    }
  }
};

} // namespace
