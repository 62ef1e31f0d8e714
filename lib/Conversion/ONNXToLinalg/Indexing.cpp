//===- Indexing.cpp - onnx ops that move elements by index arithmetic -----===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Concat and Split are slices; the rest (Slice with any steps, Gather,
// GatherElements, Expand, Tile, Pad, DepthToSpace, SpaceToDepth, Trilu)
// are a linalg.generic over the result whose body computes the source
// index and reads it with tensor.extract. Static shapes only. Indices read
// from tensors are clamped into range, so malformed indices cannot read out
// of bounds.
//
//===----------------------------------------------------------------------===//

#include "PopulatePatterns.h"
#include "Utils.h"

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace kiln::onnx;

namespace kiln::onnx_to_linalg {

Value buildFromIndices(
    OpBuilder &b, Location loc, RankedTensorType type,
    function_ref<Value(OpBuilder &, Location, ArrayRef<Value>)> element,
    ValueRange sizes) {
  int64_t rank = type.getRank();
  Value init = tensor::EmptyOp::create(b, loc, type, sizes);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, type, ValueRange{}, init,
             ArrayRef<AffineMap>{b.getMultiDimIdentityMap(rank)}, iterators,
             [&](OpBuilder &bb, Location l, ValueRange) {
               SmallVector<Value> idx;
               for (int64_t i = 0; i < rank; ++i)
                 idx.push_back(linalg::IndexOp::create(bb, l, i));
               yieldValue(bb, l, element(bb, l, idx));
             })
      .getResult(0);
}

namespace {

bool isStatic(Type type) {
  auto ranked = dyn_cast_if_present<RankedTensorType>(type);
  return ranked && ranked.hasStaticShape() && getLowerableType(ranked);
}

bool isRanked(Type type) { return (bool)getLowerableType(type); }

struct ConcatToSlices : OpConversionPattern<ONNXConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType result = getLowerableType(op.getType());
    if (!result || !llvm::all_of(adaptor.getInputs(),
                                 [](Value v) { return isRanked(v.getType()); }))
      return notifyUnsupported(rewriter, op, "ranked shapes only");
    Location loc = op.getLoc();
    int64_t rank = result.getRank();
    int64_t axis = wrapAxis((int64_t)op.getAxis(), rank);
    Value first = adaptor.getInputs()[0];
    // Every other dim must agree across the inputs.
    for (auto [k, input] : llvm::enumerate(adaptor.getInputs()))
      for (int64_t d = 0; k > 0 && d < rank; ++d)
        if (d != axis && !areDimsKnownEqual(input, d, first, d))
          requireShape(
              rewriter, loc,
              arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq,
                                    getDimValue(rewriter, loc, input, d),
                                    getDimValue(rewriter, loc, first, d)),
              "Concat input " + Twine(k) + " dim " + Twine(d) +
                  " differs from input 0's");
    Value total = cIndex(rewriter, loc, 0);
    for (Value input : adaptor.getInputs())
      total = arith::AddIOp::create(rewriter, loc, total,
                                    getDimValue(rewriter, loc, input, axis));
    SmallVector<Value> sizes =
        getDynamicSizes(rewriter, loc, result, [&](int64_t d) {
          return d == axis ? total : getDimValue(rewriter, loc, first, d);
        });
    Value acc = tensor::EmptyOp::create(rewriter, loc, result, sizes);
    OpFoldResult offset = rewriter.getIndexAttr(0);
    for (Value input : adaptor.getInputs()) {
      auto type = cast<RankedTensorType>(input.getType());
      if (type.hasStaticShape() && type.getNumElements() == 0)
        continue;
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0)),
          strides(rank, rewriter.getIndexAttr(1));
      offsets[axis] = offset;
      SmallVector<OpFoldResult> inputSizes =
          tensor::getMixedSizes(rewriter, loc, input);
      acc = tensor::InsertSliceOp::create(rewriter, loc, input, acc, offsets,
                                          inputSizes, strides);
      offset = addFoldResults(rewriter, loc, offset, inputSizes[axis]);
    }
    rewriter.replaceOp(op, acc);
    return success();
  }
};

struct SplitToSlices : OpConversionPattern<ONNXSplitOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXSplitOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value input = adaptor.getInput();
    if (!isRanked(input.getType()) ||
        !llvm::all_of(op.getResults(),
                      [](Value v) { return isRanked(v.getType()); }))
      return notifyUnsupported(rewriter, op, "ranked shapes only");
    auto source = cast<RankedTensorType>(input.getType());
    int64_t rank = source.getRank();
    int64_t axis = wrapAxis((int64_t)op.getAxis(), rank);
    Location loc = op.getLoc();
    // The dims off the axis are the results' too: take the static ones the
    // first result declares (checked at run time).
    SmallVector<int64_t> known(
        getLowerableType(op.getResult(0).getType()).getShape());
    if ((int64_t)known.size() != rank)
      return notifyUnsupported(rewriter, op, "results of another rank");
    known[axis] = ShapedType::kDynamic;
    input = refineToType(rewriter, loc, input, known);
    std::optional<SmallVector<int64_t>> split = getConstantInts(op.getSplit());
    int64_t n = op.getNumResults();
    // Split sizes computed from shapes (see ShapeElements.cpp).
    std::optional<SmallVector<Value>> splitSizes;
    if (!split && !isNoValue(op.getSplit()))
      splitSizes = getShapeElements(rewriter, loc, op.getSplit());
    Value dim = getDimValue(rewriter, loc, input, axis);
    // Equal parts: ceil(dim / n) each, the last one what is left.
    Value chunk = arith::CeilDivUIOp::create(rewriter, loc, dim,
                                             cIndex(rewriter, loc, n));
    SmallVector<Value> slices;
    OpFoldResult offset = rewriter.getIndexAttr(0);
    for (auto [k, result] : llvm::enumerate(op.getResults())) {
      RankedTensorType type = getLowerableType(result.getType());
      OpFoldResult size;
      if (!type.isDynamicDim(axis))
        size = rewriter.getIndexAttr(type.getDimSize(axis));
      else if (split && (int64_t)split->size() == n)
        size = rewriter.getIndexAttr((*split)[k]);
      else if (splitSizes && (int64_t)splitSizes->size() == n)
        size = (*splitSizes)[k];
      else if (!isNoValue(op.getSplit())) {
        Value v =
            tensor::ExtractOp::create(rewriter, loc, adaptor.getSplit(),
                                      ValueRange{cIndex(rewriter, loc, k)});
        size = arith::IndexCastOp::create(rewriter, loc,
                                          rewriter.getIndexType(), v)
                   .getResult();
      } else {
        Value start = arith::MulIOp::create(rewriter, loc, chunk,
                                            cIndex(rewriter, loc, k));
        Value left = arith::SubIOp::create(
            rewriter, loc, dim,
            arith::MinUIOp::create(rewriter, loc, start, dim));
        size = arith::MinUIOp::create(rewriter, loc, chunk, left).getResult();
      }
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0)),
          strides(rank, rewriter.getIndexAttr(1));
      SmallVector<OpFoldResult> sizes =
          tensor::getMixedSizes(rewriter, loc, input);
      if (type.hasStaticShape() && type.getNumElements() == 0) {
        // An empty part (its offset may be the end of the dim).
        slices.push_back(
            tensor::EmptyOp::create(rewriter, loc, type, ValueRange{}));
        offset = addFoldResults(rewriter, loc, offset, size);
        continue;
      }
      offsets[axis] = offset;
      sizes[axis] = size;
      slices.push_back(tensor::ExtractSliceOp::create(
          rewriter, loc, type, input, offsets, sizes, strides));
      offset = addFoldResults(rewriter, loc, offset, size);
    }
    rewriter.replaceOp(op, slices);
    return success();
  }
};

