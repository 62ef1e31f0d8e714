//===- load_client.cpp - load, protocol and overload checks of kiln-server ===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// kiln-load-client talks to a running kiln-server and checks it, mode by
// mode, in the order given:
//
//   protocol      health, metadata and infer replies (ProtocolChecks.h)
//   bad-requests  each bad request gets its 4xx and message (BadRequests.h)
//   load          N connections, R requests, every reply checked against
//                 ONNX Runtime, latency, throughput, memory (LoadTest.h)
//   overload      a flood gets 503s and no failure (Overload.h; start the
//                 server with --workers 1 --max-queue 1)
//
// Exits 0 when every mode passes, 1 otherwise, 2 on a usage error.
//
//===----------------------------------------------------------------------===//

#include "client/BadRequests.h"
#include "client/LoadTest.h"
#include "client/Overload.h"
#include "client/ProtocolChecks.h"

#include <cstdio>
#include <cstdlib>
#include <string>

using namespace kiln_client;

namespace {
struct ClientOptions {
  ServerAddress server;
  LoadSettings load;
  std::string digitsSet = "examples/digits/test_set.txt";
  std::string tinyCnnSet = "examples/server/tiny_cnn_test_set.txt";
  size_t bodyLimit = 1 << 20; // the server's --max-body-bytes
  size_t overloadRequests = 2000;
  unsigned overloadConnections = 32;
  std::vector<std::string> modes;
};

const char *kUsage =
    "usage: kiln-load-client --port N [options] MODE...\n"
    "modes: protocol bad-requests load overload (run in the order given)\n"
    "  --host H               the server's address (127.0.0.1)\n"
    "  --port N               the server's port\n"
    "  --pid P                the server's process: its RSS is reported and\n"
    "                         must not grow past 10% + 8 MiB after warm-up\n"
    "  --digits FILE          examples/digits/test_set.txt\n"
    "  --tiny-cnn FILE        examples/server/tiny_cnn_test_set.txt\n"
    "  --connections N        load: connections, one thread each (16)\n"
    "  --requests R           load: requests after the warm-up (20000)\n"
    "  --warmup W             load: warm-up requests (1000)\n"
    "  --tiny-cnn-every K     load: every K-th request is tiny_cnn (10)\n"
    "  --atol X               largest difference from ONNX Runtime (1e-5)\n"
    "  --body-limit B         bad-requests: the server's --max-body-bytes\n"
    "                         (1048576)\n"
    "  --overload-requests R  overload: requests in the flood (2000)\n"
    "  --overload-connections N  overload: connections (32)\n";

bool isMode(const std::string &arg) {
  return arg == "protocol" || arg == "bad-requests" || arg == "load" ||
         arg == "overload";
}

/// Sets the option `name` from `value`; false if there is no such option.
bool setOption(ClientOptions &o, const std::string &name, const char *value) {
  auto number = [&] { return std::strtoull(value, nullptr, 10); };
  if (name == "--host")
    o.server.host = value;
  else if (name == "--port")
    o.server.port = static_cast<int>(number());
  else if (name == "--pid")
    o.server.pid = static_cast<int>(number());
  else if (name == "--digits")
    o.digitsSet = value;
  else if (name == "--tiny-cnn")
    o.tinyCnnSet = value;
  else if (name == "--connections")
    o.load.connections = static_cast<unsigned>(number());
  else if (name == "--requests")
    o.load.requests = number();
  else if (name == "--warmup")
    o.load.warmup = number();
  else if (name == "--tiny-cnn-every")
    o.load.tinyCnnEvery = number();
  else if (name == "--atol")
    o.load.tolerance = std::strtod(value, nullptr);
  else if (name == "--body-limit")
    o.bodyLimit = number();
  else if (name == "--overload-requests")
    o.overloadRequests = number();
  else if (name == "--overload-connections")
    o.overloadConnections = static_cast<unsigned>(number());
  else
    return false;
  return true;
}

bool parseArgs(int argc, char **argv, ClientOptions &options) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (isMode(arg))
      options.modes.push_back(arg);
    else if (i + 1 == argc || !setOption(options, arg, argv[++i]))
      return false;
  }
  return options.server.port > 0 && !options.modes.empty() &&
         options.load.connections > 0 && options.overloadConnections > 0;
}

bool runMode(const std::string &mode, const ClientOptions &o,
             const std::vector<Sample> &digits,
             const std::vector<Sample> &tinyCnn) {
  double atol = o.load.tolerance;
  if (mode == "protocol")
    return runProtocolChecks(o.server, digits, tinyCnn, atol);
  if (mode == "bad-requests")
    return runBadRequests(o.server, o.bodyLimit, digits, tinyCnn, atol);
  if (mode == "load")
    return runLoadTest(o.server, o.load, digits, tinyCnn);
  return runOverload(o.server, o.overloadConnections, o.overloadRequests,
                     digits, tinyCnn, atol);
}
} // namespace

int main(int argc, char **argv) {
  ClientOptions options;
  if (!parseArgs(argc, argv, options)) {
    std::fprintf(stderr, "%s", kUsage);
    return 2;
  }
  std::vector<Sample> digits, tinyCnn;
  std::string error;
  if (!readDigitsSamples(options.digitsSet, digits, error) ||
      !readTinyCnnSamples(options.tinyCnnSet, tinyCnn, error) ||
      digits.empty() || tinyCnn.empty()) {
    std::fprintf(stderr, "kiln-load-client: %s\n",
                 error.empty() ? "a sample file is empty" : error.c_str());
    return 2;
  }
  bool ok = true;
  for (const std::string &mode : options.modes)
    ok &= runMode(mode, options, digits, tinyCnn);
  std::fflush(stdout);
  return ok ? 0 : 1;
}
