//===- TransposeOutputByConfig.cpp - contractions computed transposed -----===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"

namespace kiln {
#define GEN_PASS_DEF_TRANSPOSEOUTPUTBYCONFIGPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
/// What the rewrite needs: two inputs, one static f32 accumulator of rank
/// 2 or more, and a body of scalar ops (a contraction's multiply-add).
bool isRewritable(linalg::LinalgOp op) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !op.hasPureTensorSemantics() || op->getNumRegions() != 1)
    return false;
  auto acc = dyn_cast<RankedTensorType>(op.getDpsInits()[0].getType());
  return acc && acc.hasStaticShape() && acc.getRank() >= 2 &&
         acc.getElementType().isF32();
}

/// `map` with its last two results swapped.
AffineMap swapLastResults(AffineMap map) {
  SmallVector<AffineExpr> results(map.getResults());
  std::swap(results[results.size() - 2], results.back());
  return AffineMap::get(map.getNumDims(), map.getNumSymbols(), results,
                        map.getContext());
}

/// `op` (A, B into C) as the same contraction of (B, A) into a zero-filled
/// T, C's shape with its last two dims swapped; returns T's value.
Value buildTransposedContraction(RewriterBase &rewriter, linalg::LinalgOp op) {
  Location loc = op.getLoc();
  auto acc = cast<RankedTensorType>(op.getDpsInits()[0].getType());
  SmallVector<int64_t> shape(acc.getShape());
  std::swap(shape[shape.size() - 2], shape.back());
  Value zero = arith::ConstantOp::create(
      rewriter, loc, rewriter.getZeroAttr(acc.getElementType()));
  Value empty =
      tensor::EmptyOp::create(rewriter, loc, shape, acc.getElementType());
  Value init = linalg::FillOp::create(rewriter, loc, zero, empty).result();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  SmallVector<AffineMap> swapped = {maps[1], maps[0], swapLastResults(maps[2])};
  Block &body = op->getRegion(0).front();
  auto contraction = linalg::GenericOp::create(
      rewriter, loc, init.getType(),
      ValueRange{op.getDpsInputs()[1], op.getDpsInputs()[0]}, ValueRange{init},
      swapped, op.getIteratorTypesArray(),
      [&](OpBuilder &b, Location, ValueRange args) {
        IRMapping mapping;
        mapping.map(body.getArgument(0), args[1]);
        mapping.map(body.getArgument(1), args[0]);
        mapping.map(body.getArgument(2), args[2]);
        for (Operation &inner : body)
          b.clone(inner, mapping);
      });
  return contraction.getResult(0);
}

/// C + T transposed back, elementwise over C.
Value addTransposed(RewriterBase &rewriter, Location loc, Value acc,
                    Value transposed) {
  auto type = cast<RankedTensorType>(acc.getType());
  AffineMap identity = rewriter.getMultiDimIdentityMap(type.getRank());
  SmallVector<utils::IteratorType> iterators(type.getRank(),
                                             utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             rewriter, loc, type, ValueRange{transposed}, ValueRange{acc},
             ArrayRef<AffineMap>{swapLastResults(identity), identity},
             iterators,
             [](OpBuilder &b, Location l, ValueRange args) {
               linalg::YieldOp::create(
                   b, l,
                   arith::AddFOp::create(b, l, args[1], args[0]).getResult());
             })
      .getResult(0);
}

struct TransposeOutputByConfigPass
    : kiln::impl::TransposeOutputByConfigPassBase<TransposeOutputByConfigPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (kiln::LoweringConfigAttr::hasStrategy(
              op, kiln::LoweringConfigAttr::kTransposedOutputStrategy) &&
          isRewritable(op))
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops) {
      rewriter.setInsertionPoint(op);
      Value transposed = buildTransposedContraction(rewriter, op);
      rewriter.replaceOp(op, addTransposed(rewriter, op.getLoc(),
                                           op.getDpsInits()[0], transposed));
    }
  }
};
} // namespace
