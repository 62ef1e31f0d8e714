//===- Utils.h - helpers of the onnx to linalg patterns ---------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// What the patterns of several categories share: shape elements, dims and
// their run-time checks, broadcasting, casts, reductions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_CONVERSION_ONNXTOLINALG_UTILS_H
#define KILN_LIB_CONVERSION_ONNXTOLINALG_UTILS_H

#include "MatchFailure.h"

#include "kiln/Dialect/ONNX/IR/ONNXShapeHelpers.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace kiln::onnx_to_linalg {

/// The elements of a small integer tensor (0-D, or 1-D of static length)
/// that ONNX ops compute from shapes and constants (Shape, Size, Concat,
/// Slice, Gather, Cast, Unsqueeze, Add/Sub/Mul/Div), as index values built
/// from the converted operands' dims; nullopt for anything else.
std::optional<llvm::SmallVector<mlir::Value>>
getShapeElements(mlir::ConversionPatternRewriter &b, mlir::Location loc,
                 mlir::Value value);

/// A float scalar in another float type: extended when `to` is wider,
/// truncated when narrower.
mlir::Value castFloat(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v,
                      mlir::FloatType to);

/// A scalar of any lowered element type as f32 (integers converted as
/// signed, or unsigned with `isUnsigned`).
mlir::Value toF32(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v,
                  bool isUnsigned = false);

/// The elements of a small 1-D integer tensor of static length `n` as index
/// values: from getShapeElements when it can, else read at run time from
/// `converted`.
llvm::SmallVector<mlir::Value>
readIndexElements(mlir::ConversionPatternRewriter &b, mlir::Location loc,
                  mlir::Value original, mlir::Value converted, int64_t n);

/// A key shared by dims known to be equal: the same dim of the same tensor
/// (traced through destination-style ops to their inits, tensor.empty
/// sizes and casts), or input dims naming the same dim_param.
using DimKey = std::pair<const void *, int64_t>;
DimKey getDimKey(mlir::Value tensor, int64_t dim);

/// Whether dim `da` of `a` and dim `db` of `b` are equal on every run.
bool areDimsKnownEqual(mlir::Value a, int64_t da, mlir::Value b, int64_t db);

/// Dim `dim` of a ranked tensor as an index: a constant when static.
mlir::Value getDimValue(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value tensor, int64_t dim);

/// A run-time requirement on input dims the types cannot show (a MatMul's
/// inner dims equal): `cf.assert %holds, "<node>: <what>"`. kiln-outline-dims
/// moves each into the model's dims function, so `query` and `run` refuse
/// such inputs with a status instead of reading out of bounds.
void requireShape(mlir::OpBuilder &b, mlir::Location loc, mlir::Value holds,
                  const llvm::Twine &what);

/// `value` with the static dims of `shape` where its own are dynamic: each
/// is checked at run time with requireShape (the dims function refuses
/// other sizes with a status), then a tensor.cast refines the type. Dims
/// that `shape` leaves dynamic, or that are static already, are kept.
mlir::Value refineToType(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value value, llvm::ArrayRef<int64_t> shape);

/// For ops whose result has their input's shape: `value` refined by
/// refineToType to the static dims of `result`, when both are ranked
/// tensors of one rank (the graph may declare a static output for an input
/// it left dynamic); else `value` itself.
mlir::Value refineToResultShape(mlir::OpBuilder &b, mlir::Location loc,
                                mlir::Value value, mlir::Type result);

/// ONNX multidirectional broadcasting of ranked `operands` to `resultType`:
/// an indexing map per operand (appended to `maps`) and the result's
/// dynamic sizes (appended to `sizes`). An operand with a dynamic dim that
/// may be a 1 to stretch at run time is replaced by its run-time expansion
/// to the result shape.
mlir::LogicalResult
broadcastOperands(mlir::OpBuilder &b, mlir::Location loc,
                  mlir::RankedTensorType resultType,
                  llvm::SmallVectorImpl<mlir::Value> &operands,
                  llvm::SmallVectorImpl<mlir::AffineMap> &maps,
                  llvm::SmallVectorImpl<mlir::Value> &sizes);

