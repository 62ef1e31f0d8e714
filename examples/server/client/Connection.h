//===- Connection.h - one keep-alive connection to the server ---*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LOAD_CLIENT_CONNECTION_H
#define KILN_LOAD_CLIENT_CONNECTION_H

#include <httplib.h>

#include <memory>
#include <string>

namespace kiln_client {

struct ServerAddress {
  std::string host = "127.0.0.1";
  int port = 0;
  int pid = 0; // the server's process, for its memory; 0: unknown
};

/// A client that keeps its connection open between requests, with
/// TCP_NODELAY (httplib writes a request's headers and body apart).
std::unique_ptr<httplib::Client> connect(const ServerAddress &server);

/// "HTTP 400: {...}" or "connection failed (Read)": what a reply was.
std::string describe(const httplib::Result &result);

} // namespace kiln_client

#endif // KILN_LOAD_CLIENT_CONNECTION_H
