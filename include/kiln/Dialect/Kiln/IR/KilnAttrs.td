//===- KilnAttrs.td - kiln's decision attributes -----------*- tablegen -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_KILN_IR_KILNATTRS_TD
#define KILN_DIALECT_KILN_IR_KILNATTRS_TD

include "kiln/Dialect/Kiln/IR/KilnBase.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

def Kiln_LoweringConfigAttr : Kiln_Attr<"LoweringConfig", "lowering_config"> {
  let summary = "How the codegen phase lowers one compute op";
  let description = [{
    Written on a linalg op by `kiln-select-lowering-config`, read by the
    codegen phase's mechanism passes. Every field is optional:

    - `tile_sizes`: one `array<i64>` per tiling level (level 0 first,
      the outermost, cache level), one size per loop of the op; 0 leaves a
      loop untiled.
    - `vector_sizes`: the vector shape of the innermost level.
    - `packing`: inner tile sizes of a packed (mmt4d-style) layout, one
      per loop, 1 for a loop left unpacked; `kiln-pack-by-config` packs
      constant operands into panels at compile time.
    - `microkernel`: the name of the microkernel that runs the inner tile:
      `"dot_u8s8"` runs a packed u8 x s8 contraction summed in i32 (B in
      panels of N lanes of 4 of K) by x86's VNNI `vpdpbusd`, a row of A's
      4 bytes broadcast per step.
    - `parallel_dims`: the loops that may run on several threads.
    - `strategy`: how the op is rewritten before it is tiled: `"im2col"`
      makes a convolution an image-to-column copy and a contraction (which
      the policy then decides for in turn), with its window matrix in
      panels of P pixels when `packing` gives P for the output columns
      (loop 3 of `linalg.conv_2d_nchw_fchw`); `"transposed_output"` makes a
      contraction compute its result with the last two dims swapped, its
      inputs in swapped order, and then add that, transposed back, to its
      accumulator (the vectors then run along what were its rows).
    - `tile_interchange`: per tiling level, the order of that level's tile
      loops, outermost first, as a permutation of the op's loops (an empty
      array keeps loop order); a level without one keeps loop order.

    ```mlir
    #kiln.lowering_config<tile_sizes = [array<i64: 64, 64, 0>],
                          vector_sizes = array<i64: 1, 16, 1>>
    ```
  }];
  let parameters = (ins
    OptionalParameter<"::mlir::ArrayAttr">:$tile_sizes,
    OptionalParameter<"::mlir::DenseI64ArrayAttr">:$vector_sizes,
    OptionalParameter<"::mlir::DenseI64ArrayAttr">:$packing,
    OptionalParameter<"::mlir::StringAttr">:$microkernel,
    OptionalParameter<"::mlir::DenseI64ArrayAttr">:$parallel_dims,
    OptionalParameter<"::mlir::StringAttr">:$strategy,
    OptionalParameter<"::mlir::ArrayAttr">:$tile_interchange);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The config of `op` (its `kiln.lowering_config`), or null.
    static LoweringConfigAttr lookup(::mlir::Operation *op);
    /// Whether `op` has a config whose strategy is `strategy`.
    static bool hasStrategy(::mlir::Operation *op, ::llvm::StringRef strategy);
    /// The `strategy` that lowers a convolution through im2col.
    static constexpr ::llvm::StringLiteral kIm2ColStrategy = "im2col";
    /// The `strategy` that computes a contraction's result transposed.
    static constexpr ::llvm::StringLiteral kTransposedOutputStrategy =
        "transposed_output";
    /// The `microkernel` of u8 x s8 dot products (x86 VNNI).
    static constexpr ::llvm::StringLiteral kDotU8S8Microkernel = "dot_u8s8";
    /// The number of tiling levels.
    unsigned getNumTilingLevels() const;
    /// The tile sizes of `level`; empty past the last level.
    ::llvm::SmallVector<int64_t> getTileSizes(unsigned level) const;
    /// The loop order of `level`'s tile loops; empty for loop order.
    ::llvm::SmallVector<int64_t> getTileInterchange(unsigned level) const;
  }];
}

def Kiln_TranslationInfoAttr
    : Kiln_Attr<"TranslationInfo", "translation_info"> {
  let summary = "The codegen pipeline of a function, and who chose it";
  let description = [{
    `pipeline` names the codegen pipeline the function's ops are lowered
    with; `source` says which policy decided (`heuristic`, or the tuning
    database's name).

    ```mlir
    #kiln.translation_info<pipeline = "cpu-tile-loops", source = "heuristic">
    ```
  }];
  let parameters = (ins "::mlir::StringAttr":$pipeline,
                        OptionalParameter<"::mlir::StringAttr">:$source);
  let assemblyFormat = "`<` struct(params) `>`";
}

#endif // KILN_DIALECT_KILN_IR_KILNATTRS_TD
