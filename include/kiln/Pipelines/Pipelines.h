//===- Pipelines.h - kiln's compilation phases ------------------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The compiler is a sequence of named phases (docs/architecture.md). Each
// phase is a pass pipeline built by a library function, so tools stay thin
// and every phase can be replayed with kiln-opt.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PIPELINES_PIPELINES_H
#define KILN_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

#include <optional>

namespace kiln {

/// Named phases, in order. `--compile-to=<phase>` stops after one.
enum class Phase { Import, Graph, Linalg, Bufferize, LLVM };

/// Parses a phase name ("import", "graph", "linalg", "bufferize", "llvm").
std::optional<Phase> parsePhase(llvm::StringRef name);

struct GraphPipelineOptions
    : public mlir::PassPipelineOptions<GraphPipelineOptions> {
  Option<bool> verifyContract{
      *this, "verify-contract",
      llvm::cl::desc("Check the graph phase's IR contract at the end"),
      llvm::cl::init(true)};
};

/// The graph phase: shape inference, canonicalisation (folding shape
/// computations), CSE, and the phase contract check.
void buildGraphPipeline(mlir::OpPassManager &pm,
                        const GraphPipelineOptions &options);

/// The linalg phase: onnx ops to linalg/tensor/arith/math, canonicalised.
void buildLinalgPipeline(mlir::OpPassManager &pm);

/// The bufferize phase: one-shot bufferization with identity layouts at the
/// function boundary, results turned into caller-owned out-params, static
/// intermediates planned into one workspace argument, deallocation of the
/// rest. The entry function becomes
/// `(inputs..., outputs..., workspace: memref<Nxi8>) -> ()`.
void buildBufferizePipeline(mlir::OpPassManager &pm);

/// The llvm phase: loops, then upstream conversions to the LLVM dialect.
/// Needs no runtime library: math goes to libm, copies to loops or memcpy.
void buildLLVMPipeline(mlir::OpPassManager &pm);

/// The name `--compile-to` uses for a phase.
llvm::StringRef getPhaseName(Phase phase);

/// Adds the pipeline of one phase (nothing for `Import`).
void buildPhase(mlir::OpPassManager &pm, Phase phase);

/// Adds the pipeline for every phase after `Import` up to `last`.
void buildPipelineUpTo(mlir::OpPassManager &pm, Phase last);

/// Registers `kiln-<phase>-pipeline` for every phase, for kiln-opt.
void registerPipelines();

} // namespace kiln

#endif // KILN_PIPELINES_PIPELINES_H
