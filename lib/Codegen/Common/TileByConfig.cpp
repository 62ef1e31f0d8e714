//===- TileByConfig.cpp - tile ops as their lowering config says ----------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln {
#define GEN_PASS_DEF_TILEBYCONFIGPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
/// Level 0 of `op`'s config, one size per loop; empty if it tiles nothing.
SmallVector<int64_t> getLevelZeroSizes(linalg::LinalgOp op) {
  auto config = op->getAttrOfType<kiln::LoweringConfigAttr>(
      kiln::KilnDialect::kLoweringConfigAttrName);
  if (!config)
    return {};
  SmallVector<int64_t> sizes = config.getTileSizes(0);
  sizes.resize(op.getNumLoops(), 0);
  if (llvm::all_of(sizes, [](int64_t s) { return s == 0; }))
    return {};
  return sizes;
}

struct TileByConfigPass : kiln::impl::TileByConfigPassBase<TileByConfigPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op.hasPureTensorSemantics() && !getLevelZeroSizes(op).empty())
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops)
      if (failed(tile(rewriter, op)))
        return signalPassFailure();
  }

  LogicalResult tile(IRRewriter &rewriter, linalg::LinalgOp op) {
    SmallVector<int64_t> sizes = getLevelZeroSizes(op);
    scf::SCFTilingOptions options;
    options.setTileSizes(getAsIndexOpFoldResult(&getContext(), sizes));
    options.setLoopType(scf::SCFTilingOptions::LoopType::ForOp);
    rewriter.setInsertionPoint(op);
    FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(op.getOperation()), options);
    if (failed(tiled))
      return op->emitError("cannot tile by its #kiln.lowering_config");
    rewriter.replaceOp(op, tiled->replacements);
    return success();
  }
};
} // namespace
