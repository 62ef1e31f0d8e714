//===- HttpServer.cpp - httplib's server set up for inference -------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "server/HttpServer.h"

#include "server/ConnectionQueue.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

using namespace kiln_server;

namespace {
/// Keep-alive connections: a client's connection serves this many
/// requests, and closes after this long idle (which also bounds how long
/// a stop waits for idle connections).
constexpr size_t kKeepAliveRequests = 1000;
constexpr time_t kKeepAliveSeconds = 2;

/// httplib creates the listening socket with backlog 5 and no way to
/// change it; the options hook sees the socket, and listen() again on a
/// listening socket resizes its backlog.
void setSocketOptions(int sock, int &listening) {
  int yes = 1;
  setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  listening = sock;
}
} // namespace

int kiln_server::setUpAndBind(httplib::Server &server,
                              const ServerOptions &options) {
  unsigned threads = options.connections;
  server.new_task_queue = [threads] {
    return new ConnectionQueue(threads, threads);
  };
  server.set_payload_max_length(options.maxBodyBytes);
  server.set_keep_alive_max_count(kKeepAliveRequests);
  server.set_keep_alive_timeout(kKeepAliveSeconds);
  server.set_tcp_nodelay(true);
  auto listening = std::make_shared<int>(-1);
  server.set_socket_options(
      [listening](socket_t sock) { setSocketOptions(sock, *listening); });
  int port =
      options.port == 0
          ? server.bind_to_any_port(options.host)
          : (server.bind_to_port(options.host, options.port) ? options.port
                                                             : -1);
  if (port >= 0 && *listening >= 0)
    ::listen(*listening, SOMAXCONN);
  return port;
}
