//===- ONNXDataMovementOps.cpp - Transpose, Concat, Split, Slice, Gather --===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

using namespace mlir;
using namespace kiln::onnx;

//===----------------------------------------------------------------------===//
// Transpose
//===----------------------------------------------------------------------===//

/// The permutation of a Transpose, checked against `rank`.
static FailureOr<SmallVector<int64_t>> getPermutation(ONNXTransposeOp op,
                                                      int64_t rank) {
  SmallVector<int64_t> perm;
  if (auto attr = op.getPerm()) {
    perm = getI64s(*attr);
  } else {
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
  }
  if ((int64_t)perm.size() != rank)
    return op.emitOpError()
           << "perm has " << perm.size() << " entries for rank " << rank;
  SmallVector<bool> seen(rank, false);
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen[p])
      return op.emitOpError()
             << "perm is not a permutation of [0, " << rank << ")";
    seen[p] = true;
  }
  return perm;
}

LogicalResult
ONNXTransposeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elt = getElementTypeOrSelf(getData().getType());
  auto in = getTensorShape(getData().getType());
  if (!in) {
    inferred.push_back(makeTensorType(std::nullopt, elt));
    return success();
  }
  FailureOr<SmallVector<int64_t>> perm = getPermutation(*this, in->size());
  if (failed(perm))
    return failure();
  SmallVector<int64_t> out;
  for (int64_t p : *perm)
    out.push_back((*in)[p]);
  inferred.push_back(makeTensorType(ArrayRef<int64_t>(out), elt));
  return success();
}

OpFoldResult ONNXTransposeOp::fold(FoldAdaptor) {
  auto in = getTensorShape(getData().getType());
  if (!in || !getPerm())
    return {};
  for (auto [i, p] : llvm::enumerate(getI64s(*getPerm())))
    if ((int64_t)i != p)
      return {};
  return getData().getType() == getType() ? getData() : Value();
}

//===----------------------------------------------------------------------===//
// Concat
//===----------------------------------------------------------------------===//

LogicalResult ONNXConcatOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (getInputs().empty())
    return emitOpError() << "expects at least one input";
  Type elt = getElementTypeOrSelf(getInputs()[0].getType());
  std::optional<SmallVector<int64_t>> out;
  int64_t axis = 0;
  for (Value v : getInputs()) {
    auto s = getTensorShape(v.getType());
    if (!s)
      continue;
    if (!out) {
      FailureOr<int64_t> a =
          normalizeAxis(*this, (int64_t)getAxis(), s->size());
      if (failed(a))
        return failure();
      axis = *a;
      out = *s;
      continue;
    }
    if (s->size() != out->size())
      return emitOpError() << "inputs have different ranks: " << out->size()
                           << " vs " << s->size();
    for (size_t i = 0; i < s->size(); ++i) {
      int64_t &o = (*out)[i];
      int64_t d = (*s)[i];
      if ((int64_t)i == axis) {
        o = isDynamicDim(o) || isDynamicDim(d) ? ShapedType::kDynamic : o + d;
      } else if (isDynamicDim(o)) {
        o = d;
      } else if (!isDynamicDim(d) && o != d) {
        return emitOpError()
               << "inputs differ in dim " << i << ": " << o << " vs " << d;
      }
    }
  }
  if (out && llvm::any_of(getInputs(), [](Value v) {
        return !isa<RankedTensorType>(v.getType());
      }))
    (*out)[axis] = ShapedType::kDynamic;
  inferred.push_back(makeTensorType(out, elt));
  return success();
}

OpFoldResult ONNXConcatOp::fold(FoldAdaptor adaptor) {
  // Concatenation of constant 1-D vectors (shape computations).
  auto type = dyn_cast<RankedTensorType>(getType());
  if (!type || type.getRank() != 1 || !type.hasStaticShape())
    return {};
  SmallVector<Attribute> values;
  for (Attribute a : adaptor.getInputs()) {
    auto dense = dyn_cast_or_null<DenseElementsAttr>(a);
    if (!dense)
      return {};
    llvm::append_range(values, dense.getValues<Attribute>());
  }
  if ((int64_t)values.size() != type.getNumElements())
    return {};
  return DenseElementsAttr::get(type, values);
}

//===----------------------------------------------------------------------===//
// Split
//===----------------------------------------------------------------------===//

