//===- PassFailure.cpp - which pass failed
//---------------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Pipelines/PassFailure.h"

#include "mlir/Pass/Pass.h"

namespace kiln {

void PassFailureRecorder::runAfterPassFailed(mlir::Pass *pass,
                                             mlir::Operation *) {
  std::lock_guard<std::mutex> lock(mutex);
  if (failedPass.empty())
    failedPass = pass->getArgument().empty() ? pass->getName().str()
                                             : pass->getArgument().str();
}

} // namespace kiln
