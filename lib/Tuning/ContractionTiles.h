//===- ContractionTiles.h - register and cache tiles of matmuls -*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The heuristic's rule for dense f32 contractions: a register tile of
// accumulators that fills the target's vector registers without spilling,
// and cache tiles around it (a B block in L2, reused across row tiles).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_TUNING_CONTRACTIONTILES_H
#define KILN_LIB_TUNING_CONTRACTIONTILES_H

#include "kiln/Target/Info/TargetInfo.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <optional>
#include <string>

namespace kiln {

struct ContractionTiles {
  /// Level 0 (cache) and level 1 (register) tile sizes, one per loop.
  llvm::SmallVector<int64_t> cache, registers;
  /// The inner tile of each loop in the packed layout (1: unpacked); empty
  /// when nothing is packed.
  llvm::SmallVector<int64_t> packing;
  /// The microkernel that runs the register tile; empty for vector code.
  std::string microkernel;
  std::string reason;
};

/// What a contraction's register tile computes: f32 FMAs, or u8 x s8
/// products summed in i32 by dot-product instructions that read kDotGroup
/// of K per i32 lane (x86 VNNI's vpdpbusd).
enum class ContractionKind { F32, DotU8S8 };
constexpr int64_t kDotGroup = 4;

/// The kind of `op` on `target`, if its register tile can compute it.
std::optional<ContractionKind> getContractionKind(mlir::linalg::LinalgOp op,
                                                  const TargetInfo &target);

/// Tiles for `op` if it is a static contraction of a kind above with one
/// M, N and K
/// loop whose N is contiguous in C and at least a vector wide, and is
/// contiguous in B too unless B is a constant whose N divides into
/// register tiles, which is then packed; otherwise std::nullopt, with
/// `whyNot` set. Tiles need not divide their loops: the codegen phase
/// peels the partial tiles.
/// A contraction's cache tile: M in blocks of at most this many rows; K
/// whole up to kMaxWholeK, else in steps of at most kMaxK.
constexpr int64_t kMaxCacheRows = 128;
constexpr int64_t kMaxWholeK = 512;
constexpr int64_t kMaxK = 256;
/// A contraction of at least kMinParallelFlops is split into at least
/// kMinParallelTiles cache tiles of its parallel loops (fewer, larger tiles
/// leave threads idle: 3 tiles run on 2 threads at 1.5x).
constexpr int64_t kMinParallelTiles = 8;
constexpr int64_t kMinParallelFlops = int64_t(1) << 24;

/// The width of the f32 register tile of an `m` x `n` contraction (a
/// multiple of the vector), 0 if `n` is narrower than a vector.
int64_t chooseRegisterColumns(int64_t m, int64_t n, const TargetInfo &target);

std::optional<ContractionTiles>
chooseContractionTiles(mlir::linalg::LinalgOp op, const TargetInfo &target,
                       std::string &whyNot);

/// Why `op` should compute its result transposed (see the
/// `transposed_output` strategy), or std::nullopt: a static f32 contraction
/// whose M x N output ends in M, N, whose A is constant weights (B of the
/// transposed contraction, so packed), whose N is a few vectors and a
/// remainder narrower than one (the 7x7 pixels of a late convolution),
/// and whose register tiles cover N x M markedly better than M x N.
std::optional<std::string> chooseTransposedOutput(mlir::linalg::LinalgOp op,
                                                  const TargetInfo &target);

} // namespace kiln

#endif // KILN_LIB_TUNING_CONTRACTIONTILES_H
