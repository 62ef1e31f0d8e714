//===- Decompose.cpp - composite onnx ops into simpler onnx ops -----------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Operators that ONNX defines by a function of other operators (Attention)
// are rewritten into those operators here, in the graph phase, so that the
// lowering handles only the primitive ones. Each new op gets its result type
// from its shape inference as it is built.
//
//===----------------------------------------------------------------------===//

#include "GraphBuilder.h"

#include "kiln/Dialect/ONNX/Transforms/Passes.h"

#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <limits>

namespace kiln::onnx {
#define GEN_PASS_DEF_ONNXDECOMPOSEPASS
#include "kiln/Dialect/ONNX/Transforms/Passes.h.inc"
} // namespace kiln::onnx

using namespace mlir;
using namespace kiln::onnx;

namespace {

/// Attention as in ONNX's function body: heads split from 3-D inputs, the
/// KV cache concatenated, masks (boolean or additive, padded to the total
/// KV length), causal and sliding-window biases offset by the cache or by
/// nonpad_kv_seqlen, padding of the KV sequence, grouped KV heads repeated,
/// softcap, softmax with fully masked rows zeroed, and the optional
/// qk_matmul_output in each mode.
LogicalResult decomposeAttention(ONNXAttentionOp op) {
  OpBuilder b(op);
  GraphBuilder g(b, op.getLoc());
  auto fail = [&](const Twine &why) {
    g.erase();
    return op.emitError() << "unsupported: Attention " << why;
  };
  auto isNone = [](Value v) { return isa<NoneType>(v.getType()); };
  auto qType = dyn_cast<RankedTensorType>(op.getQ().getType());
  if (!qType)
    return fail("with inputs of unknown rank");
  Type elt = qType.getElementType();
  bool is3d = qType.getRank() == 3;
  Value q = op.getQ(), k = op.getK(), v = op.getV();
  int64_t qHeads, kvHeads;
  if (is3d) {
    if (!op.getQNumHeads() || !op.getKvNumHeads())
      return fail("with 3-D inputs needs q_num_heads and kv_num_heads");
    qHeads = *op.getQNumHeads();
    kvHeads = *op.getKvNumHeads();
    auto heads = [&](Value x, int64_t n) {
      return g.op("Transpose", {g.op("Reshape", {x, g.ints({0, 0, n, -1})})},
                  {g.attr("perm", b.getI64ArrayAttr({0, 2, 1, 3}))});
    };
    q = heads(q, qHeads);
    k = heads(k, kvHeads);
    v = heads(v, kvHeads);
  } else {
    std::optional<int64_t> qh = staticDim(q, 1), kh = staticDim(k, 1);
    if (!qh || !kh)
      return fail("with a dynamic number of heads");
    qHeads = *qh;
    kvHeads = *kh;
  }
  bool hasPast = !isNone(op.getPastKey()) && !isNone(op.getPastValue());
  if (hasPast) {
    k = g.op("Concat", {op.getPastKey(), k}, {g.i64("axis", 2)});
    v = g.op("Concat", {op.getPastValue(), v}, {g.i64("axis", 2)});
  }
  Value presentK = k, presentV = v;
  if (g.failed)
    return fail("with these input shapes");

  // Query rows i (as a column) and key columns j.
  Value i64Zero = g.scalar(b.getI64Type(), 0),
        i64One = g.scalar(b.getI64Type(), 1);
  Value scalarShape = g.ints({});
  Value sq = g.dims(q, 2, 3), skv = g.dims(k, 2, 3);
  Value rows = g.op(
      "Reshape",
      {g.op("Range", {i64Zero, g.op("Reshape", {sq, scalarShape}), i64One}),
       g.ints({-1, 1})});
  Value cols =
      g.op("Range", {i64Zero, g.op("Reshape", {skv, scalarShape}), i64One});
  Value nonpad;
  if (!isNone(op.getNonpadKvSeqlen()))
    nonpad = g.op("Reshape", {g.cast(op.getNonpadKvSeqlen(), b.getI64Type()),
                              g.ints({-1, 1, 1, 1})});
  // The absolute position of each query row: after the cache, or (external
  // cache) after nonpad_kv_seqlen - q_len keys of each batch.
  Value position = rows;
  if (hasPast)
    position = g.op("Add", {rows, g.dims(op.getPastKey(), 2, 3)});
  else if (nonpad)
    position = g.op("Add", {rows, g.op("Sub", {nonpad, sq})});

  Value bias;
  if (!isNone(op.getAttnMask())) {
    Value mask = op.getAttnMask();
    auto maskType = dyn_cast<RankedTensorType>(mask.getType());
    if (!maskType || maskType.getRank() == 0)
      return fail("with an attn_mask of unknown rank");
    int64_t rank = maskType.getRank();
    bool isBool = maskType.getElementType().isInteger(1);
    if (!isBool && maskType.getElementType() != elt)
      return fail("with an attn_mask of another float type");
    // A mask shorter than the total KV length is padded: false, or -inf.
    std::optional<int64_t> last = staticDim(mask, rank - 1),
                           total = staticDim(k, 2);
    if (!last || !total || *last != *total) {
      SmallVector<Value> pads = {
          g.ints(SmallVector<int64_t>(2 * rank - 1, 0)),
          g.op("Sub", {skv, g.dims(mask, rank - 1, rank)})};
      Value fill = isBool
                       ? g.constant(DenseElementsAttr::get(
                             RankedTensorType::get({}, b.getI1Type()), false))
                       : g.negInf(elt);
      mask = g.op("Pad", {mask, g.op("Concat", pads, {g.i64("axis", 0)}), fill,
                          g.noValue()});
    }
    bias = isBool ? g.bias(mask, elt) : mask;
  }
  if (op.getIsCausal())
    bias = g.addBias(bias, g.bias(g.op("LessOrEqual", {cols, position}), elt));
  int64_t left = op.getLeftWindowSize(), right = op.getRightWindowSize();
  if (left >= 0 || right >= 0) {
    Value diff = g.op("Sub", {position, cols});
    Value allowed;
    if (left >= 0)
      allowed = g.op("LessOrEqual", {diff, g.scalar(b.getI64Type(), left)});
    if (right >= 0) {
      Value r = g.op("LessOrEqual",
                     {g.op("Neg", {diff}), g.scalar(b.getI64Type(), right)});
      allowed = allowed ? g.op("And", {allowed, r}) : r;
    }
    bias = g.addBias(bias, g.bias(allowed, elt));
  }
  if (nonpad)
    bias = g.addBias(bias, g.bias(g.op("Less", {cols, nonpad}), elt));

  // Grouped KV heads: each repeated q_heads / kv_heads times, adjacent.
  if (qHeads != kvHeads) {
    if (kvHeads == 0 || qHeads % kvHeads != 0)
      return fail("with q_num_heads not a multiple of kv_num_heads");
    int64_t reps = qHeads / kvHeads;
    auto repeat = [&](Value x) {
      Value expanded = g.op(
          "Expand",
          {g.op("Unsqueeze", {x, g.ints({2})}),
           g.op("Concat", {g.dims(x, 0, 2), g.ints({reps}), g.dims(x, 2, 4)},
                {g.i64("axis", 0)})});
      return g.op("Reshape", {expanded, g.op("Concat",
                                             {g.dims(x, 0, 1), g.ints({qHeads}),
                                              g.dims(x, 2, 4)},
                                             {g.i64("axis", 0)})});
    };
    k = repeat(k);
    v = repeat(v);
  }

  // Both operands carry sqrt(scale), rounded to the input type.
  double scale;
  if (op.getScale()) {
    scale = op.getScale()->convertToDouble();
  } else {
    std::optional<int64_t> headSize = staticDim(q, 3);
    if (!headSize || *headSize <= 0)
      return fail("with a dynamic head size and no scale");
    scale = 1.0 / std::sqrt((double)*headSize);
  }
  Value rootScale = g.scalar(elt, std::sqrt(scale));
  Value scores = g.op(
      "MatMul",
      {g.op("Mul", {q, rootScale}),
       g.op("Mul", {g.op("Transpose", {k},
                         {g.attr("perm", b.getI64ArrayAttr({0, 1, 3, 2}))}),
                    rootScale})});
  double softcap = op.getSoftcap().convertToDouble();
  if (softcap > 0) {
    Value cap = g.scalar(elt, softcap);
    scores = g.op("Mul", {g.op("Tanh", {g.op("Div", {scores, cap})}), cap});
  }
  Value biased = bias ? g.op("Add", {scores, bias}) : scores;
  Value logits = biased;
  if (op.getSoftmaxPrecision()) {
    Type precision =
        convertONNXDataType(b.getContext(), *op.getSoftmaxPrecision());
    if (!precision || !isa<FloatType>(precision))
      return fail("with an unknown softmax_precision");
    logits = g.cast(biased, precision);
  }
  Type smElt = logits ? getElementTypeOrSelf(logits.getType()) : elt;
  Value probs = g.op("Softmax", {logits}, {g.i64("axis", -1)});
  if (bias) {
    // A row whose bias is -inf everywhere attends to nothing: zeros.
    Value masked =
        g.op("IsInf",
             {g.op("ReduceMax", {bias, g.ints({-1})}, {g.i64("keepdims", 1)})},
             {g.i64("detect_positive", 0)});
    probs = g.op("Where", {masked, g.scalar(smElt, 0.0), probs});
  }
  probs = g.cast(probs, elt);
  Value y = g.op("MatMul", {probs, v});
  if (is3d)
    y = g.op("Reshape",
             {g.op("Transpose", {y},
                   {g.attr("perm", b.getI64ArrayAttr({0, 2, 1, 3}))}),
              g.ints({0, 0, -1})});
  Value qkOut;
  if (!isNone(op.getQkMatmulOutput())) {
    switch (op.getQkMatmulOutputMode()) {
    case 0:
    case 1:
      qkOut = scores;
      break;
    case 2:
      qkOut = biased;
      break;
    case 3:
      qkOut = probs;
      break;
    default:
      return fail("with an unknown qk_matmul_output_mode");
    }
  }
  if (g.failed)
    return fail("with these input shapes");
  SmallVector<Value> results = {y, presentK, presentV, qkOut};
  for (auto [index, result] : llvm::enumerate(op->getResults())) {
    if (isNone(result))
      continue;
    Value replacement = results[index];
    if (replacement.getType() != result.getType()) {
      // The graph declared a more precise type than the decomposition gives.
      if (!areCompatibleTypes(result.getType(), replacement.getType()))
        return fail("results disagree with the declared types");
      replacement.setType(refineType(result.getType(), replacement.getType()));
    }
    result.replaceAllUsesWith(replacement);
  }
  op.erase();
  return success();
}

/// SwiGLU(A, B) = Swish(A, alpha) * B.
LogicalResult decomposeSwiGLU(ONNXSwiGLUOp op) {
  OpBuilder b(op);
  GraphBuilder g(b, op.getLoc());
  Value y = g.op(
      "Mul", {g.op("Swish", {op.getA()}, {g.attr("alpha", op.getAlphaAttr())}),
              op.getB()});
  return finish(op, g, y, "SwiGLU");
}

/// LpNormalization: x / ||x||_p along `axis` (p is 1 or 2); where the norm
/// is 0 the result is 0.
LogicalResult decomposeLpNormalization(ONNXLpNormalizationOp op) {
  OpBuilder b(op);
  GraphBuilder g(b, op.getLoc());
  int64_t p = op.getP();
  if (p != 1 && p != 2)
    return op.emitError() << "unsupported: LpNormalization with p = " << p;
  Value norm = g.op(p == 1 ? "ReduceL1" : "ReduceL2",
                    {op.getInput(), g.ints({(int64_t)op.getAxis()})},
                    {g.i64("keepdims", 1)});
  // A zero norm divides by 1 instead, so zeros stay zeros.
  Type elt = getElementTypeOrSelf(op.getInput().getType());
  norm = g.op("Where", {g.op("Equal", {norm, g.scalar(elt, 0.0)}),
                        g.scalar(elt, 1.0), norm});
  return finish(op, g, g.op("Div", {op.getInput(), norm}), "LpNormalization");
}

/// GroupNormalization: statistics over (channels of a group x spatial
/// dims), in f32 with stash_type 1, then scale and bias per channel.
LogicalResult decomposeGroupNormalization(ONNXGroupNormalizationOp op) {
  OpBuilder b(op);
  GraphBuilder g(b, op.getLoc());
  auto xType = dyn_cast<RankedTensorType>(op.getX().getType());
  if (!xType || xType.getRank() < 2)
    return op.emitError()
           << "unsupported: GroupNormalization of an input below rank 2";
  Type elt = xType.getElementType();
  Type stat = op.getStashType() == 1 ? b.getF32Type() : elt;
  Value x = g.cast(op.getX(), stat);
  Value grouped =
      g.op("Reshape", {x, g.ints({0, (int64_t)op.getNumGroups(), -1})});
  auto mean = [&](Value v) {
    return g.op("ReduceMean", {v, g.ints({2})}, {g.i64("keepdims", 1)});
  };
  Value centered = g.op("Sub", {grouped, mean(grouped)});
  Value var = mean(g.op("Mul", {centered, centered}));
  Value normalized = g.op(
      "Div",
      {centered,
       g.op("Sqrt",
            {g.op("Add",
                  {var, g.scalar(stat, op.getEpsilon().convertToDouble())})})});
  normalized = g.cast(
      g.op("Reshape", {normalized, g.dims(op.getX(), 0, xType.getRank())}),
      elt);
  // scale and bias per channel: (C, 1, ..., 1) against (N, C, ...).
  SmallVector<int64_t> perChannel(xType.getRank() - 1, 1);
  perChannel[0] = -1;
  Value y =
      g.op("Add",
           {g.op("Mul", {normalized,
                         g.op("Reshape", {op.getScale(), g.ints(perChannel)})}),
            g.op("Reshape", {op.getBias(), g.ints(perChannel)})});
  return finish(op, g, y, "GroupNormalization");
}

/// RotaryEmbedding as in ONNX's function: heads as (batch, seq, heads,
/// head_size), the first rotary_embedding_dim dims of each head rotated
/// by the cached cos/sin at each position (pairs split in halves, or
/// interleaved), the rest passed through.
LogicalResult decomposeRotaryEmbedding(ONNXRotaryEmbeddingOp op) {
  OpBuilder b(op);
  GraphBuilder g(b, op.getLoc());
  auto xType = dyn_cast<RankedTensorType>(op.getX().getType());
  if (!xType || (xType.getRank() != 3 && xType.getRank() != 4))
    return op.emitError() << "unsupported: RotaryEmbedding of a "
                             "non-3-D/4-D input";
  bool is3d = xType.getRank() == 3;
  auto perm = [&]() { return g.attr("perm", b.getI64ArrayAttr({0, 2, 1, 3})); };
  Value x = op.getX();
  if (is3d) {
    if (!op.getNumHeads())
      return op.emitError()
             << "unsupported: RotaryEmbedding of a 3-D input needs num_heads";
    x = g.op("Reshape", {x, g.ints({0, 0, (int64_t)*op.getNumHeads(), -1})});
  } else {
    x = g.op("Transpose", {x}, {perm()});
  }
  std::optional<int64_t> headSize = x ? staticDim(x, 3) : std::nullopt;
  if (!headSize)
    return finish(op, g, Value(), "RotaryEmbedding with a dynamic head size");
  int64_t rd =
      op.getRotaryEmbeddingDim() ? op.getRotaryEmbeddingDim() : *headSize;
  int64_t half = rd / 2;
  auto slice = [&](Value v, int64_t start, int64_t end, int64_t step) {
    return g.op("Slice", {v, g.ints({start}), g.ints({end}), g.ints({3}),
                          g.ints({step})});
  };
  Value rotated = rd < *headSize ? slice(x, 0, rd, 1) : x;
  Value cos = op.getCosCache(), sin = op.getSinCache();
  if (!isa<NoneType>(op.getPositionIds().getType())) {
    cos = g.op("Gather", {cos, op.getPositionIds()}, {g.i64("axis", 0)});
    sin = g.op("Gather", {sin, op.getPositionIds()}, {g.i64("axis", 0)});
  }
  cos = g.op("Unsqueeze", {cos, g.ints({2})});
  sin = g.op("Unsqueeze", {sin, g.ints({2})});
  bool interleaved = op.getInterleaved() != 0;
  Value x1 =
      interleaved ? slice(rotated, 0, rd, 2) : slice(rotated, 0, half, 1);
  Value x2 =
      interleaved ? slice(rotated, 1, rd, 2) : slice(rotated, half, rd, 1);
  Value real = g.op("Sub", {g.op("Mul", {cos, x1}), g.op("Mul", {sin, x2})});
  Value imag = g.op("Add", {g.op("Mul", {sin, x1}), g.op("Mul", {cos, x2})});
  if (interleaved) {
    Value pairs = g.op("Concat",
                       {g.op("Unsqueeze", {real, g.ints({-1})}),
                        g.op("Unsqueeze", {imag, g.ints({-1})})},
                       {g.i64("axis", -1)});
    rotated = g.op("Reshape", {pairs, g.ints({0, 0, 0, -1})});
  } else {
    rotated = g.op("Concat", {real, imag}, {g.i64("axis", -1)});
  }
  Value y = rd < *headSize
                ? g.op("Concat", {rotated, slice(x, rd, *headSize, 1)},
                       {g.i64("axis", -1)})
                : rotated;
  y = is3d ? g.op("Reshape", {y, g.ints({0, 0, -1})})
           : g.op("Transpose", {y}, {perm()});
  return finish(op, g, y, "RotaryEmbedding");
}

/// CenterCropPad: per axis, crop (target < dim) the centered window or pad
/// (target > dim) evenly, the odd element at the end; sizes may be run-time
/// values.
LogicalResult decomposeCenterCropPad(ONNXCenterCropPadOp op) {
  OpBuilder b(op);
  GraphBuilder g(b, op.getLoc());
  auto xType = dyn_cast<RankedTensorType>(op.getInputData().getType());
  if (!xType)
    return op.emitError() << "unsupported: CenterCropPad of unknown rank";
  int64_t rank = xType.getRank();
  SmallVector<int64_t> axes;
  if (op.getAxes())
    for (int64_t a : getI64s(*op.getAxes()))
      axes.push_back(a < 0 ? a + rank : a);
  else
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  SmallVector<Value> dimList;
  for (int64_t a : axes)
    dimList.push_back(g.dims(op.getInputData(), a, a + 1));
  Value dims = g.op("Concat", dimList, {g.i64("axis", 0)});
  Value target = g.cast(op.getShape(), b.getI64Type());
  Value zero = g.scalar(b.getI64Type(), 0), two = g.scalar(b.getI64Type(), 2);
  Value diff = g.op("Sub", {target, dims});
  Value crop = g.op("Max", {g.op("Neg", {diff}), zero});
  Value pad = g.op("Max", {diff, zero});
  Value starts = g.op("Div", {crop, two});
  Value ends = g.op("Add", {starts, g.op("Min", {target, dims})});
  Value axesValue = g.ints(axes);
  Value cropped =
      g.op("Slice", {op.getInputData(), starts, ends, axesValue, g.noValue()});
  Value before = g.op("Div", {pad, two});
  Value after = g.op("Sub", {pad, before});
  Value y =
      g.op("Pad", {cropped, g.op("Concat", {before, after}, {g.i64("axis", 0)}),
                   g.noValue(), axesValue});
  return finish(op, g, y, "CenterCropPad");
}

/// LpPool as a depthwise Conv of |x|^p with a kernel of ones (same window,
/// pads, strides and dilations), then the p-th root.
LogicalResult decomposeLpPool(ONNXLpPoolOp op) {
  OpBuilder b(op);
  GraphBuilder g(b, op.getLoc());
  auto xType = dyn_cast<RankedTensorType>(op.getX().getType());
  if (!xType || xType.getRank() < 3 || xType.isDynamicDim(1) ||
      op.getCeilMode() != 0)
    return op.emitError() << "unsupported: LpPool with dynamic channels or "
                             "ceil_mode";
  Type elt = xType.getElementType();
  int64_t channels = xType.getDimSize(1), p = op.getP();
  SmallVector<int64_t> kernel = getI64s(op.getKernelShape());
  SmallVector<int64_t> weightShape = {channels, 1};
  weightShape.append(kernel);
  Value ones = g.constant(
      DenseElementsAttr::get(RankedTensorType::get(weightShape, elt),
                             cast<Attribute>(b.getFloatAttr(elt, 1.0))));
  Value x = op.getX();
  Value powered =
      p == 2   ? g.op("Mul", {x, x})
      : p == 1 ? g.op("Abs", {x})
               : g.op("Pow", {g.op("Abs", {x}), g.scalar(elt, (double)p)});
  SmallVector<NamedAttribute> attrs = {
      g.attr("auto_pad", op.getAutoPadAttr()), g.i64("group", channels),
      g.attr("kernel_shape", op.getKernelShapeAttr())};
  if (op.getDilations())
    attrs.push_back(g.attr("dilations", *op.getDilations()));
  if (op.getPads())
    attrs.push_back(g.attr("pads", *op.getPads()));
  if (op.getStrides())
    attrs.push_back(g.attr("strides", *op.getStrides()));
  Value sum = g.op("Conv", {powered, ones, g.noValue()}, attrs);
  Value y = p == 2   ? g.op("Sqrt", {sum})
            : p == 1 ? sum
                     : g.op("Pow", {sum, g.scalar(elt, 1.0 / (double)p)});
  return finish(op, g, y, "LpPool");
}

/// MeanVarianceNormalization as ONNX's function: (x - E[x]) /
/// (sqrt(E[x^2] - E[x]^2) + 1e-9) over `axes` (default N, H, W).
LogicalResult
decomposeMeanVarianceNormalization(ONNXMeanVarianceNormalizationOp op) {
  OpBuilder b(op);
  GraphBuilder g(b, op.getLoc());
  SmallVector<int64_t> axes = {0, 2, 3};
  if (op.getAxes())
    axes = getI64s(*op.getAxes());
  Value x = op.getX();
  Type elt = getElementTypeOrSelf(x.getType());
  auto mean = [&](Value v) {
    return g.op("ReduceMean", {v, g.ints(axes)}, {g.i64("keepdims", 1)});
  };
  Value mu = mean(x);
  Value variance =
      g.op("Sub", {mean(g.op("Mul", {x, x})), g.op("Mul", {mu, mu})});
  Value y = g.op(
      "Div", {g.op("Sub", {x, mu}),
              g.op("Add", {g.op("Sqrt", {variance}), g.scalar(elt, 1e-9)})});
  return finish(op, g, y, "MeanVarianceNormalization");
}

struct ONNXDecomposePass
    : kiln::onnx::impl::ONNXDecomposePassBase<ONNXDecomposePass> {
  void runOnOperation() override {
    SmallVector<Operation *> composites;
    getOperation().walk([&](Operation *op) {
      if (isa<ONNXAttentionOp, ONNXSwiGLUOp, ONNXLpNormalizationOp,
              ONNXGroupNormalizationOp, ONNXRotaryEmbeddingOp,
              ONNXCenterCropPadOp, ONNXLpPoolOp,
              ONNXMeanVarianceNormalizationOp, ONNXMatMulIntegerOp,
              ONNXQLinearMatMulOp, ONNXDynamicQuantizeLinearOp,
              ONNXConvIntegerOp, ONNXQLinearConvOp>(op))
        composites.push_back(op);
    });
    // Each rewrite builds primitive ops only, so one pass over them suffices.
    for (Operation *op : composites) {
      LogicalResult done =
          TypeSwitch<Operation *, LogicalResult>(op)
              .Case([](ONNXAttentionOp o) { return decomposeAttention(o); })
              .Case([](ONNXSwiGLUOp o) { return decomposeSwiGLU(o); })
              .Case([](ONNXLpNormalizationOp o) {
                return decomposeLpNormalization(o);
              })
              .Case([](ONNXGroupNormalizationOp o) {
                return decomposeGroupNormalization(o);
              })
              .Case([](ONNXRotaryEmbeddingOp o) {
                return decomposeRotaryEmbedding(o);
              })
              .Case([](ONNXCenterCropPadOp o) {
                return decomposeCenterCropPad(o);
              })
              .Case([](ONNXLpPoolOp o) { return decomposeLpPool(o); })
              .Case([](ONNXMeanVarianceNormalizationOp o) {
                return decomposeMeanVarianceNormalization(o);
              })
              .Case([](ONNXMatMulIntegerOp o) {
                return decomposeMatMulInteger(o);
              })
              .Case([](ONNXQLinearMatMulOp o) {
                return decomposeQLinearMatMul(o);
              })
              .Case([](ONNXDynamicQuantizeLinearOp o) {
                return decomposeDynamicQuantizeLinear(o);
              })
              .Case([](ONNXConvIntegerOp o) { return decomposeConvInteger(o); })
              .Case(
                  [](ONNXQLinearConvOp o) { return decomposeQLinearConv(o); });
      if (failed(done))
        return signalPassFailure();
    }
  }
};

} // namespace
