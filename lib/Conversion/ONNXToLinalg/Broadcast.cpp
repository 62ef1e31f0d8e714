//===- Broadcast.cpp - multidirectional broadcasting with dynamic dims ----===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// ONNX broadcasting stretches a dim of 1 against a larger one. A static 1 is
// an indexing map that reads index 0. A dynamic dim may be 1 only at run
// time: unless kiln knows it equals the result dim (both come from the same
// input dim, or from input dims that share a dim_param), the operand is
// first expanded at run time to the result's shape, reading index 0 where
// its dim is 1.
//
//===----------------------------------------------------------------------===//

#include "PopulatePatterns.h"
#include "Utils.h"
#include "kiln/Dialect/ONNX/IR/ONNXDialect.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"

using namespace mlir;

namespace kiln::onnx_to_linalg {

DimKey getDimKey(Value tensor, int64_t dim) {
  for (int depth = 0; depth < 64; ++depth) {
    if (auto arg = dyn_cast<BlockArgument>(tensor)) {
      auto func = dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp());
      if (func && arg.getOwner() == &func.getBody().front())
        if (auto names = func.getArgAttrOfType<ArrayAttr>(
                arg.getArgNumber(), onnx::ONNXDialect::kDimParamsAttrName))
          if (dim < (int64_t)names.size())
            if (auto name = dyn_cast<StringAttr>(names[dim]);
                name && !name.getValue().empty())
              return {name.getAsOpaquePointer(), -1};
      break;
    }
    Operation *op = tensor.getDefiningOp();
    if (auto cast = dyn_cast<UnrealizedConversionCastOp>(op)) {
      if (cast->getNumOperands() != 1)
        break;
      tensor = cast->getOperand(0);
      continue;
    }
    if (auto cast = dyn_cast<tensor::CastOp>(op)) {
      tensor = cast.getSource();
      continue;
    }
    if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op)) {
      OpFoldResult size = expand.getMixedOutputShape()[dim];
      auto value = dyn_cast<Value>(size);
      auto dimOp = value ? value.getDefiningOp<tensor::DimOp>() : nullptr;
      std::optional<int64_t> index =
          dimOp ? dimOp.getConstantIndex() : std::nullopt;
      if (!index)
        break;
      tensor = dimOp.getSource();
      dim = *index;
      continue;
    }
    if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op)) {
      // A group of one dynamic dim and static 1s keeps that dim.
      auto sourceType = collapse.getSrcType();
      int64_t only = -1;
      SmallVector<ReassociationIndices> groups =
          collapse.getReassociationIndices();
      for (int64_t d : groups[dim]) {
        if (sourceType.getDimSize(d) == 1)
          continue;
        if (only >= 0 || !sourceType.isDynamicDim(d)) {
          only = -2;
          break;
        }
        only = d;
      }
      if (only < 0)
        break;
      tensor = collapse.getSrc();
      dim = only;
      continue;
    }
    if (auto empty = dyn_cast<tensor::EmptyOp>(op)) {
      Value size = empty.getDynamicSize(dim);
      auto dimOp = size.getDefiningOp<tensor::DimOp>();
      std::optional<int64_t> index =
          dimOp ? dimOp.getConstantIndex() : std::nullopt;
      if (!index)
        return {size.getAsOpaquePointer(), -2};
      tensor = dimOp.getSource();
      dim = *index;
      continue;
    }
    if (auto dps = dyn_cast<DestinationStyleOpInterface>(op)) {
      auto result = cast<OpResult>(tensor);
      if (!dps.hasPureTensorSemantics())
        break;
      tensor = dps.getDpsInitOperand(result.getResultNumber())->get();
      continue;
    }
    break;
  }
  return {tensor.getAsOpaquePointer(), dim};
}

