//===- BadRequests.h - requests the server must refuse ----------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Each kind of bad request (unknown model, malformed JSON, wrong shape,
// rank or dtype, unknown or missing input, data that does not fill the
// shape, a body over the limit, ...) must get its status (400, 404 or 413)
// and a JSON {"error": "..."} naming the problem, in the model's own words
// where the model found it. A good request must still work afterwards.
// Prints each case and `bad requests: PASS` or `bad requests: FAIL`.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LOAD_CLIENT_BADREQUESTS_H
#define KILN_LOAD_CLIENT_BADREQUESTS_H

#include "client/Connection.h"
#include "client/Samples.h"

#include <vector>

namespace kiln_client {

/// `bodyLimit` is the server's --max-body-bytes.
bool runBadRequests(const ServerAddress &server, size_t bodyLimit,
                    const std::vector<Sample> &digits,
                    const std::vector<Sample> &tinyCnn, double tolerance);

} // namespace kiln_client

#endif // KILN_LOAD_CLIENT_BADREQUESTS_H
