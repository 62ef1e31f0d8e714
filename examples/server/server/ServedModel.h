//===- ServedModel.h - one compiled model behind the server -----*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// A model as the server serves it, generic over its kiln_model_api table:
// the model created once with the server's hooks, its pool of contexts,
// and inference as the ABI has it: `query` checks the inputs and gives
// the output dims and workspace size, `run` fills the outputs. Messages of
// a failed call carry the model's own words (status_string and
// ctx_last_error).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_SERVER_SERVEDMODEL_H
#define KILN_SERVER_SERVEDMODEL_H

#include "server/ContextPool.h"
#include "server/Error.h"
#include "server/HostTensor.h"

#include <memory>
#include <string>
#include <vector>

namespace kiln_server {

class ServedModel {
public:
  /// Creates the model with `hooks` and `contexts` contexts; NULL, and the
  /// reason in `error`, when the host or the model refuses.
  static std::unique_ptr<ServedModel>
  create(std::string name, const kiln_model_api &api, const kiln_hooks &hooks,
         size_t contexts, std::string &error);

  const std::string &name() const { return modelName; }
  const kiln_model_api &api() const { return modelApi; }

  /// Runs the model on `inputs` (in the model's order) into `outputs`
  /// (one per model output). The outputs and the workspace together may
  /// take at most `maxRunBytes`. Runs use their context's workspace, but
  /// a run that needs more than 1 MiB gets its own, freed after it.
  Error infer(std::vector<HostTensor> &inputs, size_t maxRunBytes,
              std::vector<HostTensor> &outputs);

private:
  struct ModelDeleter {
    const kiln_model_api *api;
    void operator()(kiln_model *model) const { api->model_destroy(model); }
  };

  ServedModel(std::string name, const kiln_model_api &api,
              const kiln_hooks &hooks);
  Error modelError(const char *call, kiln_status status, kiln_ctx *ctx) const;
  Error query(kiln_ctx *ctx, std::vector<kiln_tensor> &in,
              std::vector<HostTensor> &outputs, size_t &workspace) const;

  std::string modelName;
  const kiln_model_api &modelApi;
  kiln_hooks hooks; // the model keeps using them
  std::unique_ptr<kiln_model, ModelDeleter> model;
  std::unique_ptr<ContextPool> contexts; // destroyed before the model
};

} // namespace kiln_server

#endif // KILN_SERVER_SERVEDMODEL_H
