//===- ModelRepository.h - the models served, by name -----------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_SERVER_MODELREPOSITORY_H
#define KILN_SERVER_MODELREPOSITORY_H

#include "server/LinkedModels.h"
#include "server/ServedModel.h"

#include <map>
#include <memory>
#include <string>

namespace kiln_server {

class ModelRepository {
public:
  /// Creates every model in `models` with `hooks` and `contexts` contexts
  /// each; false, with the reason in `error`, if one fails.
  bool load(const std::vector<LinkedModel> &models, const kiln_hooks &hooks,
            size_t contexts, std::string &error);

  /// The model served as `name`, or NULL.
  ServedModel *find(const std::string &name) const;

  /// The kiln version that compiled the models.
  std::string compilerVersion() const;

private:
  std::map<std::string, std::unique_ptr<ServedModel>> models;
};

/// The 404 of a request for a model the server does not have.
Error unknownModel(const std::string &name);

} // namespace kiln_server

#endif // KILN_SERVER_MODELREPOSITORY_H