/// A static tensor of `type` whose element at each index is
/// `element(index)`: a linalg.generic over the result with no inputs.
mlir::Value buildFromIndices(
    mlir::OpBuilder &b, mlir::Location loc, mlir::RankedTensorType type,
    llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                   llvm::ArrayRef<mlir::Value>)>
        element,
    mlir::ValueRange sizes = {});

/// The sizes of `type`'s dynamic dims (for tensor.empty): `dim(i)` for
/// each dynamic dim i.
llvm::SmallVector<mlir::Value>
getDynamicSizes(mlir::OpBuilder &b, mlir::Location loc,
                mlir::RankedTensorType type,
                llvm::function_ref<mlir::Value(int64_t)> dim);

/// x + y, folded when both are constants.
mlir::OpFoldResult addFoldResults(mlir::OpBuilder &b, mlir::Location loc,
                                  mlir::OpFoldResult x, mlir::OpFoldResult y);

/// The ranked tensor type a value of `type` has after lowering: unsigned
/// integers become signless of the same width (arith takes only those; the
/// ops that care pick unsigned arithmetic from the onnx types). Null when
/// kiln cannot lower it (unranked).
mlir::RankedTensorType getLowerableType(mlir::Type type);

/// Whether `type` is a tensor of unsigned integers (in onnx types).
bool isUnsignedTensor(mlir::Type type);

/// An ONNX axis attribute (negative counts from the end) in [0, rank);
/// the verifiers have checked its range.
inline int64_t wrapAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

/// An `index` constant.
inline mlir::Value cIndex(mlir::OpBuilder &b, mlir::Location loc, int64_t v) {
  return mlir::arith::ConstantIndexOp::create(b, loc, v);
}

/// An index read from a tensor (any integer type) as ONNX takes indices:
/// negative counts from `size`; then clamped into [0, size), so malformed
/// indices cannot read out of bounds.
mlir::Value wrapIndex(mlir::OpBuilder &b, mlir::Location loc, mlir::Value raw,
                      mlir::Value size);
mlir::Value wrapIndex(mlir::OpBuilder &b, mlir::Location loc, mlir::Value raw,
                      int64_t size);

/// Scalar arithmetic on two values of one type: floats, or integers that
/// are signed or, with `isUnsigned`, unsigned (i1 counts as unsigned, so max
/// is `or` and min is `and`). Float min/max propagate NaN.
mlir::Value createAdd(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                      mlir::Value y);
mlir::Value createMul(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                      mlir::Value y);
mlir::Value createMax(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                      mlir::Value y, bool isUnsigned);
mlir::Value createMin(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                      mlir::Value y, bool isUnsigned);

/// `x pred y` with `pred` in its signed-integer spelling (slt, sle, sgt,
/// sge, eq): floats use the ordered twin, unsigned integers the unsigned one.
mlir::Value createCompare(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::arith::CmpIPredicate pred, mlir::Value x,
                          mlir::Value y, bool isUnsigned);

/// Ends a linalg region with `value`.
inline void yieldValue(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value value) {
  mlir::linalg::YieldOp::create(b, loc, value);
}

/// `value` with the dims of each group multiplied into one (`value` itself
/// when every group has one dim; no groups collapse to 0-D).
mlir::Value collapseGroups(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value value,
                           llvm::ArrayRef<mlir::ReassociationIndices> groups);

/// The body of an integer contraction or convolution over (a, b, acc):
/// yields a * b + acc, each of a and b widened to acc's type, zero-extended
/// if unsigned, else sign-extended.
void buildWidenedProductSum(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::ValueRange args, bool aUnsigned,
                            bool bUnsigned);

/// A tensor of `type` filled with `value`.
mlir::Value createFilled(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::RankedTensorType type, mlir::TypedAttr value,
                         mlir::ValueRange dynamicSizes = {});

/// `x` (N, C, spatial...) padded by ONNX `pads` (all begins, then all ends)
/// with `padValue`; `x` itself when every pad is 0.
mlir::Value padSpatial(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                       llvm::ArrayRef<int64_t> pads, mlir::TypedAttr padValue);

