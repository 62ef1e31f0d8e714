//===- PackWeights.cpp - constant buffers as one byte blob ----------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "../Common/StoredBytes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/Support/MathExtras.h"

namespace kiln {
#define GEN_PASS_DEF_PACKWEIGHTSPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
constexpr llvm::StringLiteral kBlobName = "__kiln_weights";

/// A global `pack` can move: constant, identity layout, whole bytes per
/// element, and a stored value of the expected size.
std::optional<ArrayRef<char>> getPackableBytes(memref::GlobalOp global,
                                               int64_t minBytes) {
  MemRefType type = global.getType();
  if (!global.getConstant() || !global.getInitialValue() ||
      !type.getLayout().isIdentity() || !type.hasStaticShape() ||
      type.getMemorySpace() || !type.getElementType().isIntOrFloat())
    return std::nullopt;
  unsigned bits = type.getElementType().getIntOrFloatBitWidth();
  if (bits % 8 != 0)
    return std::nullopt;
  std::optional<ArrayRef<char>> bytes =
      kiln::getStoredBytes(*global.getInitialValue());
  int64_t size = type.getNumElements() * (bits / 8);
  if (!bytes || (int64_t)bytes->size() != size || size < minBytes)
    return std::nullopt;
  return bytes;
}

struct PackWeightsPass : kiln::impl::PackWeightsPassBase<PackWeightsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<std::pair<memref::GlobalOp, ArrayRef<char>>> packed;
    int64_t total = 0;
    llvm::StringMap<int64_t> offsets;
    for (auto global : module.getOps<memref::GlobalOp>()) {
      std::optional<ArrayRef<char>> bytes = getPackableBytes(global, minBytes);
      if (!bytes)
        continue;
      total = llvm::alignTo(total, alignment);
      offsets[global.getSymName()] = total;
      total += bytes->size();
      packed.push_back({global, *bytes});
    }
    if (packed.empty())
      return;
    memref::GlobalOp blob = createBlob(module, packed, offsets, total);
    rewriteUses(module, blob, offsets);
    releaseMovedGlobals(module, packed);
  }

  memref::GlobalOp
  createBlob(ModuleOp module,
             ArrayRef<std::pair<memref::GlobalOp, ArrayRef<char>>> packed,
             const llvm::StringMap<int64_t> &offsets, int64_t total) {
    AsmResourceBlob data =
        HeapAsmResourceBlob::allocate(total, alignment, /*dataIsMutable=*/true);
    MutableArrayRef<char> bytes = data.getMutableData();
    std::fill(bytes.begin(), bytes.end(), 0);
    for (auto [global, source] : packed)
      std::copy(source.begin(), source.end(),
                bytes.begin() + offsets.lookup(global.getSymName()));
    OpBuilder builder(module.getBodyRegion());
    auto i8 = builder.getI8Type();
    auto value = DenseResourceElementsAttr::get(
        RankedTensorType::get({total}, i8), kBlobName, std::move(data));
    auto blob = memref::GlobalOp::create(
        builder, module.getLoc(), kBlobName, builder.getStringAttr("private"),
        MemRefType::get({total}, i8), value, /*constant=*/true,
        builder.getI64IntegerAttr(alignment));
    SymbolTable(module).insert(blob);
    return blob;
  }

  void rewriteUses(ModuleOp module, memref::GlobalOp blob,
                   const llvm::StringMap<int64_t> &offsets) {
    module.walk([&](memref::GetGlobalOp get) {
      auto it = offsets.find(get.getName());
      if (it == offsets.end())
        return;
      OpBuilder builder(get);
      Location loc = get.getLoc();
      Value bytes = memref::GetGlobalOp::create(builder, loc, blob.getType(),
                                                blob.getSymName());
      Value shift = arith::ConstantIndexOp::create(builder, loc, it->second);
      Value view = memref::ViewOp::create(builder, loc, get.getType(), bytes,
                                          shift, ValueRange());
      get.replaceAllUsesWith(view);
      get.erase();
    });
  }

  /// Erases the moved globals and, with `release-moved`, frees the
  /// resource blobs that held their values, unless an attribute elsewhere
  /// in the module still refers to one.
  void releaseMovedGlobals(
      ModuleOp module,
      ArrayRef<std::pair<memref::GlobalOp, ArrayRef<char>>> packed) {
    llvm::DenseSet<DialectResourceBlobManager::BlobEntry *> moved;
    for (auto [global, bytes] : packed) {
      if (auto resource =
              dyn_cast<DenseResourceElementsAttr>(*global.getInitialValue()))
        moved.insert(resource.getRawHandle().getResource());
      global.erase();
    }
    if (!releaseMoved)
      return;
    module.walk([&](Operation *op) {
      for (NamedAttribute attr : op->getAttrs())
        if (auto resource =
                dyn_cast<DenseResourceElementsAttr>(attr.getValue()))
          moved.erase(resource.getRawHandle().getResource());
    });
    for (auto *entry : moved)
      entry->setBlob(AsmResourceBlob());
  }
};
} // namespace
