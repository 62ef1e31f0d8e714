//===- InferRequest.h - decode a protocol infer request ---------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The JSON body of `POST /v2/models/{name}/infer` checked against the
// model's signature:
//
//   {"id": "...",                                          (optional)
//    "inputs": [{"name": "pixels", "shape": [1, 64],
//                "datatype": "FP32", "data": [0, 1, ...]}],
//    "outputs": [{"name": "probabilities"}]}              (optional)
//
// Names must be the model's, each input given once; the dims and the
// datatype pass as given, and the model's `query` judges them.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_SERVER_INFERREQUEST_H
#define KILN_SERVER_INFERREQUEST_H

#include "server/Error.h"
#include "server/HostTensor.h"

#include <string>
#include <vector>

namespace kiln_server {

struct InferRequest {
  std::string id;                 // echoed in the response when not empty
  std::vector<HostTensor> inputs; // in the model's input order
  std::vector<int32_t> outputs;   // the model outputs to return
};

/// Decodes `body` for the model of `api`.
Error parseInferRequest(const std::string &body, const kiln_model_api &api,
                        InferRequest &request);

} // namespace kiln_server

#endif // KILN_SERVER_INFERREQUEST_H
