//===- Overload.h - a flood must get 503s, not a crash ----------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// For a server started with a small bound (--workers 1 --max-queue 1):
// `connections` threads send `requests` tiny_cnn batches between them,
// back to back. At least one reply must be a 503, and every reply must be a
// correct 200 or a 503 with {"error": "...overloaded..."}; afterwards the
// server must still be alive and answer correctly. Prints the counts and
// `overload: PASS` or `overload: FAIL`.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LOAD_CLIENT_OVERLOAD_H
#define KILN_LOAD_CLIENT_OVERLOAD_H

#include "client/Connection.h"
#include "client/Samples.h"

#include <vector>

namespace kiln_client {

bool runOverload(const ServerAddress &server, unsigned connections,
                 size_t requests, const std::vector<Sample> &digits,
                 const std::vector<Sample> &tinyCnn, double tolerance);

} // namespace kiln_client

#endif // KILN_LOAD_CLIENT_OVERLOAD_H
