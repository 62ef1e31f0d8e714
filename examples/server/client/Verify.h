//===- Verify.h - check a reply against ONNX Runtime's output ---*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The check examples/digits/main.cpp makes, on a server's reply: the reply
// names the model and holds one output, of datatype FP32 and the expected
// shape; every value is finite and within `tolerance` of ONNX Runtime's,
// and each row's most likely class is ONNX Runtime's.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LOAD_CLIENT_VERIFY_H
#define KILN_LOAD_CLIENT_VERIFY_H

#include "client/Samples.h"

#include <string>

namespace kiln_client {

struct Verdict {
  bool ok = false;
  double maxDiff = 0; // the largest difference from ONNX Runtime's values
  std::string why;    // what differs, when not ok
};

/// Checks the body of a 200 reply to `sample`'s request.
Verdict verifyReply(const Sample &sample, const std::string &body,
                    double tolerance);

} // namespace kiln_client

#endif // KILN_LOAD_CLIENT_VERIFY_H
