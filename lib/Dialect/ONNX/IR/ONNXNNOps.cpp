//===- ONNXNNOps.cpp - matrix products, convolutions, pooling, norms ------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/ONNX/IR/EinsumEquation.h"
#include "kiln/Dialect/ONNX/IR/ONNXDataType.h"
#include "kiln/Dialect/ONNX/IR/ONNXOps.h"
#include "kiln/Dialect/ONNX/IR/SlidingWindow.h"

using namespace mlir;
using namespace kiln::onnx;

/// Appends `type` for result 0 and keeps the other results' types.
static LogicalResult single(Operation *op, Type type,
                            SmallVectorImpl<Type> &inferred) {
  inferred.push_back(type);
  for (Value r : op->getResults().drop_front())
    inferred.push_back(r.getType());
  return success();
}

/// Fails with an error when two static dims differ.
static LogicalResult checkDimsMatch(Operation *op, int64_t a, int64_t b,
                                    StringRef what) {
  if (!isDynamicDim(a) && !isDynamicDim(b) && a != b)
    return op->emitOpError() << what << " do not match: " << a << " vs " << b;
  return success();
}

//===----------------------------------------------------------------------===//
// MatMul
//===----------------------------------------------------------------------===//

/// Numpy matmul shapes (batched, broadcast, 1-D promotion) of `a` x `b`.
static LogicalResult inferMatMul(Operation *op, Value lhs, Value rhs, Type elt,
                                 SmallVectorImpl<Type> &inferred) {
  auto a = getTensorShape(lhs.getType());
  auto b = getTensorShape(rhs.getType());
  if (!a || !b)
    return single(op, makeTensorType(std::nullopt, elt), inferred);
  if (a->empty() || b->empty())
    return op->emitOpError() << "operands must have rank >= 1";
  bool aVec = a->size() == 1, bVec = b->size() == 1;
  if (aVec)
    a->insert(a->begin(), 1);
  if (bVec)
    b->push_back(1);
  if (failed(checkDimsMatch(op, a->back(), (*b)[b->size() - 2],
                            "inner dimensions")))
    return failure();
  SmallVector<SmallVector<int64_t>> batches = {
      SmallVector<int64_t>(a->begin(), a->end() - 2),
      SmallVector<int64_t>(b->begin(), b->end() - 2)};
  FailureOr<SmallVector<int64_t>> out = broadcastShapes(op, batches);
  if (failed(out))
    return failure();
  if (!aVec)
    out->push_back((*a)[a->size() - 2]);
  if (!bVec)
    out->push_back(b->back());
  return single(op, makeTensorType(ArrayRef<int64_t>(*out), elt), inferred);
}

LogicalResult ONNXMatMulOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferMatMul(*this, getA(), getB(),
                     getElementTypeOrSelf(getA().getType()), inferred);
}

LogicalResult
ONNXMatMulIntegerOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferMatMul(*this, getA(), getB(), IntegerType::get(getContext(), 32),
                     inferred);
}

LogicalResult
ONNXQLinearMatMulOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferMatMul(*this, getA(), getB(),
                     getElementTypeOrSelf(getYZeroPoint().getType()), inferred);
}

//===----------------------------------------------------------------------===//
// Gemm
//===----------------------------------------------------------------------===//

