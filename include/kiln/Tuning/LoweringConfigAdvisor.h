//===- LoweringConfigAdvisor.h - who decides how an op lowers ---*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The policy seam of the codegen phase, shaped like LLVM's InlineAdvisor:
// `kiln-select-lowering-config` asks an advisor for each compute op and
// writes the answer as a `#kiln.lowering_config`; mechanism passes only
// read it. The heuristic advisor decides from the op and the target; the
// replay advisor answers from a tuning database (a JSON file) and asks
// another advisor for ops the database does not name. A learned cost model
// or an autotuner is one more advisor.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TUNING_LOWERINGCONFIGADVISOR_H
#define KILN_TUNING_LOWERINGCONFIGADVISOR_H

#include "kiln/Dialect/Kiln/IR/KilnDialect.h"
#include "kiln/Target/Info/TargetInfo.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>

namespace kiln {

/// A decision and why it was made (what `--explain` prints).
struct LoweringDecision {
  LoweringConfigAttr config;
  std::string reason;
};

/// Where an op comes from, as a tuning database names it: the ONNX node
/// (from the op's location), the op's name, and its index among the ops of
/// that name lowered from the node.
struct OpKey {
  std::string node;
  std::string opName;
  unsigned index = 0;
};

class LoweringConfigAdvisor {
public:
  virtual ~LoweringConfigAdvisor() = default;

  /// The decision for `op` on `target`.
  virtual LoweringDecision decide(mlir::linalg::LinalgOp op, const OpKey &key,
                                  const TargetInfo &target) = 0;

  /// Who decides, for `#kiln.translation_info`'s `source`.
  virtual llvm::StringRef getName() const = 0;
};

/// Tiles the parallel loops of large contractions and convolutions so one
/// tile of the output and its operands fits the L2 cache, and picks vector
/// sizes from the target's vector width; other ops are left untiled.
std::unique_ptr<LoweringConfigAdvisor> createHeuristicAdvisor();

/// Replays the configs of the tuning database at `path`:
///   {"version": 1, "configs": [{"node": "conv1", "op": "linalg.conv_2d...",
///     "index": 0, "tile_sizes": [[1, 16, 0, 0]], "vector_sizes": [...],
///     "packing": [...], "microkernel": "...", "parallel_dims": [...],
///     "strategy": "im2col"}]}
/// and asks `fallback` for the ops it does not name. Errors name the file
/// and the entry.
llvm::Expected<std::unique_ptr<LoweringConfigAdvisor>>
createReplayAdvisor(llvm::StringRef path, mlir::MLIRContext *context,
                    std::unique_ptr<LoweringConfigAdvisor> fallback);

} // namespace kiln

#endif // KILN_TUNING_LOWERINGCONFIGADVISOR_H