/// Slice: out[i] reads data[start + i * step] on each sliced dim. The
/// result shape is static; starts, axes and steps may be run-time values
/// (normalized and clamped as ONNX says), so ends are not needed.
struct SliceToGeneric : OpConversionPattern<ONNXSliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXSliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType result = getLowerableType(op.getType());
    Value data = adaptor.getData();
    auto startsType = dyn_cast<RankedTensorType>(op.getStarts().getType());
    if (!result || !isRanked(data.getType()) || !startsType ||
        startsType.getRank() != 1)
      return notifyUnsupported(rewriter, op, "ranked shapes only");
    if (result.hasStaticShape() && result.getNumElements() == 0) {
      rewriter.replaceOp(op, tensor::EmptyOp::create(rewriter, op.getLoc(),
                                                     result, ValueRange{}));
      return success();
    }
    auto source = cast<RankedTensorType>(data.getType());
    int64_t rank = source.getRank();
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    auto c = [&](int64_t v) -> Value { return cIndex(b, loc, v); };
    SmallVector<Value> first(rank, c(0)), step(rank, c(1)), count;
    for (int64_t d = 0; d < rank; ++d)
      count.push_back(getDimValue(b, loc, data, d));
    // Parameters computed from shapes are index values already (see
    // ShapeElements.cpp), which keeps the result dims computable from the
    // inputs.
    auto known = [&](Value v) -> std::optional<SmallVector<Value>> {
      if (isNoValue(v) || startsType.isDynamicDim(0))
        return std::nullopt;
      return getShapeElements(rewriter, loc, v);
    };
    std::optional<SmallVector<Value>> knownStarts = known(op.getStarts()),
                                      knownEnds = known(op.getEnds()),
                                      knownAxes = known(op.getAxes()),
                                      knownSteps = known(op.getSteps());
    // Entry j of starts/ends/axes/steps updates the first index, step and
    // count of the dim it names.
    auto update = [&](OpBuilder &b, Value j, MutableArrayRef<Value> first,
                      MutableArrayRef<Value> step,
                      MutableArrayRef<Value> count) {
      auto c = [&](int64_t v) -> Value { return cIndex(b, loc, v); };
      auto element = [&](Value tensor) -> Value {
        std::optional<SmallVector<Value>> *given = nullptr;
        if (tensor == adaptor.getStarts())
          given = &knownStarts;
        else if (tensor == adaptor.getEnds())
          given = &knownEnds;
        else if (tensor == adaptor.getAxes())
          given = &knownAxes;
        else if (tensor == adaptor.getSteps())
          given = &knownSteps;
        std::optional<int64_t> at = getConstantIntValue(j);
        if (given && *given && at && *at < (int64_t)(*given)->size())
          return (**given)[*at];
        Value v = tensor::ExtractOp::create(b, loc, tensor, ValueRange{j});
        return arith::IndexCastOp::create(b, loc, b.getIndexType(), v);
      };
      auto cmp = [&](arith::CmpIPredicate p, Value x, Value y) -> Value {
        return arith::CmpIOp::create(b, loc, p, x, y);
      };
      auto select = [&](Value cond, Value x, Value y) -> Value {
        return arith::SelectOp::create(b, loc, cond, x, y);
      };
      Value axis = isNoValue(op.getAxes()) ? j : element(adaptor.getAxes());
      axis = select(cmp(arith::CmpIPredicate::slt, axis, c(0)),
                    arith::AddIOp::create(b, loc, axis, c(rank)), axis);
      Value s = isNoValue(op.getSteps()) ? c(1) : element(adaptor.getSteps());
      Value dim = getDimValue(b, loc, data, 0);
      for (int64_t d = 1; d < rank; ++d)
        dim = select(cmp(arith::CmpIPredicate::eq, axis, c(d)),
                     getDimValue(b, loc, data, d), dim);
      // Negative starts and ends count from the end; then both are clamped
      // to [0, dim] going forward, [-1, dim - 1] going backward.
      auto normalize = [&](Value v) {
        return select(cmp(arith::CmpIPredicate::slt, v, c(0)),
                      arith::AddIOp::create(b, loc, v, dim), v);
      };
      Value positive = cmp(arith::CmpIPredicate::sgt, s, c(0));
      Value lo = select(positive, c(0), c(-1));
      Value hi =
          select(positive, dim, arith::SubIOp::create(b, loc, dim, c(1)));
      auto clamp = [&](Value v) {
        return arith::MinSIOp::create(
            b, loc, arith::MaxSIOp::create(b, loc, v, lo), hi);
      };
      Value start = clamp(normalize(element(adaptor.getStarts())));
      Value end = clamp(normalize(element(adaptor.getEnds())));
      // ceil((end - start) / step), at least 0.
      Value span = arith::SubIOp::create(b, loc, end, start);
      Value n = arith::MaxSIOp::create(
          b, loc, arith::CeilDivSIOp::create(b, loc, span, s), c(0));
      for (int64_t d = 0; d < rank; ++d) {
        Value here = cmp(arith::CmpIPredicate::eq, axis, c(d));
        first[d] = select(here, start, first[d]);
        step[d] = select(here, s, step[d]);
        count[d] = select(here, n, count[d]);
      }
    };
    if (!startsType.isDynamicDim(0)) {
      for (int64_t j = 0; j < startsType.getDimSize(0); ++j)
        update(b, c(j), first, step, count);
    } else {
      // As many entries as starts has, known only at run time.
      SmallVector<Value> init(first);
      llvm::append_range(init, step);
      llvm::append_range(init, count);
      Value entries = tensor::DimOp::create(b, loc, adaptor.getStarts(), 0);
      auto loop = scf::ForOp::create(
          b, loc, c(0), entries, c(1), init,
          [&](OpBuilder &nb, Location, Value j, ValueRange args) {
            SmallVector<Value> values(args);
            MutableArrayRef<Value> all(values);
            update(nb, j, all.take_front(rank), all.slice(rank, rank),
                   all.drop_front(2 * rank));
            scf::YieldOp::create(nb, loc, values);
          });
      ValueRange results = loop.getResults();
      first.assign(results.begin(), results.begin() + rank);
      step.assign(results.begin() + rank, results.begin() + 2 * rank);
      count.assign(results.begin() + 2 * rank, results.end());
    }
    Value sliced = buildFromIndices(
        rewriter, loc, result,
        [&](OpBuilder &bb, Location l, ArrayRef<Value> idx) -> Value {
          SmallVector<Value> src;
          for (int64_t d = 0; d < rank; ++d) {
            Value i = arith::MulIOp::create(bb, l, idx[d], step[d]);
            src.push_back(arith::AddIOp::create(bb, l, i, first[d]));
          }
          return tensor::ExtractOp::create(bb, l, data, src);
        },
        getDynamicSizes(rewriter, loc, result,
                        [&](int64_t d) { return count[d]; }));
    rewriter.replaceOp(op, sliced);
    return success();
  }
};