LogicalResult ONNXGemmOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elt = getElementTypeOrSelf(getA().getType());
  auto a = getTensorShape(getA().getType());
  auto b = getTensorShape(getB().getType());
  if ((a && a->size() != 2) || (b && b->size() != 2))
    return emitOpError() << "A and B must be 2-D";
  int64_t m = ShapedType::kDynamic, n = ShapedType::kDynamic;
  int64_t ka = ShapedType::kDynamic, kb = ShapedType::kDynamic;
  if (a) {
    m = (*a)[getTransA() ? 1 : 0];
    ka = (*a)[getTransA() ? 0 : 1];
  }
  if (b) {
    kb = (*b)[getTransB() ? 1 : 0];
    n = (*b)[getTransB() ? 0 : 1];
  }
  if (failed(checkDimsMatch(*this, ka, kb, "inner dimensions")))
    return failure();
  SmallVector<int64_t> out = {m, n};
  if (!isNoValue(getC())) {
    if (auto c = getTensorShape(getC().getType())) {
      if (c->size() > 2)
        return emitOpError() << "C must have rank <= 2";
      // C broadcasts unidirectionally to (M, N).
      for (size_t i = 0; i < c->size(); ++i) {
        int64_t cd = (*c)[i], od = out[2 - c->size() + i];
        if (cd != 1 && failed(checkDimsMatch(*this, cd, od,
                                             "C and the (M, N) result dims")))
          return failure();
      }
    }
  }
  return single(*this, makeTensorType(ArrayRef<int64_t>(out), elt), inferred);
}

//===----------------------------------------------------------------------===//
// Convolution and pooling windows
//===----------------------------------------------------------------------===//

namespace {
/// Window attributes normalised to one entry per spatial dim.
struct Window {
  SmallVector<int64_t> kernel, strides, dilations, pads;
};
} // namespace

/// Reads and checks window attributes for `spatial` dims.
static FailureOr<Window>
getWindow(Operation *op, size_t spatial, ArrayRef<int64_t> kernel,
          ArrayAttr stridesAttr, ArrayAttr dilationsAttr, ArrayAttr padsAttr) {
  Window w;
  w.kernel.assign(kernel.begin(), kernel.end());
  w.strides =
      stridesAttr ? getI64s(stridesAttr) : SmallVector<int64_t>(spatial, 1);
  w.dilations =
      dilationsAttr ? getI64s(dilationsAttr) : SmallVector<int64_t>(spatial, 1);
  w.pads = padsAttr ? getI64s(padsAttr) : SmallVector<int64_t>(2 * spatial, 0);
  auto checkLen = [&](ArrayRef<int64_t> v, size_t n,
                      StringRef name) -> LogicalResult {
    if (v.size() != n)
      return op->emitOpError()
             << name << " has " << v.size() << " values, expected " << n;
    return success();
  };
  if (failed(checkLen(w.kernel, spatial, "kernel_shape")) ||
      failed(checkLen(w.strides, spatial, "strides")) ||
      failed(checkLen(w.dilations, spatial, "dilations")) ||
      failed(checkLen(w.pads, 2 * spatial, "pads")))
    return failure();
  for (int64_t k : w.kernel)
    if (!isDynamicDim(k) && k < 1)
      return op->emitOpError() << "kernel_shape values must be positive";
  for (int64_t s : w.strides)
    if (s < 1)
      return op->emitOpError() << "strides must be positive";
  for (int64_t d : w.dilations)
    if (d < 1)
      return op->emitOpError() << "dilations must be positive";
  for (int64_t p : w.pads)
    if (p < 0)
      return op->emitOpError() << "pads must be non-negative";
  return w;
}

static LogicalResult checkAutoPad(Operation *op, StringRef autoPad) {
  if (!parseAutoPad(autoPad))
    return op->emitOpError() << "unknown auto_pad \"" << autoPad << "\"";
  return success();
}

/// Output size of a sliding window along one dim.
static int64_t windowOutput(int64_t in, int64_t k, int64_t stride,
                            int64_t dilation, int64_t padBegin, int64_t padEnd,
                            StringRef autoPad, bool ceilMode) {
  if (isDynamicDim(in) || isDynamicDim(k))
    return ShapedType::kDynamic;
  return getWindowOutputSize(in, k, stride, dilation, padBegin, padEnd,
                             *parseAutoPad(autoPad), ceilMode);
}

