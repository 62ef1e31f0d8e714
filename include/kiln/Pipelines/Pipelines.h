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

/// Named phases, in order. `--compile-to=<phase>` stops after one,
/// `--compile-from=<phase>` starts after one.
enum class Phase { Import, Graph, Linalg, Codegen, Bufferize, LLVM };

/// What the phases' pipelines take: one set of options for every phase, so
/// that each `kiln-<phase>-pipeline` of kiln-opt accepts the same ones.
struct PhaseOptions : public mlir::PassPipelineOptions<PhaseOptions> {
  Option<bool> verifyContract{
      *this, "verify-contract",
      llvm::cl::desc("graph: check the graph phase's IR contract at the end"),
      llvm::cl::init(true)};
  Option<std::string> tuningDB{
      *this, "tuning-db",
      llvm::cl::desc("codegen: replay the lowering configs of this JSON "
                     "file; the heuristic decides the rest")};
  Option<bool> explain{
      *this, "explain",
      llvm::cl::desc("codegen: a remark per lowering decision and its reason"),
      llvm::cl::init(false)};
  Option<bool> releaseWeights{
      *this, "release-weights",
      llvm::cl::desc("llvm: free the graph's weight bytes once packed (off "
                     "while other variants still need them)"),
      llvm::cl::init(true)};
};

/// One row of the phase table: kilnc, kiln-opt and the docs all read it.
struct PhaseInfo {
  Phase phase;
  llvm::StringLiteral name;
  llvm::StringLiteral description;
  void (*build)(mlir::OpPassManager &pm, const PhaseOptions &options);
};

/// Every phase, in order (`import` builds nothing: it is the importer).
llvm::ArrayRef<PhaseInfo> getPhases();

/// Parses a phase name ("import", "graph", ...).
std::optional<Phase> parsePhase(llvm::StringRef name);

/// The name `--compile-to` uses for a phase.
llvm::StringRef getPhaseName(Phase phase);

/// "import, graph, linalg, codegen, bufferize, llvm".
std::string getPhaseNameList();

/// The graph phase: shape inference, canonicalisation (folding shape
/// computations), CSE, and the phase contract check.
void buildGraphPipeline(mlir::OpPassManager &pm, const PhaseOptions &options);

/// The linalg phase: onnx ops to linalg/tensor/arith/math, canonicalised.
void buildLinalgPipeline(mlir::OpPassManager &pm, const PhaseOptions &options);

/// The codegen phase: a policy pass writes a `#kiln.lowering_config` on
/// every compute op (from the heuristic, or replayed from a tuning
/// database), and mechanism passes apply it (tiling, for now).
void buildCodegenPipeline(mlir::OpPassManager &pm, const PhaseOptions &options);

/// The bufferize phase: one-shot bufferization with identity layouts at the
/// function boundary, results turned into caller-owned out-params, static
/// intermediates planned into one workspace argument, deallocation of the
/// rest. The entry function becomes
/// `(inputs..., outputs..., workspace: memref<Nxi8>) -> ()`.
void buildBufferizePipeline(mlir::OpPassManager &pm,
                            const PhaseOptions &options);

/// The llvm phase: loops, then upstream conversions to the LLVM dialect.
/// Needs no runtime library: math goes to libm, copies to loops or memcpy.
void buildLLVMPipeline(mlir::OpPassManager &pm, const PhaseOptions &options);

/// Adds the pipeline of one phase (nothing for `Import`).
void buildPhase(mlir::OpPassManager &pm, Phase phase,
                const PhaseOptions &options);

/// Registers `kiln-<phase>-pipeline` for every phase, for kiln-opt.
void registerPipelines();

} // namespace kiln

#endif // KILN_PIPELINES_PIPELINES_H