/// Strides, dilations (default 1) and explicit pads (begins, then ends;
/// auto_pad resolved) of a sliding-window op.
struct Window {
  llvm::SmallVector<int64_t> strides, dilations, pads;
  /// The pads before any extension for ceil_mode (pools only).
  llvm::SmallVector<int64_t> declaredPads;
};

/// A window over spatial dims that may be dynamic: pads (the end ones
/// extended for ceil_mode) and output sizes as index values.
struct DynamicWindow {
  llvm::SmallVector<int64_t> strides, dilations;
  llvm::SmallVector<mlir::Value> low, high, declaredHigh, in, out;
};

/// The DynamicWindow of a window op over x (N, C, spatial...). Output dims
/// static in `result` are taken from it; the others are computed with
/// floor (ceil with `ceilMode`) as ONNX's shape inference does.
std::optional<DynamicWindow>
getDynamicWindow(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                 mlir::RankedTensorType result, llvm::ArrayRef<int64_t> kernel,
                 llvm::StringRef autoPad, mlir::ArrayAttr stridesAttr,
                 mlir::ArrayAttr dilationsAttr, mlir::ArrayAttr padsAttr,
                 bool ceilMode);

/// The same with kernel sizes known only at run time.
std::optional<DynamicWindow>
getDynamicWindow(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                 mlir::RankedTensorType result,
                 llvm::ArrayRef<mlir::Value> kernel, llvm::StringRef autoPad,
                 mlir::ArrayAttr stridesAttr, mlir::ArrayAttr dilationsAttr,
                 mlir::ArrayAttr padsAttr, bool ceilMode);

/// x (N, C, spatial...) padded with `padValue` by run-time amounts.
mlir::Value padSpatial(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                       llvm::ArrayRef<mlir::Value> low,
                       llvm::ArrayRef<mlir::Value> high,
                       mlir::TypedAttr padValue);

/// The window of an op over `inSpatial` dims with `kernel`; nullopt when
/// SAME padding meets a dynamic dim.
std::optional<Window>
getWindow(llvm::StringRef autoPad, mlir::ArrayAttr stridesAttr,
          mlir::ArrayAttr dilationsAttr, mlir::ArrayAttr padsAttr,
          llvm::ArrayRef<int64_t> inSpatial, llvm::ArrayRef<int64_t> kernel);

/// `fn` applied to every element of `input` (result written in place).
mlir::Value
mapElementwise(mlir::OpBuilder &b, mlir::Location loc, mlir::Value input,
               llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                              mlir::Value)>
                   fn);

/// The type of a keepdims reduction of `type` over `reduced`: those dims 1.
mlir::RankedTensorType keptDimsType(mlir::RankedTensorType type,
                                    llvm::ArrayRef<bool> reduced);

/// The map that reads a keepdims reduction result at the input's indices:
/// index 0 on reduced dims.
mlir::AffineMap keptDimsMap(mlir::Builder &b, llvm::ArrayRef<bool> reduced);

/// The number of elements of `input` over the `reduced` dims, as `elt`.
mlir::Value countReducedElements(mlir::OpBuilder &b, mlir::Location loc,
                                 mlir::Value input,
                                 llvm::ArrayRef<bool> reduced,
                                 mlir::FloatType elt);

/// A reduction of `input` over the dims marked in `reduced` into
/// `resultType` (kept as unit dims when `keepDims`), starting from `init`.
mlir::Value
reduceDims(mlir::OpBuilder &b, mlir::Location loc, mlir::Value input,
           llvm::ArrayRef<bool> reduced, bool keepDims,
           mlir::RankedTensorType resultType, mlir::TypedAttr init,
           llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                          mlir::Value, mlir::Value)>
               combine);

/// `x` (N, C, ...) plus the per-channel vector `bias` (C).
mlir::Value addPerChannel(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                          mlir::Value bias);

/// A static tensor of `type` (N, C, ...) holding the per-channel vector
/// `bias` (C) at every position: a convolution's accumulator that starts
/// from its bias.
mlir::Value createPerChannel(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::RankedTensorType type, mlir::Value bias);

} // namespace kiln::onnx_to_linalg

#endif // KILN_LIB_CONVERSION_ONNXTOLINALG_UTILS_H