/// Shared by Conv and the pooling ops: `channels` is the output channel dim.
static LogicalResult inferWindowed(Operation *op, Value x, int64_t channels,
                                   ArrayRef<int64_t> kernel, ArrayAttr strides,
                                   ArrayAttr dilations, ArrayAttr pads,
                                   StringRef autoPad, bool ceilMode,
                                   SmallVectorImpl<Type> &types,
                                   Type resultElt = Type()) {
  if (failed(checkAutoPad(op, autoPad)))
    return failure();
  Type elt = resultElt ? resultElt : getElementTypeOrSelf(x.getType());
  auto xs = getTensorShape(x.getType());
  if (!xs) {
    types.push_back(makeTensorType(std::nullopt, elt));
    return success();
  }
  if (xs->size() < 3)
    return op->emitOpError() << "expects an input of rank >= 3 (N, C, "
                                "spatial...), got rank "
                             << xs->size();
  size_t spatial = xs->size() - 2;
  FailureOr<Window> w =
      getWindow(op, spatial, kernel, strides, dilations, pads);
  if (failed(w))
    return failure();
  SmallVector<int64_t> out = {(*xs)[0], channels};
  for (size_t i = 0; i < spatial; ++i) {
    int64_t o =
        windowOutput((*xs)[i + 2], w->kernel[i], w->strides[i], w->dilations[i],
                     w->pads[i], w->pads[i + spatial], autoPad, ceilMode);
    if (o != ShapedType::kDynamic && o < 1)
      return op->emitOpError() << "the window does not fit spatial dim " << i
                               << " (size " << (*xs)[i + 2] << ")";
    out.push_back(o);
  }
  types.push_back(makeTensorType(ArrayRef<int64_t>(out), elt));
  return success();
}

namespace {
/// The result of a convolution of `x` by `w` (and 1-D bias `bias`, null
/// if none) with `op`'s attributes, of element type `elt`.
template <typename ConvOp>
LogicalResult inferConv(ConvOp op, Value x, Value w, Value bias, Type elt,
                        SmallVectorImpl<Type> &inferred) {
  auto xs = getTensorShape(x.getType());
  auto ws = getTensorShape(w.getType());
  int64_t group = (int64_t)op.getGroup();
  if (group < 1)
    return op.emitOpError() << "group must be positive, got " << group;
  if (xs && ws && xs->size() != ws->size())
    return op.emitOpError()
           << "X has rank " << xs->size() << " but W has rank " << ws->size();
  if (!ws) {
    inferred.push_back(makeTensorType(std::nullopt, elt));
    return success();
  }
  if (ws->size() < 3)
    return op.emitOpError() << "W must have rank >= 3, got " << ws->size();
  int64_t m = (*ws)[0];
  if (xs && !isDynamicDim((*xs)[1]) && !isDynamicDim((*ws)[1]) &&
      (*xs)[1] != (*ws)[1] * group)
    return op.emitOpError()
           << "input channels " << (*xs)[1] << " do not match W's " << (*ws)[1]
           << " x group " << group;
  if (!isDynamicDim(m) && m % group != 0)
    return op.emitOpError() << "output channels " << m
                            << " are not divisible by group " << group;
  if (bias && !isNoValue(bias))
    if (auto bs = getTensorShape(bias.getType()))
      if (bs->size() != 1 ||
          failed(checkDimsMatch(op, (*bs)[0], m, "bias and output channels")))
        return bs->size() != 1 ? op.emitOpError() << "B must be 1-D"
                               : failure();
  SmallVector<int64_t> kernel(ws->begin() + 2, ws->end());
  if (auto k = op.getKernelShape()) {
    SmallVector<int64_t> attr = getI64s(*k);
    if (attr.size() == kernel.size())
      for (auto [a, b] : llvm::zip(attr, kernel))
        if (failed(checkDimsMatch(op, a, b, "kernel_shape and W dims")))
          return failure();
    kernel = attr;
  }
  if (failed(inferWindowed(op, x, m, kernel, op.getStridesAttr(),
                           op.getDilationsAttr(), op.getPadsAttr(),
                           op.getAutoPad(), /*ceilMode=*/false, inferred)))
    return failure();
  // The window's shape, in the result's element type.
  if (auto shaped = dyn_cast<ShapedType>(inferred.back()))
    inferred.back() = shaped.clone(elt);
  return success();
}
} // namespace

