//===- Registration.h - what kiln's tools register --------------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PIPELINES_REGISTRATION_H
#define KILN_PIPELINES_REGISTRATION_H

#include "mlir/IR/DialectRegistry.h"

namespace kiln {

/// Every dialect the phases produce, with the external interface models
/// bufferization, deallocation and LLVM translation need. kilnc and
/// kiln-opt both call this, so a phase replays the same in either.
void registerDialects(mlir::DialectRegistry &registry);

/// Every kiln pass and pipeline, for kiln-opt.
void registerPassesAndPipelines();

} // namespace kiln

#endif // KILN_PIPELINES_REGISTRATION_H
