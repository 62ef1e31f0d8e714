//===- Options.h - kiln-server's command line -------------------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_SERVER_OPTIONS_H
#define KILN_SERVER_OPTIONS_H

#include <algorithm>
#include <cstddef>
#include <string>
#include <thread>

namespace kiln_server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8000;      // 0: any free port
  unsigned threads = 1; // threads per parallel loop (the caller's too)
  // Inference requests processed at once.
  unsigned workers = std::max(1u, std::thread::hardware_concurrency());
  unsigned maxQueue = 64;    // requests waiting for a worker; more get 503
  unsigned connections = 64; // connection threads (httplib's)
  size_t maxBodyBytes = 1 << 20;
  size_t maxRunBytes = 64 << 20; // outputs and workspace of one run
};

/// The usage text.
std::string usage(const char *program);

/// Parses argv into `options`; false, with the reason in `error`, when an
/// argument is unknown or a value is not a number in range. `help` is set
/// by --help.
bool parseOptions(int argc, char **argv, ServerOptions &options, bool &help,
                  std::string &error);

} // namespace kiln_server

#endif // KILN_SERVER_OPTIONS_H
