//===- ONNXCanonicalize.cpp - onnx canonicalization patterns --------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace kiln::onnx;

namespace {

/// Transpose(Transpose(x, p1), p2) -> Transpose(x, p1 o p2).
struct ComposeTransposes : OpRewritePattern<ONNXTransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ONNXTransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getData().getDefiningOp<ONNXTransposeOp>();
    if (!inner || !inner.getPerm() || !op.getPerm())
      return failure();
    SmallVector<int64_t> p1 = getI64s(*inner.getPerm());
    SmallVector<int64_t> p2 = getI64s(*op.getPerm());
    if (p1.size() != p2.size())
      return failure();
    SmallVector<int64_t> composed;
    for (int64_t p : p2)
      composed.push_back(p1[p]);
    rewriter.replaceOpWithNewOp<ONNXTransposeOp>(
        op, op.getType(), inner.getData(), rewriter.getI64ArrayAttr(composed));
    return success();
  }
};

/// Reshape(Reshape(x, s1), s2) -> Reshape(x, s2) when s2 is a constant that
/// does not copy dims from the intermediate (no 0 entries).
struct ComposeReshapes : OpRewritePattern<ONNXReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ONNXReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getData().getDefiningOp<ONNXReshapeOp>();
    if (!inner)
      return failure();
    std::optional<SmallVector<int64_t>> shape = getConstantInts(op.getShape());
    if (!shape || llvm::is_contained(*shape, 0))
      return failure();
    rewriter.modifyOpInPlace(
        op, [&] { op.getDataMutable().assign(inner.getData()); });
    return success();
  }
};

} // namespace

void ONNXTransposeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                                  MLIRContext *context) {
  results.add<ComposeTransposes>(context);
}

void ONNXReshapeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                                MLIRContext *context) {
  results.add<ComposeReshapes>(context);
}
