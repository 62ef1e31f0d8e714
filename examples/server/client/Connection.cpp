//===- Connection.cpp - one keep-alive connection to the server -----------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "client/Connection.h"

using namespace kiln_client;

std::unique_ptr<httplib::Client>
kiln_client::connect(const ServerAddress &server) {
  auto client = std::make_unique<httplib::Client>(server.host, server.port);
  client->set_keep_alive(true);
  client->set_tcp_nodelay(true);
  client->set_connection_timeout(10);
  client->set_read_timeout(60);
  client->set_write_timeout(60);
  return client;
}

std::string kiln_client::describe(const httplib::Result &result) {
  if (!result)
    return "no reply (" + httplib::to_string(result.error()) + ")";
  std::string body = result->body.size() > 200
                         ? result->body.substr(0, 200) + "..."
                         : result->body;
  return "HTTP " + std::to_string(result->status) + ": " + body;
}
