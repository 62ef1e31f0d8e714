//===- kiln_server.cpp - an inference server for kiln-compiled models -----===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// kiln-server serves the models linked into it (server/LinkedModels.cpp)
// over HTTP in the Open Inference Protocol (KServe v2 REST), as Triton,
// KServe and OpenVINO Model Server do. It links the compiled models,
// cpp-httplib, nlohmann-json and pthreads; no kiln library. See
// docs/serving.md.
//
//===----------------------------------------------------------------------===//

#include "server/AdmissionGate.h"
#include "server/HttpServer.h"
#include "server/InferService.h"
#include "server/ModelRepository.h"
#include "server/Options.h"
#include "server/ParallelPool.h"
#include "server/Routes.h"
#include "server/StopSignals.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#ifdef __GLIBC__
#include <malloc.h>
#endif

using namespace kiln_server;

namespace {
/// Stops `server` once it runs: a signal may come before listening starts.
void stopWhenRunning(httplib::Server &server, std::atomic<bool> &done) {
  while (!server.is_running() && !done.load())
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (!done.load())
    server.stop();
}

int serve(const ServerOptions &options) {
  ParallelPool pool(options.threads);
  ModelRepository models;
  std::string error;
  if (!models.load(linkedModels(), pool.hooks(), options.workers, error)) {
    std::fprintf(stderr, "kiln-server: %s\n", error.c_str());
    return 1;
  }
  AdmissionGate gate(options.workers, options.maxQueue);
  InferService service(models, gate, options.maxRunBytes);
  httplib::Server server;
  installRoutes(server, models, service, options.maxBodyBytes);
  int port = setUpAndBind(server, options);
  if (port < 0) {
    std::fprintf(stderr, "kiln-server: cannot listen on %s:%d\n",
                 options.host.c_str(), options.port);
    return 1;
  }
  std::printf("listening on %s:%d\n", options.host.c_str(), port);
  std::fflush(stdout);

  std::atomic<bool> done{false};
  StopSignals signals([&] { stopWhenRunning(server, done); });
  bool ok = server.listen_after_bind();
  done = true;
  if (!ok && !signals.signalled()) {
    std::fprintf(stderr, "kiln-server: the listening socket failed\n");
    return 1;
  }
  std::printf("stopped\n");
  return 0;
}
} // namespace

int main(int argc, char **argv) {
  StopSignals::block(); // before any thread starts
#ifdef __GLIBC__
  // Large blocks (a big request's body and tensors) in mmap'ed memory that
  // goes back to the system when freed; glibc otherwise raises this bound
  // after such a free, and each connection thread's arena keeps its peak.
  mallopt(M_MMAP_THRESHOLD, 256 << 10);
#endif
  ServerOptions options;
  bool help = false;
  std::string error;
  if (!parseOptions(argc, argv, options, help, error)) {
    std::fprintf(stderr, "kiln-server: %s\n%s", error.c_str(),
                 usage(argv[0]).c_str());
    return 2;
  }
  if (help) {
    std::printf("%s", usage(argv[0]).c_str());
    return 0;
  }
  return serve(options);
}
