//===- PassFailure.h - which pass failed, and why ---------------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// A failed phase is either unsupported input (a pattern that does not cover
// a case says so with an "unsupported: " error) or a kiln bug: a pass that
// fails on IR kiln produced, or IR that no longer verifies after a pass.
// The recorder names the pass so that the bug report can.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PIPELINES_PASSFAILURE_H
#define KILN_PIPELINES_PASSFAILURE_H

#include "mlir/Pass/PassInstrumentation.h"

#include <mutex>
#include <string>

namespace kiln {

/// Records the first pass that failed (or after which the IR failed to
/// verify) while it is attached to a pass manager.
class PassFailureRecorder : public mlir::PassInstrumentation {
public:
  explicit PassFailureRecorder(std::string &failedPass)
      : failedPass(failedPass) {}

  void runAfterPassFailed(mlir::Pass *pass, mlir::Operation *op) override;

private:
  std::mutex mutex;
  std::string &failedPass;
};

} // namespace kiln

#endif // KILN_PIPELINES_PASSFAILURE_H