struct GatherToGeneric : OpConversionPattern<ONNXGatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXGatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType result = getLowerableType(op.getType());
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    if (!result || !isRanked(data.getType()) || !isRanked(indices.getType()))
      return notifyUnsupported(rewriter, op, "ranked shapes only");
    auto source = cast<RankedTensorType>(data.getType());
    int64_t rank = source.getRank();
    int64_t q = cast<RankedTensorType>(indices.getType()).getRank();
    int64_t axis = wrapAxis((int64_t)op.getAxis(), rank);
    Location loc = op.getLoc();
    if (result.hasStaticShape() && result.getNumElements() == 0) {
      rewriter.replaceOp(
          op, tensor::EmptyOp::create(rewriter, loc, result, ValueRange{}));
      return success();
    }
    SmallVector<Value> sizes =
        getDynamicSizes(rewriter, loc, result, [&](int64_t d) {
          if (d < axis)
            return getDimValue(rewriter, loc, data, d);
          if (d < axis + q)
            return getDimValue(rewriter, loc, indices, d - axis);
          return getDimValue(rewriter, loc, data, d - q + 1);
        });
    Value axisSize = getDimValue(rewriter, loc, data, axis);
    Value gathered = buildFromIndices(
        rewriter, loc, result,
        [&](OpBuilder &b, Location l, ArrayRef<Value> idx) -> Value {
          Value raw =
              tensor::ExtractOp::create(b, l, indices, idx.slice(axis, q));
          SmallVector<Value> src(idx.take_front(axis));
          src.push_back(wrapIndex(b, l, raw, axisSize));
          llvm::append_range(src, idx.drop_front(axis + q));
          return tensor::ExtractOp::create(b, l, data, src);
        },
        sizes);
    rewriter.replaceOp(op, gathered);
    return success();
  }
};

struct GatherElementsToGeneric : OpConversionPattern<ONNXGatherElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXGatherElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType result = getLowerableType(op.getType());
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    if (!result || !isRanked(data.getType()) || !isRanked(indices.getType()) ||
        (result.hasStaticShape() && result.getNumElements() == 0))
      return notifyUnsupported(rewriter, op, "ranked, non-empty shapes only");
    auto source = cast<RankedTensorType>(data.getType());
    int64_t rank = source.getRank();
    int64_t axis = wrapAxis((int64_t)op.getAxis(), rank);
    Location loc = op.getLoc();
    SmallVector<Value> sizes =
        getDynamicSizes(rewriter, loc, result, [&](int64_t d) {
          return getDimValue(rewriter, loc, indices, d);
        });
    Value axisSize = getDimValue(rewriter, loc, data, axis);
    Value gathered = buildFromIndices(
        rewriter, loc, result,
        [&](OpBuilder &b, Location l, ArrayRef<Value> idx) -> Value {
          Value raw = tensor::ExtractOp::create(b, l, indices, idx);
          SmallVector<Value> src(idx);
          src[axis] = wrapIndex(b, l, raw, axisSize);
          return tensor::ExtractOp::create(b, l, data, src);
        },
        sizes);
    rewriter.replaceOp(op, gathered);
    return success();
  }
};

/// Expand and Tile: each result dim reads the source dim at index 0 (a
/// broadcast 1), the same index, or the index modulo the source size. With
/// dynamic dims the sizes and the choice are made at run time: Expand's
/// out = in == 1 ? shape : in, Tile's out = in * repeats.
template <typename Op> struct RepeatToGeneric : OpConversionPattern<Op> {
  using OpConversionPattern<Op>::OpConversionPattern;
  static constexpr bool isTile = std::is_same_v<Op, ONNXTileOp>;

  LogicalResult
  matchAndRewrite(Op op, typename Op::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType result = getLowerableType(op.getType());
    Value input = adaptor.getInput();
    if (!result || !isRanked(input.getType()) ||
        (result.hasStaticShape() && result.getNumElements() == 0))
      return notifyUnsupported(rewriter, op, "ranked, non-empty only");
    auto source = cast<RankedTensorType>(input.getType());
    int64_t offset = result.getRank() - source.getRank();
    if (offset < 0)
      return notifyUnsupported(rewriter, op, "result rank below input's");
    if (isStatic(result) && isStatic(source)) {
      Value repeated = buildFromIndices(
          rewriter, op.getLoc(), result,
          [&](OpBuilder &b, Location l, ArrayRef<Value> idx) -> Value {
            SmallVector<Value> src;
            for (int64_t d = 0; d < source.getRank(); ++d) {
              int64_t size = source.getDimSize(d);
              Value i = idx[offset + d];
              if (size == 1)
                i = cIndex(b, l, 0);
              else if (size != result.getDimSize(offset + d))
                i = arith::RemUIOp::create(b, l, i, cIndex(b, l, size));
              src.push_back(i);
            }
            return tensor::ExtractOp::create(b, l, input, src);
          });
      rewriter.replaceOp(op, repeated);
      return success();
    }
    Location loc = op.getLoc();
    // Tile's repeats or Expand's shape.
    Value operand = op->getOperand(1);
    Value converted = adaptor.getOperands()[1];
    int64_t n = isTile ? source.getRank() : result.getRank();
    std::optional<SmallVector<Value>> given =
        getShapeElements(rewriter, loc, operand);
    SmallVector<Value> amounts;
    for (int64_t i = 0; i < n; ++i) {
      if (given && (int64_t)given->size() == n) {
        amounts.push_back((*given)[i]);
        continue;
      }
      Value v = tensor::ExtractOp::create(rewriter, loc, converted,
                                          ValueRange{cIndex(rewriter, loc, i)});
      amounts.push_back(arith::IndexCastOp::create(rewriter, loc,
                                                   rewriter.getIndexType(), v));
    }
    SmallVector<Value> in, out(result.getRank());
    Value one = cIndex(rewriter, loc, 1);
    for (int64_t d = 0; d < source.getRank(); ++d)
      in.push_back(getDimValue(rewriter, loc, input, d));
    for (int64_t d = 0; d < result.getRank(); ++d) {
      if (d < offset) {
        out[d] = amounts[d];
        continue;
      }
      Value x = in[d - offset];
      if (isTile) {
        out[d] = arith::MulIOp::create(rewriter, loc, x, amounts[d]);
      } else {
        Value isOne = arith::CmpIOp::create(rewriter, loc,
                                            arith::CmpIPredicate::eq, x, one);
        out[d] = arith::SelectOp::create(rewriter, loc, isOne, amounts[d], x);
      }
    }
    Value repeated = buildFromIndices(
        rewriter, loc, result,
        [&](OpBuilder &b, Location l, ArrayRef<Value> idx) -> Value {
          SmallVector<Value> src;
          for (int64_t d = 0; d < source.getRank(); ++d)
            src.push_back(arith::RemUIOp::create(b, l, idx[offset + d], in[d]));
          return tensor::ExtractOp::create(b, l, input, src);
        },
        getDynamicSizes(rewriter, loc, result,
                        [&](int64_t d) { return out[d]; }));
    rewriter.replaceOp(op, repeated);
    return success();
  }
};

