//===- Convolution.cpp - 2-D NCHW convolutions, named or generic ----------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Tuning/Convolution.h"

using namespace mlir;

namespace kiln {

RankedTensorType Conv2DNchw::getInputType() const {
  return cast<RankedTensorType>(getInput().getType());
}
RankedTensorType Conv2DNchw::getFilterType() const {
  return cast<RankedTensorType>(getFilter().getType());
}
RankedTensorType Conv2DNchw::getOutputType() const {
  return cast<RankedTensorType>(getInit().getType());
}

namespace {
/// The maps of a Conv2DNchw with these strides and dilations.
SmallVector<AffineMap> getConvMaps(MLIRContext *ctx, ArrayRef<int64_t> strides,
                                   ArrayRef<int64_t> dilations) {
  AffineExpr n, f, oh, ow, c, kh, kw;
  bindDims(ctx, n, f, oh, ow, c, kh, kw);
  return {AffineMap::get(7, 0,
                         {n, c, oh * strides[0] + kh * dilations[0],
                          ow * strides[1] + kw * dilations[1]},
                         ctx),
          AffineMap::get(7, 0, {f, c, kh, kw}, ctx),
          AffineMap::get(7, 0, {n, f, oh, ow}, ctx)};
}

/// A generic with exactly a Conv2DNchw's loops and maps.
std::optional<Conv2DNchw> matchGeneric(linalg::GenericOp op) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      op.getNumLoops() != 7 || op.getNumParallelLoops() != 4)
    return std::nullopt;
  FailureOr<linalg::ConvolutionDimensions> dims =
      linalg::inferConvolutionDims(op);
  if (failed(dims) || dims->strides.size() != 2 || dims->dilations.size() != 2)
    return std::nullopt;
  SmallVector<int64_t, 2> strides(dims->strides.begin(), dims->strides.end());
  SmallVector<int64_t, 2> dilations(dims->dilations.begin(),
                                    dims->dilations.end());
  if (op.getIndexingMapsArray() !=
      getConvMaps(op.getContext(), strides, dilations))
    return std::nullopt;
  return Conv2DNchw{op, strides, dilations};
}
} // namespace

std::optional<Conv2DNchw> matchConv2DNchw(linalg::LinalgOp op) {
  if (!op || !op.hasPureTensorSemantics())
    return std::nullopt;
  if (auto named = dyn_cast<linalg::Conv2DNchwFchwOp>(op.getOperation()))
    return Conv2DNchw{
        op, SmallVector<int64_t, 2>(named.getStrides().getValues<int64_t>()),
        SmallVector<int64_t, 2>(named.getDilations().getValues<int64_t>())};
  if (auto generic = dyn_cast<linalg::GenericOp>(op.getOperation()))
    return matchGeneric(generic);
  return std::nullopt;
}

} // namespace kiln
