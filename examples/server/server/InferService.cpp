//===- InferService.cpp - answer one infer request ------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "server/InferService.h"

#include "server/InferRequest.h"
#include "server/Protocol.h"

using namespace kiln_server;

Reply kiln_server::errorReply(const Error &error) {
  return {error.httpStatus, replyText(errorBody(error.message))};
}

Reply InferService::infer(const std::string &modelName,
                          const std::string &body) {
  ServedModel *model = models.find(modelName);
  if (!model)
    return errorReply(unknownModel(modelName));
  AdmissionGate::Ticket ticket = gate.enter();
  if (!ticket)
    return errorReply(Error::unavailable(
        "the server is overloaded: " + std::to_string(gate.numWorkers()) +
        " workers busy and " + std::to_string(gate.queueSize()) +
        " requests queued; retry later"));
  return run(*model, body);
}

Reply InferService::run(ServedModel &model, const std::string &body) {
  InferRequest request;
  if (Error error = parseInferRequest(body, model.api(), request))
    return errorReply(
        Error{error.httpStatus, model.name() + ": " + error.message});
  std::vector<HostTensor> outputs;
  if (Error error = model.infer(request.inputs, maxRunBytes, outputs))
    return errorReply(error);
  return {200, replyText(inferResponse(model.name(), request, outputs))};
}