LogicalResult ONNXConvOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferConv(*this, getX(), getW(), getB(),
                   getElementTypeOrSelf(getX().getType()), inferred);
}

LogicalResult
ONNXConvIntegerOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferConv(*this, getX(), getW(), Value(),
                   IntegerType::get(getContext(), 32), inferred);
}

LogicalResult
ONNXQLinearConvOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferConv(*this, getX(), getW(), getB(),
                   getElementTypeOrSelf(getYZeroPoint().getType()), inferred);
}

LogicalResult
ONNXConvTransposeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elt = getElementTypeOrSelf(getX().getType());
  auto xs = getTensorShape(getX().getType());
  auto ws = getTensorShape(getW().getType());
  int64_t group = (int64_t)getGroup();
  if (group < 1)
    return emitOpError() << "group must be positive, got " << group;
  if (failed(checkAutoPad(*this, getAutoPad())))
    return failure();
  if (!xs || !ws) {
    inferred.push_back(makeTensorType(std::nullopt, elt));
    return success();
  }
  if (xs->size() < 3 || xs->size() != ws->size())
    return emitOpError() << "X and W must have the same rank >= 3";
  if (failed(checkDimsMatch(*this, (*xs)[1], (*ws)[0],
                            "input channels and W's dim 0")))
    return failure();
  size_t spatial = xs->size() - 2;
  SmallVector<int64_t> kernel(ws->begin() + 2, ws->end());
  if (auto k = getKernelShape())
    kernel = getI64s(*k);
  FailureOr<Window> w = getWindow(*this, spatial, kernel, getStridesAttr(),
                                  getDilationsAttr(), getPadsAttr());
  if (failed(w))
    return failure();
  SmallVector<int64_t> outPad = getOutputPadding()
                                    ? getI64s(*getOutputPadding())
                                    : SmallVector<int64_t>(spatial, 0);
  if (outPad.size() != spatial)
    return emitOpError() << "output_padding has " << outPad.size()
                         << " values, expected " << spatial;
  int64_t c = isDynamicDim((*ws)[1]) ? ShapedType::kDynamic : (*ws)[1] * group;
  SmallVector<int64_t> out = {(*xs)[0], c};
  if (auto os = getOutputShape()) {
    SmallVector<int64_t> shape = getI64s(*os);
    if (shape.size() == spatial + 2)
      shape.erase(shape.begin(), shape.begin() + 2);
    if (shape.size() != spatial)
      return emitOpError() << "output_shape has " << shape.size()
                           << " values, expected " << spatial;
    out.append(shape);
  } else {
    for (size_t i = 0; i < spatial; ++i) {
      int64_t in = (*xs)[i + 2], k = w->kernel[i];
      if (isDynamicDim(in) || isDynamicDim(k)) {
        out.push_back(ShapedType::kDynamic);
        continue;
      }
      int64_t o;
      if (getAutoPad() == "SAME_UPPER" || getAutoPad() == "SAME_LOWER")
        o = in * w->strides[i];
      else
        o = w->strides[i] * (in - 1) + outPad[i] + (k - 1) * w->dilations[i] +
            1 -
            (getAutoPad() == "VALID" ? 0 : w->pads[i] + w->pads[i + spatial]);
      if (o < 1)
        return emitOpError() << "output spatial dim " << i << " would be empty";
      out.push_back(o);
    }
  }
  inferred.push_back(makeTensorType(ArrayRef<int64_t>(out), elt));
  return success();
}

LogicalResult ONNXMaxPoolOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (getStorageOrder() > 1)
    return emitOpError() << "storage_order must be 0 or 1";
  auto xs = getTensorShape(getX().getType());
  int64_t c = xs && xs->size() >= 2 ? (*xs)[1] : ShapedType::kDynamic;
  if (failed(inferWindowed(*this, getX(), c, getI64s(getKernelShape()),
                           getStridesAttr(), getDilationsAttr(), getPadsAttr(),
                           getAutoPad(), getCeilMode() != 0, inferred)))
    return failure();
  Type indices = getIndices().getType();
  if (!isa<NoneType>(indices))
    indices = makeTensorType(getTensorShape(inferred[0]),
                             IntegerType::get(getContext(), 64));
  inferred.push_back(indices);
  return success();
}