/// Pad: constant mode fills, edge clamps, reflect mirrors without repeating
/// the edge, wrap is modular. Pads and axes may be run-time values (of
/// static length); a dim of the result is its input dim plus both pads.
struct PadToGeneric : OpConversionPattern<ONNXPadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXPadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType result = getLowerableType(op.getType());
    Value data = adaptor.getData();
    auto source = dyn_cast<RankedTensorType>(data.getType());
    auto padsType = dyn_cast<RankedTensorType>(op.getPads().getType());
    if (!result || !source || !padsType || padsType.getRank() != 1 ||
        padsType.isDynamicDim(0))
      return notifyUnsupported(rewriter, op,
                               "ranked types, pads of known length");
    int64_t rank = source.getRank();
    StringRef mode = op.getMode();
    if (mode != "constant" && mode != "edge" && mode != "reflect" &&
        mode != "wrap")
      return notifyUnsupported(rewriter, op, "unknown mode");
    if (isStatic(source) && source.getNumElements() == 0 && mode != "constant")
      return notifyUnsupported(rewriter, op, "empty input");
    Location loc = op.getLoc();
    int64_t numAxes = padsType.getDimSize(0) / 2;
    if (padsType.getDimSize(0) != 2 * numAxes ||
        (isNoValue(op.getAxes()) && numAxes != rank))
      return notifyUnsupported(rewriter, op, "pads must be 2 per axis");
    SmallVector<Value> pads = readIndexElements(rewriter, loc, op.getPads(),
                                                adaptor.getPads(), 2 * numAxes);
    // begin/end per dim: an axis listed at run time picks its pads by
    // comparison (negative axes count from the end).
    Value zero = cIndex(rewriter, loc, 0);
    SmallVector<Value> begin(rank, zero), end(rank, zero);
    if (isNoValue(op.getAxes())) {
      for (int64_t d = 0; d < rank; ++d) {
        begin[d] = pads[d];
        end[d] = pads[d + rank];
      }
    } else {
      auto axesType = dyn_cast<RankedTensorType>(op.getAxes().getType());
      if (!axesType || axesType.getRank() != 1 ||
          axesType.getDimSize(0) != numAxes)
        return notifyUnsupported(rewriter, op, "axes of the pads' length");
      SmallVector<Value> axes = readIndexElements(rewriter, loc, op.getAxes(),
                                                  adaptor.getAxes(), numAxes);
      Value r = cIndex(rewriter, loc, rank);
      for (int64_t i = 0; i < numAxes; ++i) {
        Value a = axes[i];
        a = arith::SelectOp::create(
            rewriter, loc,
            arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::slt, a,
                                  zero),
            arith::AddIOp::create(rewriter, loc, a, r), a);
        for (int64_t d = 0; d < rank; ++d) {
          Value hit =
              arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq, a,
                                    cIndex(rewriter, loc, d));
          begin[d] =
              arith::SelectOp::create(rewriter, loc, hit, pads[i], begin[d]);
          end[d] = arith::SelectOp::create(rewriter, loc, hit,
                                           pads[i + numAxes], end[d]);
        }
      }
    }
    // in[2d] is the input's dim d, in[2d + 1] the result's.
    SmallVector<Value> in;
    for (int64_t d = 0; d < rank; ++d) {
      Value n = getDimValue(rewriter, loc, data, d);
      in.push_back(n);
      Value out = arith::AddIOp::create(
          rewriter, loc, n,
          arith::AddIOp::create(rewriter, loc, begin[d], end[d]));
      if (!result.isDynamicDim(d))
        requireShape(
            rewriter, loc,
            arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq, out,
                                  cIndex(rewriter, loc, result.getDimSize(d))),
            "the pads do not give dim " + Twine(d) + " of the declared result");
      in.push_back(out);
    }
    Type elt = result.getElementType();
    Value fill;
    if (!isNoValue(op.getConstantValue())) {
      // A scalar, or a one-element tensor of any rank.
      Value value = adaptor.getConstantValue();
      auto valueType = dyn_cast<RankedTensorType>(value.getType());
      if (!valueType || valueType.getElementType() != elt)
        return notifyUnsupported(rewriter, op, "constant_value's type");
      fill = tensor::ExtractOp::create(
          rewriter, loc, value,
          SmallVector<Value>(valueType.getRank(), cIndex(rewriter, loc, 0)));
    } else
      fill = arith::ConstantOp::create(
          rewriter, loc, cast<TypedAttr>(rewriter.getZeroAttr(elt)));
    Value padded = buildFromIndices(
        rewriter, loc, result,
        [&](OpBuilder &b, Location l, ArrayRef<Value> idx) -> Value {
          SmallVector<Value> src;
          Value inside = arith::ConstantOp::create(b, l, b.getBoolAttr(true));
          Value zero = cIndex(b, l, 0), one = cIndex(b, l, 1);
          for (int64_t d = 0; d < rank; ++d) {
            Value n = in[2 * d];
            Value i = arith::SubIOp::create(b, l, idx[d], begin[d]);
            Value last = arith::SubIOp::create(b, l, n, one);
            auto lt = [&](Value x, Value y) -> Value {
              return arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, x,
                                           y);
            };
            // A non-negative remainder of i by a positive `size`.
            auto modulo = [&](Value size) -> Value {
              Value m = arith::RemSIOp::create(b, l, i, size);
              return arith::SelectOp::create(
                  b, l, lt(m, zero), arith::AddIOp::create(b, l, m, size), m);
            };
            if (mode == "reflect") {
              // -i below, 2(n-1) - i above, repeating for pads wider than n;
              // a dim of 1 reads index 0.
              Value period = arith::MaxSIOp::create(
                  b, l, arith::AddIOp::create(b, l, last, last), one);
              Value m = modulo(period);
              i = arith::SelectOp::create(
                  b, l, lt(last, m), arith::SubIOp::create(b, l, period, m), m);
            } else if (mode == "wrap") {
              i = modulo(arith::MaxSIOp::create(b, l, n, one));
            } else {
              if (mode == "constant")
                inside = arith::AndIOp::create(
                    b, l, inside,
                    arith::AndIOp::create(
                        b, l,
                        arith::XOrIOp::create(b, l, lt(i, zero),
                                              arith::ConstantOp::create(
                                                  b, l, b.getBoolAttr(true))),
                        lt(i, n)));
              i = arith::MinSIOp::create(
                  b, l, arith::MaxSIOp::create(b, l, i, zero), last);
            }
            src.push_back(i);
          }
          if (isStatic(source) && source.getNumElements() == 0)
            return fill;
          if (mode != "constant")
            return tensor::ExtractOp::create(b, l, data, src);
          // Out-of-range indices are clamped above; only the select keeps
          // the fill, so an empty input never reads.
          auto ifOp = scf::IfOp::create(
              b, l, inside,
              [&](OpBuilder &tb, Location tl) {
                scf::YieldOp::create(
                    tb, tl,
                    ValueRange{tensor::ExtractOp::create(tb, tl, data, src)});
              },
              [&](OpBuilder &eb, Location el) {
                scf::YieldOp::create(eb, el, ValueRange{fill});
              });
          return ifOp.getResult(0);
        },
        getDynamicSizes(rewriter, loc, result,
                        [&](int64_t d) { return in[2 * d + 1]; }));
    rewriter.replaceOp(op, padded);
    return success();
  }
};

