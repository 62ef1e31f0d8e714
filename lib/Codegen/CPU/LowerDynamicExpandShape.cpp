//===- LowerDynamicExpandShape.cpp - dynamic expand_shape as a cast -------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Upstream's expand-strided-metadata derives the sizes of a
// memref.expand_shape by division and cannot take a group with more than one
// dynamic dim, which dynamic reshapes (batch x seq from one dim) produce.
// Between contiguous row-major memrefs an expansion is only new sizes and
// strides, so this pass writes it as memref.reinterpret_cast.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace kiln {
#define GEN_PASS_DEF_LOWERDYNAMICEXPANDSHAPEPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {

/// Whether a group of the expansion has two or more dynamic dims.
bool needsLowering(memref::ExpandShapeOp expand) {
  MemRefType type = expand.getResultType();
  for (const ReassociationIndices &group : expand.getReassociationIndices())
    if (llvm::count_if(group, [&](int64_t d) { return type.isDynamicDim(d); }) >
        1)
      return true;
  return false;
}

struct LowerDynamicExpandShapePass
    : kiln::impl::LowerDynamicExpandShapePassBase<LowerDynamicExpandShapePass> {
  void runOnOperation() override {
    SmallVector<memref::ExpandShapeOp> expands;
    getOperation().walk([&](memref::ExpandShapeOp expand) {
      if (needsLowering(expand))
        expands.push_back(expand);
    });
    for (memref::ExpandShapeOp expand : expands) {
      MemRefType source = expand.getSrcType();
      MemRefType result = expand.getResultType();
      if (!source.getLayout().isIdentity() ||
          !result.getLayout().isIdentity()) {
        expand.emitError("cannot lower a dynamic expand_shape of a strided "
                         "memref");
        return signalPassFailure();
      }
      OpBuilder builder(expand);
      Location loc = expand.getLoc();
      SmallVector<OpFoldResult> sizes = expand.getMixedOutputShape();
      // Row-major strides: suffix products of the sizes.
      // Static while every size after a dim is: the result type says so.
      SmallVector<OpFoldResult> strides(sizes.size());
      int64_t known = 1;
      Value stride;
      for (int64_t i = sizes.size() - 1; i >= 0; --i) {
        strides[i] = stride ? OpFoldResult(stride)
                            : OpFoldResult(builder.getIndexAttr(known));
        if (!stride && !result.isDynamicDim(i)) {
          known *= result.getDimSize(i);
          continue;
        }
        if (!stride)
          stride = arith::ConstantIndexOp::create(builder, loc, known);
        Value size = getValueOrCreateConstantIndexOp(builder, loc, sizes[i]);
        stride = arith::MulIOp::create(builder, loc, stride, size);
      }
      Value cast = memref::ReinterpretCastOp::create(
          builder, loc, result, expand.getSrc(), builder.getIndexAttr(0), sizes,
          strides);
      expand.replaceAllUsesWith(cast);
      expand.erase();
    }
  }
};

} // namespace
