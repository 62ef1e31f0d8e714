//===- ProtocolChecks.h - check the server's endpoints ----------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Health, server and model metadata, model readiness, and infer requests
// with an id and a chosen output: each reply's status and content. Prints
// each reply and `protocol: PASS` or `protocol: FAIL`.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LOAD_CLIENT_PROTOCOLCHECKS_H
#define KILN_LOAD_CLIENT_PROTOCOLCHECKS_H

#include "client/Connection.h"
#include "client/Samples.h"

#include <vector>

namespace kiln_client {

bool runProtocolChecks(const ServerAddress &server,
                       const std::vector<Sample> &digits,
                       const std::vector<Sample> &tinyCnn, double tolerance);

} // namespace kiln_client

#endif // KILN_LOAD_CLIENT_PROTOCOLCHECKS_H