/// EyeLike: ones where column - row == k, zeros elsewhere.
struct EyeLikeToGeneric : OpConversionPattern<ONNXEyeLikeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXEyeLikeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType result = getLowerableType(op.getType());
    Value input = adaptor.getInput();
    if (!result || result.getRank() != 2)
      return notifyUnsupported(rewriter, op, "2-D result");
    Type elt = result.getElementType();
    int64_t k = op.getK();
    Value eye = buildFromIndices(
        rewriter, op.getLoc(), result,
        [&](OpBuilder &b, Location l, ArrayRef<Value> idx) -> Value {
          Value diag = arith::CmpIOp::create(
              b, l, arith::CmpIPredicate::eq,
              arith::SubIOp::create(b, l, idx[1], idx[0]), cIndex(b, l, k));
          auto constant = [&](int64_t v) -> Value {
            if (isa<FloatType>(elt))
              return arith::ConstantOp::create(b, l,
                                               b.getFloatAttr(elt, (double)v));
            return arith::ConstantOp::create(b, l, b.getIntegerAttr(elt, v));
          };
          return arith::SelectOp::create(b, l, diag, constant(1), constant(0));
        },
        getDynamicSizes(rewriter, op.getLoc(), result, [&](int64_t d) {
          return getDimValue(rewriter, op.getLoc(), input, d);
        }));
    rewriter.replaceOp(op, eye);
    return success();
  }
};

