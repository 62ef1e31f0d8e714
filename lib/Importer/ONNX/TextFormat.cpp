//===- TextFormat.cpp - ONNX text format parsing --------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// libonnx's parser reports most errors as a Status but throws on some inputs
// (number conversions); this file is compiled with exceptions so that a
// malformed file is an error, not a terminate().
//
//===----------------------------------------------------------------------===//

#include "TextFormat.h"

#include "onnx/defs/parser.h"

#include <exception>

namespace kiln::importer {

bool parseONNXText(const std::string &text, ::onnx::ModelProto &model,
                   std::string &error) {
  try {
    ::onnx::Common::Status status =
        ::onnx::OnnxParser::Parse(model, text.c_str());
    if (!status.IsOK()) {
      error = status.ErrorMessage();
      return false;
    }
    return true;
  } catch (const std::exception &e) {
    error = e.what();
  } catch (...) {
    error = "unknown parser failure";
  }
  return false;
}

} // namespace kiln::importer
