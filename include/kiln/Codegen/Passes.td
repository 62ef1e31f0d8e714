//===- Passes.td - kiln codegen passes ---------------------*- tablegen -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CODEGEN_PASSES_TD
#define KILN_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def PlanWorkspacePass : Pass<"kiln-plan-workspace", "::mlir::func::FuncOp"> {
  let summary = "Place static intermediate buffers in one caller-owned "
                "workspace";
  let description = [{
    Runs on bufferized public functions. Every `memref.alloc` with a static
    shape and an identity layout in the function body becomes a
    `memref.view` into a new trailing argument `memref<Nxi8>`, the
    workspace. Buffers whose live ranges (from the alloc to the last use of
    it or of any view of it, in body order) do not overlap share bytes; each
    offset is a multiple of `alignment`. The function gets the attribute
    `kiln.workspace_bytes` = N. Allocs nested in regions, dynamic ones and
    those that escape through `return` are left for the deallocation
    pipeline.
  }];
  let options = [
    Option<"alignment", "alignment", "int64_t", "64",
           "Byte alignment of every buffer placed in the workspace">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect"];
}

def DistinctResultsPass : Pass<"kiln-distinct-results", "::mlir::func::FuncOp"> {
  let summary = "Give every returned tensor its own value";
  let description = [{
    Each result of a compiled model is written into its own caller-owned
    buffer. A value returned more than once (two graph outputs naming one
    tensor, or an Identity folded away) is copied with `linalg.copy` for
    each repeat, so bufferization gives every result a buffer of its own.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def LowerStridedCopiesPass
    : Pass<"kiln-lower-strided-copies", "::mlir::func::FuncOp"> {
  let summary = "Turn memref.copy between non-contiguous buffers into "
                "linalg.copy";
  let description = [{
    Upstream lowers a `memref.copy` whose operands are not both contiguous
    to a call of `memrefCopy` from the MLIR runner library, which compiled
    models must not need. This pass rewrites those copies to `linalg.copy`,
    which lowers to loops. Copies between contiguous buffers stay: they
    become `memcpy`.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

#endif // KILN_CODEGEN_PASSES_TD
