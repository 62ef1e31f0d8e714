//===- ModelRepository.cpp - the models served, by name -------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "server/ModelRepository.h"

using namespace kiln_server;

bool ModelRepository::load(const std::vector<LinkedModel> &linked,
                           const kiln_hooks &hooks, size_t contexts,
                           std::string &error) {
  for (const LinkedModel &entry : linked) {
    if (!entry.api) {
      error = std::string(entry.name) + ": the model's ABI version is not " +
              std::to_string(KILN_ABI_VERSION);
      return false;
    }
    std::unique_ptr<ServedModel> model =
        ServedModel::create(entry.name, *entry.api, hooks, contexts, error);
    if (!model)
      return false;
    models[entry.name] = std::move(model);
  }
  return true;
}

ServedModel *ModelRepository::find(const std::string &name) const {
  auto it = models.find(name);
  return it == models.end() ? nullptr : it->second.get();
}

std::string ModelRepository::compilerVersion() const {
  if (models.empty())
    return "";
  return models.begin()->second->api().model_info()->compiler_version;
}

Error kiln_server::unknownModel(const std::string &name) {
  return Error::notFound("no model named '" + abbreviate(name) + "'");
}
