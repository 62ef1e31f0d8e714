//===- Protocol.h - the protocol's JSON replies -----------------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// What the server answers in the Open Inference Protocol (KServe v2): the
// server's and a model's metadata, an infer response, and errors.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_SERVER_PROTOCOL_H
#define KILN_SERVER_PROTOCOL_H

#include "server/HostTensor.h"
#include "server/InferRequest.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace kiln_server {

/// {"name": "kiln-server", "version": ..., "extensions": []}
nlohmann::json serverMetadata(const std::string &version);

/// {"name", "versions", "platform": "kiln", "inputs", "outputs"}, each
/// tensor with its name, datatype and shape (-1 for a dynamic dim).
nlohmann::json modelMetadata(const std::string &name,
                             const kiln_model_api &api);

/// {"model_name", "id"?, "outputs": [{"name", "datatype", "shape",
/// "data"}]} with the outputs the request asked for.
nlohmann::json inferResponse(const std::string &modelName,
                             const InferRequest &request,
                             const std::vector<HostTensor> &outputs);

/// {"error": message}
nlohmann::json errorBody(const std::string &message);

/// `value` as the text of a reply; bytes that are not UTF-8 (a request's,
/// quoted in a message) become U+FFFD.
std::string replyText(const nlohmann::json &value);

} // namespace kiln_server

#endif // KILN_SERVER_PROTOCOL_H