/// ReverseSequence: along time_axis, batch b's first lens[b] steps in
/// reverse order, the rest as they are (lens clamped to the time dim).
struct ReverseSequenceToGeneric : OpConversionPattern<ONNXReverseSequenceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXReverseSequenceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType result = getLowerableType(op.getType());
    Value input = adaptor.getInput(), lens = adaptor.getSequenceLens();
    if (!result || result.getRank() < 2)
      return notifyUnsupported(rewriter, op, "rank 2 or more");
    int64_t rank = result.getRank();
    int64_t batchAxis = wrapAxis(op.getBatchAxis(), rank);
    int64_t timeAxis = wrapAxis(op.getTimeAxis(), rank);
    Location loc = op.getLoc();
    Value steps = getDimValue(rewriter, loc, input, timeAxis);
    Value y = buildFromIndices(
        rewriter, loc, result,
        [&](OpBuilder &b, Location l, ArrayRef<Value> idx) -> Value {
          Value len = arith::IndexCastOp::create(
              b, l, b.getIndexType(),
              tensor::ExtractOp::create(b, l, lens, idx[batchAxis]));
          len = arith::MinSIOp::create(
              b, l, arith::MaxSIOp::create(b, l, len, cIndex(b, l, 0)), steps);
          Value t = idx[timeAxis];
          Value reversed = arith::SubIOp::create(
              b, l, arith::SubIOp::create(b, l, len, cIndex(b, l, 1)), t);
          Value inside =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, t, len);
          SmallVector<Value> at(idx.begin(), idx.end());
          at[timeAxis] = arith::SelectOp::create(b, l, inside, reversed, t);
          return tensor::ExtractOp::create(b, l, input, at);
        },
        getDynamicSizes(rewriter, loc, result, [&](int64_t d) {
          return getDimValue(rewriter, loc, input, d);
        }));
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// TensorScatter: cache position p along `axis` of batch b takes update
/// step p - write_indices[b] (modulo the cache length when circular) when
/// that step exists, else keeps the past value.
struct TensorScatterToGeneric : OpConversionPattern<ONNXTensorScatterOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXTensorScatterOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType result = getLowerableType(op.getType());
    Value past = adaptor.getPastCache(), update = adaptor.getUpdate();
    auto updateType = dyn_cast<RankedTensorType>(update.getType());
    if (!result || !updateType || updateType.getRank() != result.getRank() ||
        result.getRank() < 2)
      return notifyUnsupported(rewriter, op, "ranked cache and update");
    bool circular = op.getMode() == "circular";
    if (!circular && op.getMode() != "linear")
      return notifyUnsupported(rewriter, op, "unknown mode");
    int64_t rank = result.getRank();
    int64_t axis = wrapAxis(op.getAxis(), rank);
    bool hasIndices = !isa<NoneType>(adaptor.getWriteIndices().getType());
    Location loc = op.getLoc();
    Value length = getDimValue(rewriter, loc, past, axis);
    Value steps = getDimValue(rewriter, loc, update, axis);
    Value y = buildFromIndices(
        rewriter, loc, result,
        [&](OpBuilder &b, Location l, ArrayRef<Value> idx) -> Value {
          Value zero = cIndex(b, l, 0);
          Value start = zero;
          if (hasIndices)
            start = arith::IndexCastOp::create(
                b, l, b.getIndexType(),
                tensor::ExtractOp::create(b, l, adaptor.getWriteIndices(),
                                          idx[0]));
          Value step = arith::SubIOp::create(b, l, idx[axis], start);
          if (circular) {
            Value m = arith::RemSIOp::create(b, l, step, length);
            step = arith::SelectOp::create(
                b, l,
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, m, zero),
                arith::AddIOp::create(b, l, m, length), m);
          }
          Value fromUpdate = arith::AndIOp::create(
              b, l,
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, step,
                                    zero),
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, step,
                                    steps));
          SmallVector<Value> at(idx.begin(), idx.end());
          at[axis] = arith::SelectOp::create(b, l, fromUpdate, step, zero);
          auto ifOp = scf::IfOp::create(
              b, l, fromUpdate,
              [&](OpBuilder &tb, Location tl) {
                scf::YieldOp::create(
                    tb, tl,
                    ValueRange{tensor::ExtractOp::create(tb, tl, update, at)});
              },
              [&](OpBuilder &eb, Location el) {
                scf::YieldOp::create(
                    eb, el,
                    ValueRange{tensor::ExtractOp::create(eb, el, past, idx)});
              });
          return ifOp.getResult(0);
        },
        getDynamicSizes(rewriter, loc, result, [&](int64_t d) {
          return getDimValue(rewriter, loc, past, d);
        }));
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// DepthToSpace (DCR and CRD) and SpaceToDepth on NCHW.
template <typename Op> struct BlockShuffleToGeneric : OpConversionPattern<Op> {
  using OpConversionPattern<Op>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Op op, typename Op::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType result = getLowerableType(op.getType());
    Value input = adaptor.getInput();
    if (!result || !isRanked(input.getType()) || result.getRank() != 4)
      return notifyUnsupported(rewriter, op, "NCHW only");
    int64_t bs = op.getBlocksize();
    constexpr bool toSpace = std::is_same_v<Op, ONNXDepthToSpaceOp>;
    Location loc = op.getLoc();
    // DepthToSpace: (N, C / bs^2, H * bs, W * bs); SpaceToDepth inverts it.
    Value block = cIndex(rewriter, loc, bs),
          square = cIndex(rewriter, loc, bs * bs);
    SmallVector<Value> sizes =
        getDynamicSizes(rewriter, loc, result, [&](int64_t d) -> Value {
          Value in = getDimValue(rewriter, loc, input, d);
          if (d == 0)
            return in;
          if (d == 1)
            return toSpace ? (Value)arith::DivUIOp::create(rewriter, loc, in,
                                                           square)
                           : (Value)arith::MulIOp::create(rewriter, loc, in,
                                                          square);
          return toSpace
                     ? (Value)arith::MulIOp::create(rewriter, loc, in, block)
                     : (Value)arith::DivUIOp::create(rewriter, loc, in, block);
        });
    Value outChannels = getDimValue(rewriter, loc, input, 1);
    if (toSpace)
      outChannels = arith::DivUIOp::create(rewriter, loc, outChannels, square);
    Value inChannels = getDimValue(rewriter, loc, input, 1);
    bool crd = op.getMode() == "CRD";
    Value shuffled = buildFromIndices(
        rewriter, loc, result,
        [&](OpBuilder &b, Location l, ArrayRef<Value> idx) -> Value {
          Value n = idx[0], c = idx[1], h = idx[2], w = idx[3];
          Value bsv = cIndex(b, l, bs);
          auto mul = [&](Value x, Value y) -> Value {
            return arith::MulIOp::create(b, l, x, y);
          };
          auto add = [&](Value x, Value y) -> Value {
            return arith::AddIOp::create(b, l, x, y);
          };
          auto div = [&](Value x, Value y) -> Value {
            return arith::DivUIOp::create(b, l, x, y);
          };
          auto rem = [&](Value x, Value y) -> Value {
            return arith::RemUIOp::create(b, l, x, y);
          };
          SmallVector<Value> src;
          if (toSpace) {
            // out[n, c, h, w] = in[n, channel(c, h % bs, w % bs), h/bs, w/bs]
            Value bh = rem(h, bsv), bw = rem(w, bsv);
            Value outC = outChannels;
            Value channel =
                crd ? add(mul(c, cIndex(b, l, bs * bs)), add(mul(bh, bsv), bw))
                    : add(mul(add(mul(bh, bsv), bw), outC), c);
            src = {n, channel, div(h, bsv), div(w, bsv)};
          } else {
            // DCR: out[n, (bh*bs + bw)*C + c, h, w] = in[n, c, h*bs+bh,
            // w*bs+bw]; CRD: out[n, c*bs*bs + bh*bs + bw, h, w].
            Value inC = inChannels, square = cIndex(b, l, bs * bs);
            Value block = crd ? rem(c, square) : div(c, inC);
            Value channel = crd ? div(c, square) : rem(c, inC);
            Value bh = div(block, bsv), bw = rem(block, bsv);
            src = {n, channel, add(mul(h, bsv), bh), add(mul(w, bsv), bw)};
          }
          return tensor::ExtractOp::create(b, l, input, src);
        },
        sizes);
    rewriter.replaceOp(op, shuffled);
    return success();
  }
};

