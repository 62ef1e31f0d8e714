//===- LoadTest.cpp - many connections, every reply checked ---------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "client/LoadTest.h"

#include "client/ProcessMemory.h"
#include "client/Verify.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

using namespace kiln_client;
using Clock = std::chrono::steady_clock;

namespace {
/// What the threads of one phase found.
struct Tally {
  std::mutex mutex;
  std::vector<double> latenciesMs;
  size_t errors = 0, mismatches = 0, digits = 0, tinyCnn = 0;
  double maxDiff = 0;
  size_t reported = 0; // problems printed so far

  void report(const char *kind, size_t request, const Sample &sample,
              const std::string &what) {
    if (reported++ < 10)
      std::fprintf(stderr, "%s: request %zu (%s): %s\n", kind, request,
                   sample.model.c_str(), what.c_str());
  }
};

/// One phase: `count` requests over the connections.
class Phase {
public:
  Phase(const ServerAddress &server, const LoadSettings &settings,
        const std::vector<Sample> &digits, const std::vector<Sample> &tinyCnn)
      : server(server), settings(settings), digits(digits), tinyCnn(tinyCnn) {}

  /// Runs it and returns its wall time in seconds.
  double run(size_t count, Tally &tally) {
    next = 0;
    total = count;
    Clock::time_point start = Clock::now();
    std::vector<std::thread> threads;
    for (unsigned i = 0; i < settings.connections; ++i)
      threads.emplace_back([&] { connection(tally); });
    for (std::thread &thread : threads)
      thread.join();
    return std::chrono::duration<double>(Clock::now() - start).count();
  }

private:
  const Sample &pick(size_t request) const {
    size_t every = settings.tinyCnnEvery;
    if (every && !tinyCnn.empty() && request % every == every - 1)
      return tinyCnn[(request / every) % tinyCnn.size()];
    return digits[request % digits.size()];
  }

  void connection(Tally &tally) {
    std::unique_ptr<httplib::Client> client = connect(server);
    std::vector<double> latencies;
    for (size_t request; (request = next++) < total;) {
      const Sample &sample = pick(request);
      Clock::time_point start = Clock::now();
      httplib::Result result =
          client->Post(sample.path(), sample.body, "application/json");
      latencies.push_back(
          std::chrono::duration<double, std::milli>(Clock::now() - start)
              .count());
      check(request, sample, result, tally);
    }
    std::lock_guard<std::mutex> lock(tally.mutex);
    tally.latenciesMs.insert(tally.latenciesMs.end(), latencies.begin(),
                             latencies.end());
  }

  void check(size_t request, const Sample &sample,
             const httplib::Result &result, Tally &tally) {
    bool ok = result && result->status == 200;
    Verdict verdict;
    if (ok)
      verdict = verifyReply(sample, result->body, settings.tolerance);
    std::lock_guard<std::mutex> lock(tally.mutex);
    ++(sample.model == "digits" ? tally.digits : tally.tinyCnn);
    if (!ok) {
      ++tally.errors;
      return tally.report("error", request, sample, describe(result));
    }
    tally.maxDiff = std::max(tally.maxDiff, verdict.maxDiff);
    if (!verdict.ok) {
      ++tally.mismatches;
      tally.report("mismatch", request, sample, verdict.why);
    }
  }

  const ServerAddress &server;
  const LoadSettings &settings;
  const std::vector<Sample> &digits, &tinyCnn;
  std::atomic<size_t> next{0};
  size_t total = 0;
};

double percentile(std::vector<double> values, double fraction) {
  if (values.empty())
    return 0;
  size_t index = std::min(values.size() - 1,
                          static_cast<size_t>(fraction * values.size()));
  std::nth_element(values.begin(), values.begin() + index, values.end());
  return values[index];
}

double mib(long kib) { return kib / 1024.0; }

/// Prints the server's memory; false if it grew past the bound.
bool checkMemory(const LoadSettings &settings, long warmKiB, long endKiB) {
  if (warmKiB < 0 || endKiB < 0) {
    std::printf("server RSS: not measured (no --pid, or no /proc)\n");
    return true;
  }
  long limitKiB =
      static_cast<long>(warmKiB * (1 + settings.rssGrowthFraction)) +
      settings.rssGrowthKiB;
  std::printf("server RSS: %.1f MiB after warm-up, %.1f MiB at the end "
              "(limit %.1f MiB)\n",
              mib(warmKiB), mib(endKiB), mib(limitKiB));
  return endKiB <= limitKiB;
}
} // namespace

bool kiln_client::runLoadTest(const ServerAddress &server,
                              const LoadSettings &settings,
                              const std::vector<Sample> &digits,
                              const std::vector<Sample> &tinyCnn) {
  Phase phase(server, settings, digits, tinyCnn);
  Tally warmup, measured;
  phase.run(settings.warmup, warmup);
  long warmKiB = server.pid ? residentKiB(server.pid) : -1;
  double seconds = phase.run(settings.requests, measured);
  long endKiB = server.pid ? residentKiB(server.pid) : -1;

  std::printf("load: %u connections, %zu requests (%zu digits, %zu "
              "tiny_cnn) after %zu warm-up requests\n",
              settings.connections, settings.requests, measured.digits,
              measured.tinyCnn, settings.warmup);
  size_t errors = warmup.errors + measured.errors;
  size_t mismatches = warmup.mismatches + measured.mismatches;
  std::printf("errors: %zu\nmismatches: %zu\n", errors, mismatches);
  std::printf("largest difference from ONNX Runtime: %.2g (tolerance %.2g)\n",
              std::max(warmup.maxDiff, measured.maxDiff), settings.tolerance);
  std::printf("latency: p50 %.3f ms, p99 %.3f ms, max %.3f ms\n",
              percentile(measured.latenciesMs, 0.50),
              percentile(measured.latenciesMs, 0.99),
              percentile(measured.latenciesMs, 1.0));
  std::printf("throughput: %.0f requests/s (%.2f s)\n",
              settings.requests / seconds, seconds);
  bool memoryOk = checkMemory(settings, warmKiB, endKiB);
  bool ok = errors == 0 && mismatches == 0 && memoryOk &&
            measured.latenciesMs.size() == settings.requests;
  std::printf("load: %s\n", ok ? "PASS" : "FAIL");
  return ok;
}