LogicalResult ONNXSplitOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elt = getElementTypeOrSelf(getInput().getType());
  int64_t n = getNumResults();
  if (n == 0)
    return emitOpError() << "expects at least one output";
  auto in = getTensorShape(getInput().getType());
  if (!in) {
    inferred.append(n, makeTensorType(std::nullopt, elt));
    return success();
  }
  FailureOr<int64_t> axis =
      normalizeAxis(*this, (int64_t)getAxis(), in->size());
  if (failed(axis))
    return failure();
  int64_t dim = (*in)[*axis];
  SmallVector<int64_t> sizes;
  if (!isNoValue(getSplit())) {
    if (getNumOutputs())
      return emitOpError() << "split and num_outputs are both given";
    if (auto s = getConstantInts(getSplit())) {
      sizes = *s;
      if ((int64_t)sizes.size() != n)
        return emitOpError() << "split has " << sizes.size() << " sizes for "
                             << n << " outputs";
      int64_t sum = 0;
      for (int64_t s : sizes) {
        if (s < 0)
          return emitOpError() << "split sizes must be non-negative";
        sum += s;
      }
      if (!isDynamicDim(dim) && sum != dim)
        return emitOpError()
               << "split sizes sum to " << sum << " but the dim is " << dim;
    } else {
      sizes.assign(n, ShapedType::kDynamic);
    }
  } else {
    if (getNumOutputs() && (int64_t)*getNumOutputs() != n)
      return emitOpError() << "num_outputs is " << (int64_t)*getNumOutputs()
                           << " but the op has " << n << " results";
    if (isDynamicDim(dim)) {
      sizes.assign(n, ShapedType::kDynamic);
    } else if (getNumOutputs()) {
      // Opset 18: chunks of ceil(dim / n), the last one smaller.
      int64_t chunk = llvm::divideCeil(dim, n);
      for (int64_t i = 0; i < n; ++i)
        sizes.push_back(std::clamp<int64_t>(dim - i * chunk, 0, chunk));
      if (sizes.back() == 0)
        return emitOpError() << "cannot split dim " << dim << " into " << n
                             << " non-empty outputs";
    } else {
      if (dim % n != 0)
        return emitOpError() << "dim " << dim << " is not divisible into " << n
                             << " equal outputs";
      sizes.assign(n, dim / n);
    }
  }
  for (int64_t s : sizes) {
    SmallVector<int64_t> out = *in;
    out[*axis] = s;
    inferred.push_back(makeTensorType(ArrayRef<int64_t>(out), elt));
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Slice
//===----------------------------------------------------------------------===//

namespace {
/// Per-dim [start, step, size] of a Slice with constant parameters.
struct SliceParams {
  SmallVector<int64_t> starts, steps, sizes;
};
} // namespace

/// Normalises ONNX Slice parameters for a static-rank input. Dims whose size
/// is unknown get a dynamic size. Returns nullopt when the parameters are
/// not constant.
static FailureOr<std::optional<SliceParams>>
getSliceParams(ONNXSliceOp op, ArrayRef<int64_t> shape) {
  auto starts = getConstantInts(op.getStarts());
  auto ends = getConstantInts(op.getEnds());
  std::optional<SmallVector<int64_t>> axes, steps;
  if (!isNoValue(op.getAxes()))
    axes = getConstantInts(op.getAxes());
  if (!isNoValue(op.getSteps()))
    steps = getConstantInts(op.getSteps());
  if (!starts || !ends || (!isNoValue(op.getAxes()) && !axes) ||
      (!isNoValue(op.getSteps()) && !steps))
    return std::optional<SliceParams>();
  int64_t rank = shape.size();
  size_t n = starts->size();
  if (ends->size() != n || (axes && axes->size() != n) ||
      (steps && steps->size() != n))
    return op.emitOpError() << "starts, ends, axes and steps differ in length";
  SliceParams p;
  p.starts.assign(rank, 0);
  p.steps.assign(rank, 1);
  p.sizes.assign(shape.begin(), shape.end());
  SmallVector<bool> seen(rank, false);
  for (size_t i = 0; i < n; ++i) {
    int64_t a = axes ? (*axes)[i] : (int64_t)i;
    FailureOr<int64_t> axis = normalizeAxis(op, a, rank);
    if (failed(axis))
      return failure();
    if (seen[*axis])
      return op.emitOpError() << "axis " << a << " is repeated";
    seen[*axis] = true;
    int64_t step = steps ? (*steps)[i] : 1;
    if (step == 0)
      return op.emitOpError() << "steps must be non-zero";
    int64_t dim = shape[*axis];
    p.steps[*axis] = step;
    if (isDynamicDim(dim)) {
      p.sizes[*axis] = ShapedType::kDynamic;
      continue;
    }
    auto clampIndex = [&](int64_t v, bool isEnd) {
      if (v < 0)
        v += dim;
      return step > 0 ? std::clamp<int64_t>(v, 0, dim)
                      : std::clamp<int64_t>(v, -1, dim - 1);
      (void)isEnd;
    };
    // Saturate the huge sentinels (INT64_MAX/MIN) models use for "to end".
    int64_t start =
        clampIndex(std::clamp<int64_t>((*starts)[i], -dim - 1, dim + 1), false);
    int64_t end =
        clampIndex(std::clamp<int64_t>((*ends)[i], -dim - 1, dim + 1), true);
    int64_t size =
        step > 0 ? llvm::divideCeil(std::max<int64_t>(end - start, 0), step)
                 : llvm::divideCeil(std::max<int64_t>(start - end, 0), -step);
    p.starts[*axis] = start;
    p.sizes[*axis] = size;
  }
  return std::optional<SliceParams>(p);
}

LogicalResult ONNXSliceOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elt = getElementTypeOrSelf(getData().getType());
  auto in = getTensorShape(getData().getType());
  if (!in) {
    inferred.push_back(makeTensorType(std::nullopt, elt));
    return success();
  }
  FailureOr<std::optional<SliceParams>> p = getSliceParams(*this, *in);
  if (failed(p))
    return failure();
  if (!*p) {
    inferred.push_back(RankedTensorType::get(
        SmallVector<int64_t>(in->size(), ShapedType::kDynamic), elt));
    return success();
  }
  inferred.push_back(makeTensorType(ArrayRef<int64_t>((*p)->sizes), elt));
  return success();
}

