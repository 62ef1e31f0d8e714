//===- OpsetUpgrade.h - old models brought to opsets kiln reads -*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_IMPORTER_ONNX_OPSETUPGRADE_H
#define KILN_LIB_IMPORTER_ONNX_OPSETUPGRADE_H

#include "onnx/onnx_pb.h"

#include <cstdint>
#include <string>

namespace kiln::importer {

/// The default domain's opset: its opset_import entry, 1 without one.
int64_t getModelOpset(const ::onnx::ModelProto &model);

/// The default-domain opset the graph's nodes need at least: `opset`, or
/// the largest first supported opset (getMinSupportedOpset) of its ops.
int64_t getNeededOpset(const ::onnx::GraphProto &graph, int64_t opset);

/// Rewrites `model` to default-domain opset `target` with ONNX's version
/// converter (libonnx's C++ adapters: legacy broadcast attributes,
/// consumed_inputs, Upsample, Gemm's scalar C...). On failure `error` holds
/// the converter's message, which names the op it could not adapt.
bool upgradeOpset(::onnx::ModelProto &model, int64_t target,
                  std::string &error);

} // namespace kiln::importer

#endif // KILN_LIB_IMPORTER_ONNX_OPSETUPGRADE_H
