//===- HttpServer.h - httplib's server set up for inference -----*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// httplib's limits and threads as kiln-server wants them: a bounded
// connection queue, the body limit, TCP_NODELAY (replies go out as two
// writes), keep-alive connections and a listen backlog larger than
// httplib's 5.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_SERVER_HTTPSERVER_H
#define KILN_SERVER_HTTPSERVER_H

#include "server/Options.h"

#include <httplib.h>

namespace kiln_server {

/// Sets `server` up and binds it to options.host and options.port; the
/// port bound (options.port, or the one picked for 0), or -1.
int setUpAndBind(httplib::Server &server, const ServerOptions &options);

} // namespace kiln_server

#endif // KILN_SERVER_HTTPSERVER_H
