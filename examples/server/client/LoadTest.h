//===- LoadTest.h - many connections, every reply checked -------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// `connections` threads, each with its own keep-alive connection, send
// `requests` infer requests between them: the digits samples round-robin,
// every `tinyCnnEvery`-th request a tiny_cnn batch instead. Every reply is
// checked against ONNX Runtime's output (Verify.h). A warm-up of the same
// kind comes first; the server's resident memory is read after it and at
// the end. Prints the figures and `load: PASS` or `load: FAIL`.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LOAD_CLIENT_LOADTEST_H
#define KILN_LOAD_CLIENT_LOADTEST_H

#include "client/Connection.h"
#include "client/Samples.h"

#include <vector>

namespace kiln_client {

struct LoadSettings {
  unsigned connections = 16;
  size_t requests = 20000;
  size_t warmup = 1000;
  size_t tinyCnnEvery = 10; // 0: digits only
  double tolerance = 1e-5;
  // The end's RSS may exceed the warm-up's by this fraction plus this much.
  double rssGrowthFraction = 0.10;
  long rssGrowthKiB = 8 * 1024;
};

/// Runs the load test; true when every reply was right and the server's
/// memory stayed within the bound.
bool runLoadTest(const ServerAddress &server, const LoadSettings &settings,
                 const std::vector<Sample> &digits,
                 const std::vector<Sample> &tinyCnn);

} // namespace kiln_client

#endif // KILN_LOAD_CLIENT_LOADTEST_H