OpFoldResult ONNXSliceOp::fold(FoldAdaptor adaptor) {
  auto data = dyn_cast_or_null<DenseElementsAttr>(adaptor.getData());
  auto type = dyn_cast<RankedTensorType>(getType());
  if (!data || !type || !type.hasStaticShape() || type.getRank() != 1)
    return {};
  FailureOr<std::optional<SliceParams>> p =
      getSliceParams(*this, data.getType().getShape());
  if (failed(p) || !*p)
    return {};
  SmallVector<Attribute> values;
  auto all = data.getValues<Attribute>();
  for (int64_t i = 0; i < (*p)->sizes[0]; ++i)
    values.push_back(all[(*p)->starts[0] + i * (*p)->steps[0]]);
  return DenseElementsAttr::get(type, values);
}

//===----------------------------------------------------------------------===//
// Gather
//===----------------------------------------------------------------------===//

LogicalResult ONNXGatherOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elt = getElementTypeOrSelf(getData().getType());
  auto data = getTensorShape(getData().getType());
  auto indices = getTensorShape(getIndices().getType());
  if (!data || !indices) {
    inferred.push_back(makeTensorType(std::nullopt, elt));
    return success();
  }
  if (data->empty())
    return emitOpError() << "data must have rank >= 1";
  FailureOr<int64_t> axis =
      normalizeAxis(*this, (int64_t)getAxis(), data->size());
  if (failed(axis))
    return failure();
  if (auto idx = getConstantInts(getIndices())) {
    int64_t dim = (*data)[*axis];
    for (int64_t i : *idx)
      if (!isDynamicDim(dim) && (i < -dim || i >= dim))
        return emitOpError()
               << "index " << i << " is out of range for dim " << dim;
  }
  SmallVector<int64_t> out(data->begin(), data->begin() + *axis);
  out.append(*indices);
  out.append(data->begin() + *axis + 1, data->end());
  inferred.push_back(makeTensorType(ArrayRef<int64_t>(out), elt));
  return success();
}

OpFoldResult ONNXGatherOp::fold(FoldAdaptor adaptor) {
  // Gathering from a constant 1-D vector (picking dims of a shape).
  auto data = dyn_cast_or_null<DenseElementsAttr>(adaptor.getData());
  auto indices = dyn_cast_or_null<DenseIntElementsAttr>(adaptor.getIndices());
  auto type = dyn_cast<RankedTensorType>(getType());
  if (!data || !indices || !type || !type.hasStaticShape() ||
      data.getType().getRank() != 1)
    return {};
  int64_t dim = data.getNumElements();
  SmallVector<Attribute> values;
  auto all = data.getValues<Attribute>();
  for (const APInt &i : indices.getValues<APInt>()) {
    int64_t v = i.getSExtValue();
    if (v < -dim || v >= dim)
      return {};
    values.push_back(all[v < 0 ? v + dim : v]);
  }
  return DenseElementsAttr::get(type, values);
}

