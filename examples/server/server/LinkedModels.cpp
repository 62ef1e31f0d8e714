//===- LinkedModels.cpp - the models compiled into the server -------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// To serve another model, compile it with its own prefix (kilnc --prefix,
// or kiln_add_model's PREFIX), include its header here and add a line.
//
//===----------------------------------------------------------------------===//

#include "server/LinkedModels.h"

#include "digits.h"
#include "tiny_cnn.h"

std::vector<kiln_server::LinkedModel> kiln_server::linkedModels() {
  return {
      {"digits", digits_get_model_api(KILN_ABI_VERSION)},
      {"tiny_cnn", tiny_cnn_get_model_api(KILN_ABI_VERSION)},
  };
}