LogicalResult ONNXLpPoolOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto xs = getTensorShape(getX().getType());
  int64_t c = xs && xs->size() >= 2 ? (*xs)[1] : ShapedType::kDynamic;
  return inferWindowed(*this, getX(), c, getI64s(getKernelShape()),
                       getStridesAttr(), getDilationsAttr(), getPadsAttr(),
                       getAutoPad(), getCeilMode() != 0, inferred);
}

LogicalResult
ONNXAveragePoolOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto xs = getTensorShape(getX().getType());
  int64_t c = xs && xs->size() >= 2 ? (*xs)[1] : ShapedType::kDynamic;
  return inferWindowed(*this, getX(), c, getI64s(getKernelShape()),
                       getStridesAttr(), getDilationsAttr(), getPadsAttr(),
                       getAutoPad(), getCeilMode() != 0, inferred);
}

//===----------------------------------------------------------------------===//
// Normalizations
//===----------------------------------------------------------------------===//

LogicalResult
ONNXBatchNormalizationOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto xs = getTensorShape(getX().getType());
  if (xs && xs->size() < 2)
    return emitOpError() << "X must have rank >= 2 (N, C, ...)";
  int64_t c = xs ? (*xs)[1] : ShapedType::kDynamic;
  for (Value v : {getScale(), getB(), getInputMean(), getInputVar()}) {
    auto s = getTensorShape(v.getType());
    if (!s)
      continue;
    if (s->size() != 1)
      return emitOpError() << "scale, B, mean and var must be 1-D, got "
                           << v.getType();
    if (failed(checkDimsMatch(*this, (*s)[0], c,
                              "per-channel parameters and channels")))
      return failure();
  }
  inferred.push_back(getX().getType());
  Type stat = makeTensorType(ArrayRef<int64_t>{c},
                             getElementTypeOrSelf(getInputMean().getType()));
  for (Value r : {getRunningMean(), getRunningVar()})
    inferred.push_back(isa<NoneType>(r.getType()) ? r.getType() : stat);
  return success();
}

LogicalResult ONNXEinsumOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (getInputs().empty())
    return emitOpError() << "needs at least one input";
  Type elt = getElementTypeOrSelf(getInputs()[0].getType());
  SmallVector<SmallVector<int64_t>> shapes;
  SmallVector<int64_t> ranks;
  for (Value input : getInputs()) {
    auto shape = getTensorShape(input.getType());
    if (!shape) {
      inferred.push_back(makeTensorType(std::nullopt, elt));
      return success();
    }
    ranks.push_back(shape->size());
    shapes.push_back(*shape);
  }
  std::string error;
  FailureOr<EinsumEquation> eq = parseEinsum(getEquation(), ranks, error);
  if (failed(eq))
    return emitOpError() << "equation '" << getEquation() << "': " << error;
  // A loop's size: any operand's static size other than 1 (1 broadcasts).
  SmallVector<int64_t> sizes(eq->numLoops, ShapedType::kDynamic);
  for (size_t i = 0; i < shapes.size(); ++i)
    for (size_t d = 0; d < shapes[i].size(); ++d) {
      int64_t size = shapes[i][d], loop = eq->inputs[i][d];
      if (ShapedType::isDynamic(size))
        continue;
      if (ShapedType::isDynamic(sizes[loop]) || sizes[loop] == 1)
        sizes[loop] = size;
      else if (size != 1 && sizes[loop] != size)
        return emitOpError()
               << "equation '" << getEquation() << "': a subscript has sizes "
               << sizes[loop] << " and " << size;
    }
  SmallVector<int64_t> out;
  for (int64_t loop : eq->output)
    out.push_back(sizes[loop]);
  inferred.push_back(makeTensorType(ArrayRef<int64_t>(out), elt));
  return success();
}

