//===- LowerStridedCopies.cpp - memref.copy without a runtime library -----===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"
#include "kiln/Tuning/VectorElements.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace kiln {
#define GEN_PASS_DEF_LOWERSTRIDEDCOPIESPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {

/// What finalize-memref-to-llvm turns into a plain memcpy.
bool isContiguous(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && (memref.getLayout().isIdentity() ||
                    memref::isStaticShapeAndContiguousRowMajor(memref));
}

/// The widest row a copy moves as one vector.
constexpr int64_t kMaxRowVector = 256;

/// Whether `type` is static, with unit-stride rows of plain vector
/// elements (kiln::isPlainVectorElement) no wider than a row vector.
bool hasVectorRows(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  if (!memref || !memref.hasStaticShape() || memref.getRank() == 0 ||
      memref.getShape().back() > kMaxRowVector)
    return false;
  if (!kiln::isPlainVectorElement(memref.getElementType()))
    return false;
  SmallVector<int64_t> strides;
  int64_t offset;
  return succeeded(memref.getStridesAndOffset(strides, offset)) &&
         strides.back() == 1;
}

/// `copy` as loops over its rows, each row one vector read and write.
void copyByRows(OpBuilder &b, memref::CopyOp copy) {
  Location loc = copy.getLoc();
  auto type = cast<MemRefType>(copy.getSource().getType());
  SmallVector<Value> lbs, ubs, steps;
  for (int64_t d : type.getShape().drop_back()) {
    lbs.push_back(arith::ConstantIndexOp::create(b, loc, 0));
    ubs.push_back(arith::ConstantIndexOp::create(b, loc, d));
    steps.push_back(arith::ConstantIndexOp::create(b, loc, 1));
  }
  auto row = VectorType::get({type.getShape().back()}, type.getElementType());
  scf::buildLoopNest(
      b, loc, lbs, ubs, steps,
      [&](OpBuilder &nested, Location l, ValueRange ivs) {
        SmallVector<Value> indices(ivs);
        indices.push_back(arith::ConstantIndexOp::create(nested, l, 0));
        Value v = vector::TransferReadOp::create(
            nested, l, row, copy.getSource(), indices, std::nullopt,
            ArrayRef<bool>{true});
        vector::TransferWriteOp::create(nested, l, v, copy.getTarget(), indices,
                                        ArrayRef<bool>{true});
      });
}

struct LowerStridedCopiesPass
    : kiln::impl::LowerStridedCopiesPassBase<LowerStridedCopiesPass> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation().walk([&](memref::CopyOp copy) {
      if (!isContiguous(copy.getSource().getType()) ||
          !isContiguous(copy.getTarget().getType()))
        copies.push_back(copy);
    });
    for (memref::CopyOp copy : copies) {
      OpBuilder builder(copy);
      if (!isa<MemRefType>(copy.getSource().getType()) ||
          !isa<MemRefType>(copy.getTarget().getType())) {
        copy.emitError("cannot lower a copy of unranked memrefs");
        return signalPassFailure();
      }
      if (hasVectorRows(copy.getSource().getType()) &&
          hasVectorRows(copy.getTarget().getType()))
        copyByRows(builder, copy);
      else
        linalg::CopyOp::create(builder, copy.getLoc(), copy.getSource(),
                               copy.getTarget());
      copy.erase();
    }
  }
};

} // namespace
