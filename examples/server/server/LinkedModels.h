//===- LinkedModels.h - the models compiled into the server -----*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The one place that knows which models the server links: each model's
// functions carry its prefix, and its `<prefix>_get_model_api` gathers
// them into a kiln_model_api table. Everything else in the server works on
// those tables.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_SERVER_LINKEDMODELS_H
#define KILN_SERVER_LINKEDMODELS_H

#include "kiln-c/kiln_types.h"

#include <vector>

namespace kiln_server {

struct LinkedModel {
  const char *name;          // the name the protocol serves it under
  const kiln_model_api *api; // NULL if the model has another ABI version
};

std::vector<LinkedModel> linkedModels();

} // namespace kiln_server

#endif // KILN_SERVER_LINKEDMODELS_H