bool areDimsKnownEqual(Value a, int64_t da, Value b, int64_t db) {
  auto ta = cast<RankedTensorType>(a.getType());
  auto tb = cast<RankedTensorType>(b.getType());
  if (!ta.isDynamicDim(da) && !tb.isDynamicDim(db))
    return ta.getDimSize(da) == tb.getDimSize(db);
  if (ta.isDynamicDim(da) != tb.isDynamicDim(db))
    return false;
  return getDimKey(a, da) == getDimKey(b, db);
}

void requireShape(OpBuilder &b, Location loc, Value holds, const Twine &what) {
  std::string node;
  loc->walk([&](Location l) {
    if (auto name = dyn_cast<NameLoc>(l)) {
      node = name.getName().str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  cf::AssertOp::create(
      b, loc, holds,
      (node.empty() ? what : "node '" + node + "': " + what).str());
}

Value refineToType(OpBuilder &b, Location loc, Value value,
                   ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> refined(type.getShape());
  for (auto [d, size] : llvm::enumerate(shape)) {
    if (!type.isDynamicDim(d) || ShapedType::isDynamic(size))
      continue;
    Value dim = tensor::DimOp::create(b, loc, value, d);
    requireShape(b, loc,
                 arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, dim,
                                       cIndex(b, loc, size)),
                 "input dim " + Twine(d) + " must be " + Twine(size) +
                     ", as the declared output says");
    refined[d] = size;
  }
  if (ArrayRef<int64_t>(refined) == type.getShape())
    return value;
  return tensor::CastOp::create(
      b, loc, RankedTensorType::get(refined, type.getElementType()), value);
}

Value refineToResultShape(OpBuilder &b, Location loc, Value value,
                          Type result) {
  auto in = dyn_cast<RankedTensorType>(value.getType());
  auto out = dyn_cast<RankedTensorType>(result);
  if (!in || !out || in.getRank() != out.getRank())
    return value;
  return refineToType(b, loc, value, out.getShape());
}

Value getDimValue(OpBuilder &b, Location loc, Value tensor, int64_t dim) {
  auto type = cast<RankedTensorType>(tensor.getType());
  if (!type.isDynamicDim(dim))
    return cIndex(b, loc, type.getDimSize(dim));
  return tensor::DimOp::create(b, loc, tensor, dim);
}

/// `operand` expanded to `resultType` (dynamic sizes `sizes`): dims that
/// are 1 at run time read index 0.
static Value expandAtRunTime(OpBuilder &b, Location loc, Value operand,
                             RankedTensorType resultType, ValueRange sizes) {
  auto type = cast<RankedTensorType>(operand.getType());
  int64_t offset = resultType.getRank() - type.getRank();
  SmallVector<Value> isOne;
  for (int64_t j = 0; j < type.getRank(); ++j) {
    if (!type.isDynamicDim(j)) {
      isOne.push_back(nullptr);
      continue;
    }
    Value dim = tensor::DimOp::create(b, loc, operand, j);
    isOne.push_back(arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, dim,
                                          cIndex(b, loc, 1)));
  }
  auto expandedType = resultType.clone(type.getElementType());
  Value init = tensor::EmptyOp::create(b, loc, expandedType, sizes);
  int64_t rank = resultType.getRank();
  auto generic = linalg::GenericOp::create(
      b, loc, expandedType, ValueRange(), init,
      SmallVector<AffineMap>{b.getMultiDimIdentityMap(rank)},
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      [&](OpBuilder &nb, Location l, ValueRange) {
        SmallVector<Value> indices;
        for (int64_t j = 0; j < type.getRank(); ++j) {
          Value i = linalg::IndexOp::create(nb, l, offset + j);
          if (!type.isDynamicDim(j) && type.getDimSize(j) == 1)
            i = cIndex(nb, l, 0);
          else if (isOne[j])
            i = arith::SelectOp::create(nb, l, isOne[j], cIndex(nb, l, 0), i);
          indices.push_back(i);
        }
        Value v = tensor::ExtractOp::create(nb, l, operand, indices);
        linalg::YieldOp::create(nb, l, v);
      });
  return generic.getResult(0);
}

LogicalResult broadcastOperands(OpBuilder &b, Location loc,
                                RankedTensorType resultType,
                                SmallVectorImpl<Value> &operands,
                                SmallVectorImpl<AffineMap> &maps,
                                SmallVectorImpl<Value> &sizes) {
  int64_t rank = resultType.getRank();
  SmallVector<bool> ambiguous(operands.size(), false);
  SmallVector<Value> dimValues(rank);
  for (int64_t i = 0; i < rank; ++i) {
    // The operands' dynamic dims at i, and whether one is static non-1.
    SmallVector<std::pair<unsigned, int64_t>> dynamic;
    bool staticLarge = false;
    for (auto [k, operand] : llvm::enumerate(operands)) {
      auto type = cast<RankedTensorType>(operand.getType());
      int64_t j = i - (rank - type.getRank());
      if (j < 0)
        continue;
      if (type.isDynamicDim(j))
        dynamic.push_back({k, j});
      else if (type.getDimSize(j) != 1)
        staticLarge = true;
    }
    bool allEqual = llvm::all_of(dynamic, [&](auto entry) {
      return areDimsKnownEqual(operands[entry.first], entry.second,
                               operands[dynamic[0].first], dynamic[0].second);
    });
    // A dynamic dim next to a static non-1 one, or next to dynamic dims of
    // unknown relation, may be a 1 to stretch.
    if (staticLarge || !allEqual)
      for (auto [k, j] : dynamic)
        ambiguous[k] = true;
    if (!resultType.isDynamicDim(i))
      continue;
    if (dynamic.empty())
      return failure();
    Value size =
        getDimValue(b, loc, operands[dynamic[0].first], dynamic[0].second);
    if (!allEqual)
      for (auto [k, j] : ArrayRef(dynamic).drop_front())
        size = arith::MaxUIOp::create(b, loc, size,
                                      getDimValue(b, loc, operands[k], j));
    dimValues[i] = size;
    sizes.push_back(size);
  }
  // Each dim that may stretch must be 1 or the result's.
  for (auto [k, operand] : llvm::enumerate(operands)) {
    if (!ambiguous[k])
      continue;
    auto type = cast<RankedTensorType>(operand.getType());
    int64_t offset = rank - type.getRank();
    for (int64_t j = 0; j < type.getRank(); ++j) {
      if (!type.isDynamicDim(j))
        continue;
      Value dim = tensor::DimOp::create(b, loc, operand, j);
      Value size = resultType.isDynamicDim(offset + j)
                       ? dimValues[offset + j]
                       : cIndex(b, loc, resultType.getDimSize(offset + j));
      Value ok = arith::OrIOp::create(
          b, loc,
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, dim,
                                cIndex(b, loc, 1)),
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, dim, size));
      requireShape(b, loc, ok,
                   "operand " + Twine(k) + " dim " + Twine(j) +
                       " does not broadcast to the result");
    }
  }
  for (size_t k = 0; k < operands.size(); ++k) {
    if (ambiguous[k]) {
      operands[k] = expandAtRunTime(b, loc, operands[k], resultType, sizes);
      maps.push_back(b.getMultiDimIdentityMap(rank));
      continue;
    }
    auto type = cast<RankedTensorType>(operands[k].getType());
    int64_t offset = rank - type.getRank();
    SmallVector<AffineExpr> exprs;
    for (int64_t j = 0; j < type.getRank(); ++j) {
      if (type.getDimSize(j) == 1 && resultType.getDimSize(offset + j) != 1)
        exprs.push_back(b.getAffineConstantExpr(0));
      else
        exprs.push_back(b.getAffineDimExpr(offset + j));
    }
    maps.push_back(AffineMap::get(rank, 0, exprs, b.getContext()));
  }
  return success();
}

} // namespace kiln::onnx_to_linalg