LogicalResult
ONNXAttentionOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elt = getElementTypeOrSelf(getQ().getType());
  auto q = getTensorShape(getQ().getType());
  auto k = getTensorShape(getK().getType());
  auto v = getTensorShape(getV().getType());
  auto none = [&](Value r) { return isa<NoneType>(r.getType()); };
  std::optional<SmallVector<int64_t>> y, presentK, presentV, qk;
  if (q && k && v) {
    if (q->size() != k->size() || q->size() != v->size() ||
        (q->size() != 3 && q->size() != 4))
      return emitOpError() << "Q, K and V must all be 3-D or all 4-D";
    bool is3d = q->size() == 3;
    if (is3d && (!getQNumHeads() || !getKvNumHeads()))
      return emitOpError()
             << "3-D inputs need the q_num_heads and kv_num_heads attributes";
    auto split = [&](ArrayRef<int64_t> s, int64_t heads) {
      int64_t hidden = s[2];
      int64_t size =
          ShapedType::isDynamic(hidden) ? ShapedType::kDynamic : hidden / heads;
      return SmallVector<int64_t>{s[0], heads, s[1], size};
    };
    SmallVector<int64_t> q4 = is3d ? split(*q, *getQNumHeads()) : *q;
    SmallVector<int64_t> k4 = is3d ? split(*k, *getKvNumHeads()) : *k;
    SmallVector<int64_t> v4 = is3d ? split(*v, *getKvNumHeads()) : *v;
    int64_t past = 0;
    if (!none(getPastKey())) {
      auto p = getTensorShape(getPastKey().getType());
      past = p && p->size() == 4 ? (*p)[2] : ShapedType::kDynamic;
    }
    int64_t total = ShapedType::isDynamic(past) || ShapedType::isDynamic(k4[2])
                        ? ShapedType::kDynamic
                        : past + k4[2];
    presentK = SmallVector<int64_t>{k4[0], k4[1], total, k4[3]};
    presentV = SmallVector<int64_t>{v4[0], v4[1], total, v4[3]};
    qk = SmallVector<int64_t>{q4[0], q4[1], q4[2], total};
    if (is3d) {
      int64_t hidden = ShapedType::isDynamic(v4[3]) ? ShapedType::kDynamic
                                                    : v4[3] * *getQNumHeads();
      y = SmallVector<int64_t>{q4[0], q4[2], hidden};
    } else {
      y = SmallVector<int64_t>{q4[0], q4[1], q4[2], v4[3]};
    }
  }
  inferred.push_back(makeTensorType(y, elt));
  Value optional[] = {getPresentKey(), getPresentValue(), getQkMatmulOutput()};
  std::optional<SmallVector<int64_t>> shapes[] = {presentK, presentV, qk};
  for (int i = 0; i < 3; ++i)
    inferred.push_back(none(optional[i]) ? optional[i].getType()
                                         : makeTensorType(shapes[i], elt));
  return success();
}

LogicalResult
ONNXLayerNormalizationOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  inferred.push_back(getX().getType());
  auto xs = getTensorShape(getX().getType());
  Type statElt = getStashType() == 1 ? Type(Float32Type::get(getContext()))
                                     : getElementTypeOrSelf(getX().getType());
  std::optional<SmallVector<int64_t>> statShape;
  if (xs) {
    FailureOr<int64_t> axis =
        normalizeAxis(*this, (int64_t)getAxis(), xs->size());
    if (failed(axis))
      return failure();
    statShape = *xs;
    for (int64_t i = *axis; i < (int64_t)xs->size(); ++i)
      (*statShape)[i] = 1;
  }
  Type stat = makeTensorType(statShape, statElt);
  for (Value r : {getMean(), getInvStdDev()})
    inferred.push_back(isa<NoneType>(r.getType()) ? r.getType() : stat);
  return success();
}