/// Trilu: keep elements on the right side of diagonal k.
struct TriluToGeneric : OpConversionPattern<ONNXTriluOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXTriluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType result = getLowerableType(op.getType());
    Value input = adaptor.getInput();
    if (!result || result.getRank() < 2)
      return notifyUnsupported(rewriter, op, "ranked only");
    Location loc = op.getLoc();
    if (result.hasStaticShape() && result.getNumElements() == 0) {
      rewriter.replaceOpWithNewOp<tensor::EmptyOp>(op, result.getShape(),
                                                   result.getElementType());
      return success();
    }
    SmallVector<Value> sizes =
        getDynamicSizes(rewriter, loc, result, [&](int64_t d) {
          return getDimValue(rewriter, loc, input, d);
        });
    Value k = cIndex(rewriter, loc, 0);
    if (!isNoValue(op.getK())) {
      auto kType = dyn_cast<RankedTensorType>(op.getK().getType());
      if (!kType || kType.getNumElements() != 1)
        return notifyUnsupported(rewriter, op, "k must be one value");
      SmallVector<Value> zeros(kType.getRank(), cIndex(rewriter, loc, 0));
      k = arith::IndexCastOp::create(
          rewriter, loc, rewriter.getIndexType(),
          tensor::ExtractOp::create(rewriter, loc, adaptor.getK(), zeros));
    }
    bool upper = op.getUpper() != 0;
    int64_t rank = result.getRank();
    Type elt = result.getElementType();
    Value kept = buildFromIndices(
        rewriter, loc, result,
        [&](OpBuilder &b, Location l, ArrayRef<Value> idx) -> Value {
          Value v = tensor::ExtractOp::create(b, l, input, idx);
          Value diff =
              arith::SubIOp::create(b, l, idx[rank - 1], idx[rank - 2]);
          Value keep = arith::CmpIOp::create(b, l,
                                             upper ? arith::CmpIPredicate::sge
                                                   : arith::CmpIPredicate::sle,
                                             diff, k);
          Value zero = arith::ConstantOp::create(
              b, l, cast<TypedAttr>(b.getZeroAttr(elt)));
          return arith::SelectOp::create(b, l, keep, v, zero);
        },
        sizes);
    rewriter.replaceOp(op, kept);
    return success();
  }
};

/// ConstantOfShape with a constant shape: a filled tensor.
struct ConstantOfShapeToFill : OpConversionPattern<ONNXConstantOfShapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXConstantOfShapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType result = getLowerableType(op.getType());
    if (!result)
      return notifyUnsupported(rewriter, op, "ranked shapes only");
    SmallVector<Value> sizes;
    if (!result.hasStaticShape()) {
      std::optional<SmallVector<Value>> dims =
          getShapeElements(rewriter, op.getLoc(), op.getInput());
      if (!dims || (int64_t)dims->size() != result.getRank())
        return notifyUnsupported(rewriter, op, "shape is not computable");
      sizes = getDynamicSizes(rewriter, op.getLoc(), result,
                              [&](int64_t d) { return (*dims)[d]; });
    }
    Type elt = result.getElementType();
    TypedAttr value = cast<TypedAttr>(rewriter.getZeroAttr(elt));
    if (auto attr = op.getValueAttr()) {
      auto dense = dyn_cast<DenseElementsAttr>(attr);
      if (!dense || dense.getNumElements() != 1)
        return notifyUnsupported(rewriter, op, "value must be one element");
      value = cast<TypedAttr>(*dense.getValues<Attribute>().begin());
    }
    rewriter.replaceOp(
        op, createFilled(rewriter, op.getLoc(), result, value, sizes));
    return success();
  }
};

/// Range with a static result: start + i * delta.
struct RangeToGeneric : OpConversionPattern<ONNXRangeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXRangeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType result = getLowerableType(op.getType());
    if (!result || result.getRank() != 1 ||
        (result.hasStaticShape() && result.getNumElements() == 0))
      return notifyUnsupported(rewriter, op, "1-D, non-empty only");
    Location loc = op.getLoc();
    Type elt = result.getElementType();
    auto scalar = [&](Value t) -> Value {
      auto type = cast<RankedTensorType>(t.getType());
      SmallVector<Value> zeros(type.getRank(), cIndex(rewriter, loc, 0));
      return tensor::ExtractOp::create(rewriter, loc, t, zeros);
    };
    Value start = scalar(adaptor.getStart()),
          delta = scalar(adaptor.getDelta());
    SmallVector<Value> sizes;
    // Integer bounds computed from shapes stay index values, so that the
    // length is computable from the inputs (see ShapeElements.cpp).
    auto known = [&](Value v) -> Value {
      std::optional<SmallVector<Value>> e = getShapeElements(rewriter, loc, v);
      return e && e->size() == 1 ? (*e)[0] : Value();
    };
    Value knownStart = known(op.getStart()), knownLimit = known(op.getLimit()),
          knownDelta = known(op.getDelta());
    if (result.isDynamicDim(0) && knownStart && knownLimit && knownDelta) {
      Value count = arith::CeilDivSIOp::create(
          rewriter, loc,
          arith::SubIOp::create(rewriter, loc, knownLimit, knownStart),
          knownDelta);
      sizes.push_back(arith::MaxSIOp::create(rewriter, loc, count,
                                             cIndex(rewriter, loc, 0)));
    } else if (result.isDynamicDim(0)) {
      // max(ceil((limit - start) / delta), 0) elements.
      Value limit = scalar(adaptor.getLimit()), count;
      if (isa<FloatType>(elt)) {
        Value q = arith::DivFOp::create(
            rewriter, loc, arith::SubFOp::create(rewriter, loc, limit, start),
            delta);
        count = arith::FPToSIOp::create(rewriter, loc, rewriter.getI64Type(),
                                        math::CeilOp::create(rewriter, loc, q));
      } else {
        count = arith::CeilDivSIOp::create(
            rewriter, loc, arith::SubIOp::create(rewriter, loc, limit, start),
            delta);
      }
      Value index = arith::IndexCastOp::create(rewriter, loc,
                                               rewriter.getIndexType(), count);
      sizes.push_back(arith::MaxSIOp::create(rewriter, loc, index,
                                             cIndex(rewriter, loc, 0)));
    }
    Value range = buildFromIndices(
        rewriter, loc, result,
        [&](OpBuilder &b, Location l, ArrayRef<Value> idx) -> Value {
          Value i = arith::IndexCastOp::create(b, l, b.getI64Type(), idx[0]);
          if (isa<FloatType>(elt)) {
            Value f = arith::SIToFPOp::create(b, l, elt, i);
            return arith::AddFOp::create(b, l, start,
                                         arith::MulFOp::create(b, l, f, delta));
          }
          Value n = elt.getIntOrFloatBitWidth() == 64
                        ? i
                        : (Value)arith::TruncIOp::create(b, l, elt, i);
          return arith::AddIOp::create(b, l, start,
                                       arith::MulIOp::create(b, l, n, delta));
        },
        sizes);
    rewriter.replaceOp(op, range);
    return success();
  }
};

