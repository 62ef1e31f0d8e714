//===- Routes.h - the protocol's endpoints on an httplib server -*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
//   GET  /v2/health/live          200 while the server runs
//   GET  /v2/health/ready         200 once every model is loaded
//   GET  /v2                      the server's metadata
//   GET  /v2/models/{name}        a model's metadata (404: no such model)
//   GET  /v2/models/{name}/ready  200 for a loaded model
//   POST /v2/models/{name}/infer  inference
//
// Every error, httplib's own included (no such route, a body over the
// limit, a malformed HTTP request), comes as {"error": "..."}.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_SERVER_ROUTES_H
#define KILN_SERVER_ROUTES_H

#include "server/InferService.h"

#include <httplib.h>

namespace kiln_server {

void installRoutes(httplib::Server &server, const ModelRepository &models,
                   InferService &service, size_t maxBodyBytes);

} // namespace kiln_server

#endif // KILN_SERVER_ROUTES_H