LogicalResult ONNXDropoutOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  inferred.push_back(getData().getType());
  Type mask = getMask().getType();
  if (!isa<NoneType>(mask)) {
    auto s = getTensorShape(getData().getType());
    mask = makeTensorType(s, IntegerType::get(getContext(), 1));
  }
  inferred.push_back(mask);
  return success();
}

LogicalResult ONNXRMSNormalizationOp::verify() {
  auto xs = getTensorShape(getX().getType());
  if (!xs)
    return success();
  return normalizeAxis(*this, (int64_t)getAxis(), xs->size());
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

/// NLL and softmax cross-entropy: scores (N, C, d...) against labels
/// (N, d...); per-element losses with reduction "none", else a scalar.
static LogicalResult inferLoss(Operation *op, Value scores, Value labels,
                               StringRef reduction,
                               SmallVectorImpl<Type> &inferred) {
  if (reduction != "none" && reduction != "sum" && reduction != "mean")
    return op->emitOpError() << "unknown reduction \"" << reduction << "\"";
  Type elt = getElementTypeOrSelf(scores.getType());
  auto s = getTensorShape(scores.getType());
  auto l = getTensorShape(labels.getType());
  if (s && s->size() < 2)
    return op->emitOpError() << "scores must have rank >= 2 (N, C, ...)";
  if (s && l) {
    if (l->size() + 1 != s->size())
      return op->emitOpError() << "labels must have rank " << s->size() - 1;
    for (size_t i = 0; i < l->size(); ++i) {
      int64_t sd = (*s)[i == 0 ? 0 : i + 1], ld = (*l)[i];
      if (failed(checkDimsMatch(op, sd, ld, "scores and labels dims")))
        return failure();
    }
  }
  if (reduction == "none")
    inferred.push_back(makeTensorType(l, elt));
  else
    inferred.push_back(RankedTensorType::get({}, elt));
  return success();
}

LogicalResult ONNXNegativeLogLikelihoodLossOp::inferResultTypes(
    SmallVectorImpl<Type> &inferred) {
  return inferLoss(*this, getInput(), getTarget(), getReduction(), inferred);
}

LogicalResult ONNXSoftmaxCrossEntropyLossOp::inferResultTypes(
    SmallVectorImpl<Type> &inferred) {
  if (failed(
          inferLoss(*this, getScores(), getLabels(), getReduction(), inferred)))
    return failure();
  Type logProb = getLogProb().getType();
  inferred.push_back(isa<NoneType>(logProb) ? logProb : getScores().getType());
  return success();
}

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

LogicalResult
ONNXQuantizeLinearOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elt;
  if (int64_t dtype = (int64_t)getOutputDtype()) {
    elt = convertONNXDataType(getContext(), dtype);
    if (!elt)
      return emitOpError() << "unknown output_dtype " << dtype;
  } else if (!isNoValue(getYZeroPoint())) {
    elt = getElementTypeOrSelf(getYZeroPoint().getType());
  } else {
    elt = IntegerType::get(getContext(), 8, IntegerType::Unsigned);
  }
  inferred.push_back(makeTensorType(getTensorShape(getX().getType()), elt));
  return success();
}

LogicalResult
ONNXDequantizeLinearOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elt = getElementTypeOrSelf(getXScale().getType());
  if (int64_t dtype = (int64_t)getOutputDtype()) {
    elt = convertONNXDataType(getContext(), dtype);
    if (!elt)
      return emitOpError() << "unknown output_dtype " << dtype;
  }
  inferred.push_back(makeTensorType(getTensorShape(getX().getType()), elt));
  return success();
}

LogicalResult
ONNXDynamicQuantizeLinearOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type u8 = IntegerType::get(getContext(), 8, IntegerType::Unsigned);
  inferred.push_back(makeTensorType(getTensorShape(getX().getType()), u8));
  inferred.push_back(RankedTensorType::get({}, Float32Type::get(getContext())));
  inferred.push_back(RankedTensorType::get({}, u8));
  return success();
}