LogicalResult
ONNXCenterCropPadOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  // The sizes come from `shape`; a constant one gives them statically.
  Type elt = getElementTypeOrSelf(getInputData().getType());
  auto in = getTensorShape(getInputData().getType());
  if (!in) {
    inferred.push_back(makeTensorType(std::nullopt, elt));
    return success();
  }
  SmallVector<int64_t> out = *in;
  int64_t rank = in->size();
  SmallVector<int64_t> axes;
  if (getAxes())
    axes = getI64s(*getAxes());
  else
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  std::optional<SmallVector<int64_t>> target = getConstantInts(getShape());
  for (auto [i, a] : llvm::enumerate(axes)) {
    int64_t axis = a < 0 ? a + rank : a;
    if (axis < 0 || axis >= rank)
      return emitOpError() << "axis " << a << " is out of range";
    out[axis] =
        target && i < target->size() ? (*target)[i] : ShapedType::kDynamic;
  }
  inferred.push_back(makeTensorType(ArrayRef<int64_t>(out), elt));
  return success();
}

LogicalResult
ONNXGridSampleOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  // (N, C, D1..Dr) sampled at grid (N, D1'..Dr', r): (N, C, D1'..Dr').
  Type elt = getElementTypeOrSelf(getX().getType());
  auto x = getTensorShape(getX().getType());
  auto grid = getTensorShape(getGrid().getType());
  if (!x || !grid) {
    inferred.push_back(makeTensorType(std::nullopt, elt));
    return success();
  }
  if (x->size() < 3 || grid->size() != x->size() ||
      (!ShapedType::isDynamic(grid->back()) &&
       grid->back() != (int64_t)x->size() - 2))
    return emitOpError() << "grid must be (N, spatial..., "
                         << (int64_t)x->size() - 2 << ") for X of rank "
                         << x->size();
  SmallVector<int64_t> out = {(*x)[0], (*x)[1]};
  out.append(grid->begin() + 1, grid->end() - 1);
  inferred.push_back(makeTensorType(ArrayRef<int64_t>(out), elt));
  return success();
}

LogicalResult
ONNXAffineGridOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  // size (N, C, spatial...) gives (N, spatial..., r) with r spatial dims.
  Type elt = getElementTypeOrSelf(getTheta().getType());
  auto sizeShape = getTensorShape(getSize().getType());
  if (!sizeShape || sizeShape->size() != 1 ||
      ShapedType::isDynamic((*sizeShape)[0])) {
    inferred.push_back(makeTensorType(std::nullopt, elt));
    return success();
  }
  int64_t n = (*sizeShape)[0];
  if (n != 4 && n != 5)
    return emitOpError() << "size must have 4 or 5 elements";
  SmallVector<int64_t> out(n, ShapedType::kDynamic);
  out.back() = n - 2;
  if (std::optional<SmallVector<int64_t>> size = getConstantInts(getSize())) {
    out[0] = (*size)[0];
    for (int64_t i = 2; i < n; ++i)
      out[i - 1] = (*size)[i];
  }
  inferred.push_back(makeTensorType(ArrayRef<int64_t>(out), elt));
  return success();
}

LogicalResult ONNXReverseSequenceOp::verify() {
  auto x = getTensorShape(getInput().getType());
  auto lens = getTensorShape(getSequenceLens().getType());
  if (lens && lens->size() != 1)
    return emitOpError() << "sequence_lens must be 1-D";
  if (!x)
    return success();
  int64_t rank = x->size();
  int64_t b = getBatchAxis(), t = getTimeAxis();
  if (rank < 2 || b < 0 || b > 1 || t < 0 || t > 1 || b == t)
    return emitOpError() << "batch_axis and time_axis must be 0 and 1 (in "
                            "either order) of an input of rank 2 or more";
  return success();
}

LogicalResult ONNXTensorScatterOp::verify() {
  auto past = getTensorShape(getPastCache().getType());
  auto update = getTensorShape(getUpdate().getType());
  if (!past || !update)
    return success();
  int64_t rank = past->size(), axis = getAxis();
  if (rank < 2 || update->size() != past->size())
    return emitOpError() << "past_cache and update must have one rank, 2 or "
                            "more";
  if (axis < -rank || axis >= rank || axis == 0 || axis == -rank)
    return emitOpError() << "axis " << axis << " must be a non-batch dim";
  if (auto w = getTensorShape(getWriteIndices().getType()); w && w->size() != 1)
    return emitOpError() << "write_indices must be 1-D";
  return success();
}

LogicalResult ONNXAffineGridOp::verify() {
  auto theta = getTensorShape(getTheta().getType());
  if (theta && (theta->size() != 3 || (!ShapedType::isDynamic((*theta)[1]) &&
                                       !ShapedType::isDynamic((*theta)[2]) &&
                                       (*theta)[2] != (*theta)[1] + 1)))
    return emitOpError() << "theta must be (N, 2, 3) or (N, 3, 4)";
  return success();
}
