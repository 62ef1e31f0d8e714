//===- TextFormat.h - ONNX text format parsing ------------------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_IMPORTER_ONNX_TEXTFORMAT_H
#define KILN_LIB_IMPORTER_ONNX_TEXTFORMAT_H

#include "onnx/onnx_pb.h"

#include <string>

namespace kiln::importer {

/// Parses ONNX text format with libonnx's parser. Returns false and sets
/// `error` on malformed text; never throws.
bool parseONNXText(const std::string &text, ::onnx::ModelProto &model,
                   std::string &error);

} // namespace kiln::importer

#endif // KILN_LIB_IMPORTER_ONNX_TEXTFORMAT_H
