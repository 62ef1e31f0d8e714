//===- InferService.h - answer one infer request ----------------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// `POST /v2/models/{name}/infer` from body to reply: find the model, take
// a worker slot (503 when the queue is full), decode the request, run the
// model and encode its outputs.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_SERVER_INFERSERVICE_H
#define KILN_SERVER_INFERSERVICE_H

#include "server/AdmissionGate.h"
#include "server/ModelRepository.h"

#include <string>

namespace kiln_server {

/// An HTTP status and a JSON body.
struct Reply {
  int status;
  std::string body;
};

class InferService {
public:
  InferService(const ModelRepository &models, AdmissionGate &gate,
               size_t maxRunBytes)
      : models(models), gate(gate), maxRunBytes(maxRunBytes) {}

  Reply infer(const std::string &modelName, const std::string &body);

private:
  Reply run(ServedModel &model, const std::string &body);

  const ModelRepository &models;
  AdmissionGate &gate;
  size_t maxRunBytes;
};

/// The reply of a failed request: {"error": message}.
Reply errorReply(const Error &error);

} // namespace kiln_server

#endif // KILN_SERVER_INFERSERVICE_H
