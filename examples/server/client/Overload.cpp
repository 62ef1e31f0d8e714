//===- Overload.cpp - a flood must get 503s, not a crash ------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "client/Overload.h"

#include "client/ProcessMemory.h"
#include "client/Verify.h"

#include <atomic>
#include <cstdio>
#include <thread>

using namespace kiln_client;

namespace {
struct Counts {
  std::atomic<size_t> sent{0}, ok{0}, overloaded{0}, wrong{0};
};

/// What one reply was; false if it is neither a correct 200 nor a 503
/// that says the server is overloaded.
bool classify(const Sample &sample, const httplib::Result &result,
              double tolerance, Counts &counts) {
  if (result && result->status == 200 &&
      verifyReply(sample, result->body, tolerance).ok) {
    ++counts.ok;
    return true;
  }
  if (result && result->status == 503 &&
      result->body.find("overloaded") != std::string::npos) {
    ++counts.overloaded;
    return true;
  }
  if (counts.wrong++ < 5)
    std::fprintf(stderr, "overload: unexpected reply: %s\n",
                 describe(result).c_str());
  return false;
}

void flood(const ServerAddress &server, size_t requests,
           const std::vector<Sample> &tinyCnn, double tolerance,
           Counts &counts) {
  std::unique_ptr<httplib::Client> client = connect(server);
  for (size_t i; (i = counts.sent++) < requests;) {
    const Sample &sample = tinyCnn[i % tinyCnn.size()];
    classify(sample,
             client->Post(sample.path(), sample.body, "application/json"),
             tolerance, counts);
  }
}

/// After the flood: alive, and a correct answer to a digits request.
bool stillServes(const ServerAddress &server, const Sample &digit,
                 double tolerance) {
  if (server.pid && !processAlive(server.pid))
    return false;
  std::unique_ptr<httplib::Client> client = connect(server);
  httplib::Result result =
      client->Post(digit.path(), digit.body, "application/json");
  return result && result->status == 200 &&
         verifyReply(digit, result->body, tolerance).ok;
}
} // namespace

bool kiln_client::runOverload(const ServerAddress &server, unsigned connections,
                              size_t requests,
                              const std::vector<Sample> &digits,
                              const std::vector<Sample> &tinyCnn,
                              double tolerance) {
  Counts counts;
  std::vector<std::thread> threads;
  for (unsigned i = 0; i < connections; ++i)
    threads.emplace_back(
        [&] { flood(server, requests, tinyCnn, tolerance, counts); });
  for (std::thread &thread : threads)
    thread.join();
  size_t sent = counts.ok + counts.overloaded + counts.wrong;
  bool serves = stillServes(server, digits.front(), tolerance);
  std::printf("overload: %u connections, %zu requests: %zu correct, %zu "
              "refused with 503, %zu other\n",
              connections, sent, counts.ok.load(), counts.overloaded.load(),
              counts.wrong.load());
  std::printf("overload: the server %s afterwards\n",
              serves ? "still serves correct results" : "FAILED");
  bool ok = counts.overloaded > 0 && counts.wrong == 0 && serves;
  std::printf("overload: %s\n", ok ? "PASS" : "FAIL");
  return ok;
}
