//===- MatchFailure.h - why an onnx op was not lowered ----------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Dialect conversion passes a pattern's match-failure reason on only in
// debug builds of MLIR. The onnx-to-linalg patterns report through
// `notifyUnsupported` instead, which also records the reason in the log the
// pass installs, so that an op left illegal is reported with its cause.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_CONVERSION_ONNXTOLINALG_MATCHFAILURE_H
#define KILN_LIB_CONVERSION_ONNXTOLINALG_MATCHFAILURE_H

#include "mlir/IR/Location.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SmallVector.h"

#include <string>

namespace kiln::onnx_to_linalg {

/// The reasons patterns gave for declining ops, keyed by the op's location
/// and name (ops created and rolled back during conversion do not outlive
/// it, their locations do).
class MatchFailureLog {
public:
  /// Installs a log for the conversion running on this thread.
  class Scope {
  public:
    explicit Scope(MatchFailureLog &log);
    ~Scope();

  private:
    MatchFailureLog *previous;
  };

  /// The log installed on this thread, if any.
  static MatchFailureLog *current();

  void record(mlir::Operation *op, const llvm::Twine &reason);

  /// The distinct reasons recorded for ops named `name` at `loc`, joined
  /// with "; "; empty when no pattern gave one.
  std::string lookup(mlir::Location loc, llvm::StringRef name) const;

private:
  using Key = std::pair<mlir::Location, mlir::OperationName>;
  llvm::MapVector<Key, llvm::SmallVector<std::string, 2>> reasons;
};

/// A pattern's "this case is not lowered": records `reason` for the pass's
/// diagnostic and returns the match failure.
inline mlir::LogicalResult notifyUnsupported(mlir::RewriterBase &rewriter,
                                             mlir::Operation *op,
                                             const llvm::Twine &reason) {
  if (MatchFailureLog *log = MatchFailureLog::current())
    log->record(op, reason);
  return rewriter.notifyMatchFailure(op, reason);
}

} // namespace kiln::onnx_to_linalg

#endif // KILN_LIB_CONVERSION_ONNXTOLINALG_MATCHFAILURE_H
