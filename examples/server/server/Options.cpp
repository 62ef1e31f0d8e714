//===- Options.cpp - kiln-server's command line ---------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "server/Options.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>

using namespace kiln_server;

std::string kiln_server::usage(const char *program) {
  return std::string("usage: ") + program +
         " [--host H] [--port N] [--threads T] [--workers W] [--max-queue Q]"
         "\n       [--connections C] [--max-body-bytes B] [--max-run-bytes R]"
         "\n"
         "  --host H            address to listen on (127.0.0.1)\n"
         "  --port N            port; 0 picks a free one (8000)\n"
         "  --threads T         threads per parallel loop of a model, the\n"
         "                      request's own included (1: serial)\n"
         "  --workers W         inference requests processed at once (one per\n"
         "                      CPU)\n"
         "  --max-queue Q       requests waiting for a worker; more get 503 "
         "(64)\n"
         "  --connections C     connection threads; more connections wait\n"
         "                      (64)\n"
         "  --max-body-bytes B  largest request body; larger get 413 "
         "(1048576)\n"
         "  --max-run-bytes R   largest outputs plus workspace of one run\n"
         "                      (67108864)\n"
         "Prints `listening on HOST:PORT` once it accepts connections; "
         "SIGTERM\nor SIGINT stops it.\n";
}

namespace {
/// An unsigned number in [min, max]; false if `text` is not one.
bool parseNumber(const char *text, unsigned long long min,
                 unsigned long long max, unsigned long long &value) {
  if (!*text || *text == '-')
    return false;
  char *end = nullptr;
  errno = 0;
  value = std::strtoull(text, &end, 10);
  return errno == 0 && *end == '\0' && value >= min && value <= max;
}

template <typename T>
bool setNumber(const char *name, const char *text, unsigned long long min,
               unsigned long long max, T &out, std::string &error) {
  unsigned long long value;
  if (!parseNumber(text, min, max, value)) {
    error = std::string(name) + " wants a number in [" + std::to_string(min) +
            ", " + std::to_string(max) + "], not '" + text + "'";
    return false;
  }
  out = static_cast<T>(value);
  return true;
}
} // namespace

bool kiln_server::parseOptions(int argc, char **argv, ServerOptions &options,
                               bool &help, std::string &error) {
  help = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      help = true;
      return true;
    }
    if (i + 1 == argc) {
      error = "unknown argument or missing value: " + arg;
      return false;
    }
    const char *value = argv[++i];
    bool ok = true;
    if (arg == "--host")
      options.host = value;
    else if (arg == "--port")
      ok = setNumber("--port", value, 0, 65535, options.port, error);
    else if (arg == "--threads")
      ok = setNumber("--threads", value, 1, 256, options.threads, error);
    else if (arg == "--workers")
      ok = setNumber("--workers", value, 1, 1024, options.workers, error);
    else if (arg == "--max-queue")
      ok = setNumber("--max-queue", value, 0, 1 << 20, options.maxQueue, error);
    else if (arg == "--connections")
      ok = setNumber("--connections", value, 1, 4096, options.connections,
                     error);
    else if (arg == "--max-body-bytes")
      ok = setNumber("--max-body-bytes", value, 1, 1ull << 40,
                     options.maxBodyBytes, error);
    else if (arg == "--max-run-bytes")
      ok = setNumber("--max-run-bytes", value, 1, 1ull << 40,
                     options.maxRunBytes, error);
    else {
      error = "unknown argument: " + arg;
      return false;
    }
    if (!ok)
      return false;
  }
  return true;
}
