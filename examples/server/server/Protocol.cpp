//===- Protocol.cpp - the protocol's JSON replies -------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "server/Protocol.h"

#include "server/Datatypes.h"
#include "server/TensorData.h"

using namespace kiln_server;
using nlohmann::json;

namespace {
json tensorMetadata(const kiln_tensor_desc &desc) {
  return {{"name", desc.name},
          {"datatype", datatypeName(desc.dtype)},
          {"shape", std::vector<int64_t>(desc.dims, desc.dims + desc.rank)}};
}
} // namespace

json kiln_server::serverMetadata(const std::string &version) {
  return {{"name", "kiln-server"},
          {"version", version},
          {"extensions", json::array()}};
}

json kiln_server::modelMetadata(const std::string &name,
                                const kiln_model_api &api) {
  json inputs = json::array(), outputs = json::array();
  for (int32_t i = 0; i < api.num_inputs(); ++i)
    inputs.push_back(tensorMetadata(*api.input_desc(i)));
  for (int32_t i = 0; i < api.num_outputs(); ++i)
    outputs.push_back(tensorMetadata(*api.output_desc(i)));
  return {{"name", name},
          {"versions", json::array({"1"})},
          {"platform", "kiln"},
          {"inputs", inputs},
          {"outputs", outputs}};
}

json kiln_server::inferResponse(const std::string &modelName,
                                const InferRequest &request,
                                const std::vector<HostTensor> &outputs) {
  json tensors = json::array();
  for (int32_t index : request.outputs) {
    const HostTensor &output = outputs[index];
    tensors.push_back({{"name", output.name},
                       {"datatype", datatypeName(output.dtype)},
                       {"shape", output.dims},
                       {"data", encodeTensorData(output)}});
  }
  json response = {{"model_name", modelName}};
  if (!request.id.empty())
    response["id"] = request.id;
  response["outputs"] = std::move(tensors);
  return response;
}

json kiln_server::errorBody(const std::string &message) {
  return {{"error", message}};
}

std::string kiln_server::replyText(const json &value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}
