//===- ONNXLayoutOps.cpp - Pad, Tile, Range, DepthToSpace, SpaceToDepth --===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/ONNX/IR/ONNXDataType.h"
#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/IR/Matchers.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace kiln::onnx;

/// A tensor of `rank` dynamic dims.
static Type dynamicOfRank(size_t rank, Type elt) {
  return RankedTensorType::get(SmallVector<int64_t>(rank, ShapedType::kDynamic),
                               elt);
}

LogicalResult ONNXPadOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  StringRef mode = getMode();
  if (mode != "constant" && mode != "reflect" && mode != "edge" &&
      mode != "wrap")
    return emitOpError() << "unknown mode \"" << mode << "\"";
  Type elt = getElementTypeOrSelf(getData().getType());
  auto in = getTensorShape(getData().getType());
  if (!in) {
    inferred.push_back(makeTensorType(std::nullopt, elt));
    return success();
  }
  int64_t rank = in->size();
  auto pads = getConstantInts(getPads());
  SmallVector<int64_t> axes;
  if (isNoValue(getAxes())) {
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  } else if (auto a = getConstantInts(getAxes())) {
    for (int64_t v : *a) {
      FailureOr<int64_t> axis = normalizeAxis(*this, v, rank);
      if (failed(axis))
        return failure();
      axes.push_back(*axis);
    }
  } else {
    inferred.push_back(dynamicOfRank(rank, elt));
    return success();
  }
  if (!pads) {
    SmallVector<int64_t> out = *in;
    for (int64_t a : axes)
      out[a] = ShapedType::kDynamic;
    inferred.push_back(makeTensorType(ArrayRef<int64_t>(out), elt));
    return success();
  }
  size_t n = axes.size();
  if (pads->size() != 2 * n)
    return emitOpError() << "pads has " << pads->size() << " values for " << n
                         << " axes";
  SmallVector<int64_t> out = *in;
  for (size_t i = 0; i < n; ++i) {
    int64_t &d = out[axes[i]];
    if (isDynamicDim(d))
      continue;
    d += (*pads)[i] + (*pads)[i + n];
    if (d < 0)
      return emitOpError() << "pads make dim " << axes[i] << " negative";
  }
  inferred.push_back(makeTensorType(ArrayRef<int64_t>(out), elt));
  return success();
}

LogicalResult ONNXTileOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elt = getElementTypeOrSelf(getInput().getType());
  auto in = getTensorShape(getInput().getType());
  if (!in) {
    inferred.push_back(makeTensorType(std::nullopt, elt));
    return success();
  }
  auto repeats = getConstantInts(getRepeats());
  if (!repeats) {
    inferred.push_back(dynamicOfRank(in->size(), elt));
    return success();
  }
  if (repeats->size() != in->size())
    return emitOpError() << "repeats has " << repeats->size()
                         << " values for rank " << in->size();
  SmallVector<int64_t> out;
  for (auto [d, r] : llvm::zip(*in, *repeats)) {
    if (r < 0)
      return emitOpError() << "repeats must be non-negative";
    out.push_back(isDynamicDim(d) ? d : d * r);
  }
  inferred.push_back(makeTensorType(ArrayRef<int64_t>(out), elt));
  return success();
}

LogicalResult ONNXRangeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elt = getElementTypeOrSelf(getStart().getType());
  for (Value v : getOperands()) {
    auto s = getTensorShape(v.getType());
    if (s && !(s->empty() || (s->size() == 1 && (*s)[0] == 1)))
      return emitOpError() << "start, limit and delta must be scalars";
    if (getElementTypeOrSelf(v.getType()) != elt)
      return emitOpError() << "start, limit and delta must share a type";
  }
  // The length is max(ceil((limit - start) / delta), 0) when all are known.
  Attribute start, limit, delta;
  int64_t size = ShapedType::kDynamic;
  if (matchPattern(getStart(), m_Constant(&start)) &&
      matchPattern(getLimit(), m_Constant(&limit)) &&
      matchPattern(getDelta(), m_Constant(&delta))) {
    auto value = [](Attribute a) -> std::optional<double> {
      auto dense = dyn_cast<DenseElementsAttr>(a);
      if (!dense || dense.getNumElements() != 1)
        return std::nullopt;
      if (auto f = dyn_cast<DenseFPElementsAttr>(dense))
        return (*f.getValues<APFloat>().begin()).convertToDouble();
      auto i = cast<DenseIntElementsAttr>(dense);
      return (double)(*i.getValues<APInt>().begin()).getSExtValue();
    };
    auto s = value(start), l = value(limit), d = value(delta);
    if (s && l && d) {
      if (*d == 0)
        return emitOpError() << "delta must be non-zero";
      size = std::max<int64_t>((int64_t)std::ceil((*l - *s) / *d), 0);
    }
  }
  inferred.push_back(RankedTensorType::get({size}, elt));
  return success();
}