/// OneHot: on where the (normalized) index equals the position along axis.
struct OneHotToGeneric : OpConversionPattern<ONNXOneHotOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXOneHotOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType result = getLowerableType(op.getType());
    Value indices = adaptor.getIndices(), values = adaptor.getValues();
    if (!result || !isRanked(indices.getType()) ||
        (result.hasStaticShape() && result.getNumElements() == 0))
      return notifyUnsupported(rewriter, op, "ranked, non-empty only");
    int64_t rank = result.getRank();
    int64_t axis = wrapAxis((int64_t)op.getAxis(), rank);
    Location loc = op.getLoc();
    Value depth;
    if (!result.isDynamicDim(axis)) {
      depth = cIndex(rewriter, loc, result.getDimSize(axis));
    } else {
      // The one element of the depth input, an integer or a float.
      auto depthType = cast<RankedTensorType>(adaptor.getDepth().getType());
      SmallVector<Value> zeros(depthType.getRank(), cIndex(rewriter, loc, 0));
      Value raw =
          tensor::ExtractOp::create(rewriter, loc, adaptor.getDepth(), zeros);
      if (isa<FloatType>(raw.getType()))
        raw =
            arith::FPToSIOp::create(rewriter, loc, rewriter.getI64Type(), raw);
      depth = arith::IndexCastOp::create(rewriter, loc, rewriter.getIndexType(),
                                         raw);
    }
    SmallVector<Value> sizes =
        getDynamicSizes(rewriter, loc, result, [&](int64_t d) -> Value {
          if (d == axis)
            return depth;
          return getDimValue(rewriter, loc, indices, d < axis ? d : d - 1);
        });
    Value off = tensor::ExtractOp::create(rewriter, loc, values,
                                          ValueRange{cIndex(rewriter, loc, 0)});
    Value on = tensor::ExtractOp::create(rewriter, loc, values,
                                         ValueRange{cIndex(rewriter, loc, 1)});
    Value hot = buildFromIndices(
        rewriter, loc, result,
        [&](OpBuilder &b, Location l, ArrayRef<Value> idx) -> Value {
          SmallVector<Value> at(idx.take_front(axis));
          llvm::append_range(at, idx.drop_front(axis + 1));
          Value raw = tensor::ExtractOp::create(b, l, indices, at);
          if (isa<FloatType>(raw.getType()))
            raw = arith::FPToSIOp::create(b, l, b.getI64Type(), raw);
          Value i = arith::IndexCastOp::create(b, l, b.getIndexType(), raw);
          Value negative = arith::CmpIOp::create(
              b, l, arith::CmpIPredicate::slt, i, cIndex(b, l, 0));
          i = arith::SelectOp::create(b, l, negative,
                                      arith::AddIOp::create(b, l, i, depth), i);
          Value match = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, i,
                                              idx[axis]);
          return arith::SelectOp::create(b, l, match, on, off);
        },
        sizes);
    rewriter.replaceOp(op, hot);
    return success();
  }
};

/// GatherND: out[i..., j...] = data[b..., indices[i..., :], j...].
struct GatherNDToGeneric : OpConversionPattern<ONNXGatherNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXGatherNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType result = getLowerableType(op.getType());
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    if (!isStatic(result) || !isStatic(data.getType()) ||
        !isStatic(indices.getType()) || result.getNumElements() == 0)
      return notifyUnsupported(rewriter, op, "static, non-empty only");
    auto source = cast<RankedTensorType>(data.getType());
    auto indexType = cast<RankedTensorType>(indices.getType());
    int64_t batch = op.getBatchDims();
    int64_t q = indexType.getRank();
    int64_t m = indexType.getDimSize(q - 1);
    Value gathered = buildFromIndices(
        rewriter, op.getLoc(), result,
        [&](OpBuilder &b, Location l, ArrayRef<Value> idx) -> Value {
          SmallVector<Value> src(idx.take_front(batch));
          SmallVector<Value> at(idx.take_front(q - 1));
          for (int64_t k = 0; k < m; ++k) {
            at.push_back(cIndex(b, l, k));
            Value raw = tensor::ExtractOp::create(b, l, indices, at);
            src.push_back(wrapIndex(b, l, raw, source.getDimSize(batch + k)));
            at.pop_back();
          }
          llvm::append_range(src, idx.drop_front(q - 1));
          return tensor::ExtractOp::create(b, l, data, src);
        });
    rewriter.replaceOp(op, gathered);
    return success();
  }
};

/// Hardmax: 1 at the first maximum along the axis (an onnx ArgMax,
/// lowered in turn), 0 elsewhere.
struct HardmaxToArgMax : OpConversionPattern<ONNXHardmaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ONNXHardmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType result = getLowerableType(op.getType());
    if (!result || (result.hasStaticShape() && result.getNumElements() == 0))
      return notifyUnsupported(rewriter, op, "ranked, non-empty only");
    int64_t rank = result.getRank();
    SmallVector<Value> sizes =
        getDynamicSizes(rewriter, op.getLoc(), result, [&](int64_t d) {
          return getDimValue(rewriter, op.getLoc(), adaptor.getInput(), d);
        });
    int64_t axis = wrapAxis((int64_t)op.getAxis(), rank);
    Location loc = op.getLoc();
    SmallVector<int64_t> shape(result.getShape());
    shape[axis] = 1;
    auto argType = RankedTensorType::get(shape, rewriter.getI64Type());
    Value arg = ONNXArgMaxOp::create(rewriter, loc, argType, adaptor.getInput(),
                                     axis, /*keepdims=*/1,
                                     /*select_last_index=*/0);
    Type elt = result.getElementType();
    Value hard = buildFromIndices(
        rewriter, loc, result,
        [&](OpBuilder &b, Location l, ArrayRef<Value> idx) -> Value {
          SmallVector<Value> at(idx);
          at[axis] = cIndex(b, l, 0);
          Value best = arith::IndexCastOp::create(
              b, l, b.getIndexType(), tensor::ExtractOp::create(b, l, arg, at));
          Value hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                            best, idx[axis]);
          return arith::SelectOp::create(
              b, l, hit,
              arith::ConstantOp::create(b, l, b.getFloatAttr(elt, 1)),
              arith::ConstantOp::create(b, l, b.getFloatAttr(elt, 0)));
        },
        sizes);
    rewriter.replaceOp(op, hard);
    return success();
  }
};

} // namespace

void populateIndexingPatterns(RewritePatternSet &patterns) {
  patterns.add<EyeLikeToGeneric, ReverseSequenceToGeneric,
               TensorScatterToGeneric, ConcatToSlices, SplitToSlices,
               SliceToGeneric, GatherToGeneric, GatherElementsToGeneric,
               RepeatToGeneric<ONNXExpandOp>, RepeatToGeneric<ONNXTileOp>,
               PadToGeneric, BlockShuffleToGeneric<ONNXDepthToSpaceOp>,
               BlockShuffleToGeneric<ONNXSpaceToDepthOp>, TriluToGeneric,
               ConstantOfShapeToFill, RangeToGeneric, OneHotToGeneric,
               GatherNDToGeneric, HardmaxToArgMax>(patterns.getContext());
}

} // namespace kiln::onnx_to_linalg
