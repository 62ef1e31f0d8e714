//===- InferRequest.cpp - decode a protocol infer request -----------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "server/InferRequest.h"

#include "server/Datatypes.h"
#include "server/TensorData.h"

#include <nlohmann/json.hpp>

using namespace kiln_server;
using nlohmann::json;

namespace {

/// "pixels, mask": the names of the model's inputs or outputs.
template <typename DescFn> std::string nameList(int32_t count, DescFn desc) {
  std::string names;
  for (int32_t i = 0; i < count; ++i)
    names += (i ? ", " : "") + std::string(desc(i)->name);
  return names;
}

/// The index of the model input called `name`, or -1.
int32_t findInput(const kiln_model_api &api, const std::string &name) {
  for (int32_t i = 0; i < api.num_inputs(); ++i)
    if (name == api.input_desc(i)->name)
      return i;
  return -1;
}

int32_t findOutput(const kiln_model_api &api, const std::string &name) {
  for (int32_t i = 0; i < api.num_outputs(); ++i)
    if (name == api.output_desc(i)->name)
      return i;
  return -1;
}

/// A member that must be there with the given type.
Error member(const json &object, const char *key, json::value_t type,
             const char *typeName, const std::string &where, const json *&out) {
  auto it = object.find(key);
  if (it == object.end())
    return Error::badRequest(where + " has no \"" + key + "\"");
  if (it->type() != type)
    return Error::badRequest(where + ": \"" + key + "\" is not " + typeName);
  out = &*it;
  return Error::none();
}

Error parseShape(const json &shape, const std::string &where,
                 std::vector<int64_t> &dims) {
  for (const json &dim : shape) {
    if (!dim.is_number_integer() || dim.get<int64_t>() < 0)
      return Error::badRequest(where + ": shape " + abbreviate(shape.dump()) +
                               " holds a dim that is not an integer >= 0");
    dims.push_back(dim.get<int64_t>());
  }
  return Error::none();
}

/// One entry of "inputs", decoded into `tensor`; its name is checked by
/// the caller.
Error parseTensor(const json &entry, const std::string &where,
                  HostTensor &tensor) {
  const json *shape, *datatype, *data;
  if (Error error = member(entry, "shape", json::value_t::array, "an array",
                           where, shape))
    return error;
  if (Error error = member(entry, "datatype", json::value_t::string, "a string",
                           where, datatype))
    return error;
  if (Error error =
          member(entry, "data", json::value_t::array, "an array", where, data))
    return error;
  tensor.dtype = parseDatatype(datatype->get<std::string>());
  if (tensor.dtype == KILN_DTYPE_UNDEFINED)
    return Error::badRequest(where + ": unknown datatype " +
                             abbreviate(datatype->dump()));
  if (Error error = parseShape(*shape, where, tensor.dims))
    return error;
  if (Error error = decodeTensorData(*data, tensor))
    return Error::badRequest(where + ": " + error.message);
  return Error::none();
}

Error parseInputs(const json &inputs, const kiln_model_api &api,
                  std::vector<HostTensor> &tensors) {
  tensors.assign(api.num_inputs(), HostTensor());
  std::vector<bool> given(api.num_inputs(), false);
  for (const json &entry : inputs) {
    if (!entry.is_object())
      return Error::badRequest("an entry of \"inputs\" is not an object");
    const json *name;
    if (Error error = member(entry, "name", json::value_t::string, "a string",
                             "an input", name))
      return error;
    std::string where = "input '" + abbreviate(name->get<std::string>()) + "'";
    int32_t index = findInput(api, name->get<std::string>());
    if (index < 0)
      return Error::badRequest(
          "the model has no " + where +
          " (its inputs: " + nameList(api.num_inputs(), api.input_desc) + ")");
    if (given[index])
      return Error::badRequest(where + " is given twice");
    given[index] = true;
    tensors[index].name = name->get<std::string>();
    if (Error error = parseTensor(entry, where, tensors[index]))
      return error;
  }
  for (int32_t i = 0; i < api.num_inputs(); ++i)
    if (!given[i])
      return Error::badRequest("missing input '" +
                               std::string(api.input_desc(i)->name) + "'");
  return Error::none();
}

Error parseOutputs(const json &body, const kiln_model_api &api,
                   std::vector<int32_t> &outputs) {
  auto it = body.find("outputs");
  if (it == body.end()) {
    for (int32_t i = 0; i < api.num_outputs(); ++i)
      outputs.push_back(i);
    return Error::none();
  }
  if (!it->is_array())
    return Error::badRequest("\"outputs\" is not an array");
  for (const json &entry : *it) {
    const json *name;
    if (!entry.is_object())
      return Error::badRequest("an entry of \"outputs\" is not an object");
    if (Error error = member(entry, "name", json::value_t::string, "a string",
                             "an output", name))
      return error;
    int32_t index = findOutput(api, name->get<std::string>());
    if (index < 0)
      return Error::badRequest(
          "the model has no output " + abbreviate(name->dump()) +
          " (its outputs: " + nameList(api.num_outputs(), api.output_desc) +
          ")");
    outputs.push_back(index);
  }
  return Error::none();
}

} // namespace

Error kiln_server::parseInferRequest(const std::string &body,
                                     const kiln_model_api &api,
                                     InferRequest &request) {
  json parsed;
  try {
    parsed = json::parse(body);
  } catch (const json::parse_error &e) {
    return Error::badRequest(std::string("malformed JSON: ") + e.what());
  }
  if (!parsed.is_object())
    return Error::badRequest("the request is not a JSON object");
  auto id = parsed.find("id");
  if (id != parsed.end() && id->is_string())
    request.id = id->get<std::string>();
  const json *inputs;
  if (Error error = member(parsed, "inputs", json::value_t::array, "an array",
                           "the request", inputs))
    return error;
  if (Error error = parseInputs(*inputs, api, request.inputs))
    return error;
  return parseOutputs(parsed, api, request.outputs);
}