/// DepthToSpace and SpaceToDepth on NCHW: channels divide or multiply by
/// blocksize^2 while H and W multiply or divide by blocksize.
static LogicalResult inferBlockRearrangement(Operation *op, Value input,
                                             int64_t block, bool toSpace,
                                             SmallVectorImpl<Type> &inferred) {
  int64_t blockSquared;
  if (block < 1 || llvm::MulOverflow(block, block, blockSquared))
    return op->emitOpError() << "blocksize must be positive and its square "
                                "must fit in 64 bits";
  Type elt = getElementTypeOrSelf(input.getType());
  auto in = getTensorShape(input.getType());
  if (!in) {
    inferred.push_back(dynamicOfRank(4, elt));
    return success();
  }
  if (in->size() != 4)
    return op->emitOpError() << "expects a 4-D NCHW input";
  SmallVector<int64_t> out = *in;
  auto scale = [&](int64_t &d, bool divide, StringRef what) -> LogicalResult {
    if (isDynamicDim(d))
      return success();
    int64_t f = what == "channels" ? blockSquared : block;
    if (divide && d % f != 0)
      return op->emitOpError()
             << what << " (" << d << ") are not divisible by " << f;
    d = divide ? d / f : d * f;
    return success();
  };
  if (failed(scale(out[1], toSpace, "channels")) ||
      failed(scale(out[2], !toSpace, "height")) ||
      failed(scale(out[3], !toSpace, "width")))
    return failure();
  inferred.push_back(makeTensorType(ArrayRef<int64_t>(out), elt));
  return success();
}

LogicalResult
ONNXDepthToSpaceOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (getMode() != "DCR" && getMode() != "CRD")
    return emitOpError() << "mode must be \"DCR\" or \"CRD\"";
  return inferBlockRearrangement(*this, getInput(), (int64_t)getBlocksize(),
                                 /*toSpace=*/true, inferred);
}

LogicalResult
ONNXSpaceToDepthOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferBlockRearrangement(*this, getInput(), (int64_t)getBlocksize(),
                                 /*toSpace=*/false, inferred);
}

LogicalResult ONNXResizeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elt = getElementTypeOrSelf(getX().getType());
  auto in = getTensorShape(getX().getType());
  if (!in) {
    inferred.push_back(makeTensorType(std::nullopt, elt));
    return success();
  }
  int64_t rank = in->size();
  SmallVector<int64_t> axes;
  if (getAxes()) {
    for (int64_t a : getI64s(*getAxes())) {
      FailureOr<int64_t> axis = normalizeAxis(*this, a, rank);
      if (failed(axis))
        return failure();
      axes.push_back(*axis);
    }
  } else {
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  }
  bool hasScales = !isNoValue(getScales()) &&
                   !(getTensorShape(getScales().getType()) &&
                     getTensorShape(getScales().getType())->size() == 1 &&
                     (*getTensorShape(getScales().getType()))[0] == 0);
  bool hasSizes = !isNoValue(getSizes());
  if (hasScales == hasSizes)
    return emitOpError() << "exactly one of scales and sizes must be given";
  SmallVector<int64_t> out = *in;
  Attribute scalesAttr;
  if (hasSizes) {
    auto sizes = getConstantInts(getSizes());
    if (!sizes || getKeepAspectRatioPolicy() != "stretch") {
      for (int64_t a : axes)
        out[a] = ShapedType::kDynamic;
    } else {
      if (sizes->size() != axes.size())
        return emitOpError() << "sizes has " << sizes->size() << " values for "
                             << axes.size() << " axes";
      for (auto [a, v] : llvm::zip(axes, *sizes))
        out[a] = v;
    }
  } else if (matchPattern(getScales(), m_Constant(&scalesAttr)) &&
             isa<DenseFPElementsAttr>(scalesAttr)) {
    auto scales = cast<DenseFPElementsAttr>(scalesAttr);
    if ((size_t)scales.getNumElements() != axes.size())
      return emitOpError() << "scales has " << scales.getNumElements()
                           << " values for " << axes.size() << " axes";
    for (auto [a, v] : llvm::zip(axes, scales.getValues<APFloat>())) {
      double scale = v.convertToDouble();
      if (!(scale > 0))
        return emitOpError() << "scales must be positive";
      if (!isDynamicDim(out[a]))
        out[a] = (int64_t)std::floor((double)out[a] * scale);
    }
  } else {
    for (int64_t a : axes)
      out[a] = ShapedType::kDynamic;
  }
  inferred.push_back(makeTensorType(ArrayRef<int64_t>(out), elt));
  return success();
}

LogicalResult ONNXEyeLikeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elt = getElementTypeOrSelf(getInput().getType());
  if (auto dtype = getDtype()) {
    elt = convertONNXDataType(getContext(), (int64_t)*dtype);
    if (!elt)
      return emitOpError() << "unknown dtype " << (int64_t)*dtype;
  }
  auto in = getTensorShape(getInput().getType());
  if (in && in->size() != 2)
    return emitOpError() << "expects a 2-D input";
  inferred.push_back(makeTensorType(in, elt));
  return success();
}
