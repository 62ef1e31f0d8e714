//===- KilnBase.td - the kiln dialect ----------------------*- tablegen -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_KILN_IR_KILNBASE_TD
#define KILN_DIALECT_KILN_IR_KILNBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def Kiln_Dialect : Dialect {
  let name = "kiln";
  let cppNamespace = "::kiln";
  let summary = "kiln's compilation decisions and its C ABI, as attributes";
  let description = [{
    The kiln dialect holds what kiln's passes decide and what the compiled
    model's C ABI needs, as attributes, and the few vector ops of kiln's
    microkernels that upstream MLIR lacks (KilnOps.td):

    - `#kiln.lowering_config` on a compute op: how the codegen phase tiles,
      packs and vectorizes it. A policy pass (`kiln-select-lowering-config`)
      writes it; mechanism passes only read it.
    - `#kiln.translation_info` on a function: the codegen pipeline chosen.
    - The ABI attributes, named here and checked by the dialect's verifier:
      `kiln.signature` (the model's inputs and outputs, recorded at
      import), `kiln.dim_bounds` (the `--dim` bounds), `kiln.workspace`
      and `kiln.workspace_bytes` (the planned workspace),
      `kiln.dims_function`, `kiln.dims_of` and `kiln.shape_checks` (the
      function that computes output dims, and its checks).
    - The precision attributes, on an ONNX layer: `kiln.precision`
      (`"int8"`, `"int4"` or `"f32"`, the quantization policy's decision),
      `kiln.activation_range` (`array<f64: min, max>`, its activation's
      calibrated range) and `kiln.block_size` (an int4 layer's block).
    - The threading attributes: `kiln.parallel` on a tile loop whose
      iterations may run on several threads, `kiln.parallel_task` on a
      function that runs a range of such a loop's iterations.
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasOperationAttrVerify = 1;
  let hasRegionArgAttrVerify = 1;
  let extraClassDeclaration = [{
    /// Names of the discardable attributes of the kiln dialect.
    static constexpr ::llvm::StringLiteral kLoweringConfigAttrName =
        "kiln.lowering_config";
    static constexpr ::llvm::StringLiteral kTranslationInfoAttrName =
        "kiln.translation_info";
    static constexpr ::llvm::StringLiteral kSignatureAttrName =
        "kiln.signature";
    static constexpr ::llvm::StringLiteral kDimBoundsAttrName =
        "kiln.dim_bounds";
    static constexpr ::llvm::StringLiteral kWorkspaceAttrName =
        "kiln.workspace";
    static constexpr ::llvm::StringLiteral kWorkspaceBytesAttrName =
        "kiln.workspace_bytes";
    static constexpr ::llvm::StringLiteral kDimsFunctionAttrName =
        "kiln.dims_function";
    static constexpr ::llvm::StringLiteral kDimsOfAttrName = "kiln.dims_of";
    static constexpr ::llvm::StringLiteral kShapeChecksAttrName =
        "kiln.shape_checks";
    static constexpr ::llvm::StringLiteral kParallelAttrName =
        "kiln.parallel";
    static constexpr ::llvm::StringLiteral kParallelTaskAttrName =
        "kiln.parallel_task";
    static constexpr ::llvm::StringLiteral kPrecisionAttrName =
        "kiln.precision";
    static constexpr ::llvm::StringLiteral kActivationRangeAttrName =
        "kiln.activation_range";
    static constexpr ::llvm::StringLiteral kBlockSizeAttrName =
        "kiln.block_size";
  }];
}

class Kiln_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Kiln_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

#endif // KILN_DIALECT_KILN_IR_KILNBASE_TD
