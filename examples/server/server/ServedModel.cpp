//===- ServedModel.cpp - one compiled model behind the server -------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "server/ServedModel.h"

#include <cstdint>
#include <new>

using namespace kiln_server;

namespace {
/// A run that needs more workspace than this gets one of its own, freed
/// after the run: a large request must not leave a context holding a large
/// workspace for good (its own grows to the largest run it served).
constexpr size_t kContextWorkspaceBytes = 1 << 20;
constexpr std::align_val_t kWorkspaceAlignment{64};

struct WorkspaceDeleter {
  void operator()(void *ptr) const {
    ::operator delete(ptr, kWorkspaceAlignment);
  }
};
using Workspace = std::unique_ptr<void, WorkspaceDeleter>;

/// The bytes of the workspace and the outputs together; SIZE_MAX if that
/// overflows.
size_t runBytes(size_t workspace, const std::vector<HostTensor> &outputs) {
  size_t total = workspace;
  for (const HostTensor &output : outputs)
    total = output.byteSize() > SIZE_MAX - total ? SIZE_MAX
                                                 : total + output.byteSize();
  return total;
}
} // namespace

ServedModel::ServedModel(std::string name, const kiln_model_api &api,
                         const kiln_hooks &hooks)
    : modelName(std::move(name)), modelApi(api), hooks(hooks),
      model(nullptr, ModelDeleter{&api}) {}

std::unique_ptr<ServedModel> ServedModel::create(std::string name,
                                                 const kiln_model_api &api,
                                                 const kiln_hooks &hooks,
                                                 size_t contexts,
                                                 std::string &error) {
  char msg[256] = "";
  if (api.check_host(msg, sizeof msg) != KILN_STATUS_OK) {
    error = name + ": this CPU cannot run the model: " + msg;
    return nullptr;
  }
  std::unique_ptr<ServedModel> served(
      new ServedModel(std::move(name), api, hooks));
  kiln_model *model = nullptr;
  if (kiln_status status = api.model_create(&served->hooks, nullptr, 0, &model,
                                            msg, sizeof msg)) {
    error = served->modelName + ": model_create: " + api.status_string(status) +
            ": " + msg;
    return nullptr;
  }
  served->model.reset(model);
  served->contexts = std::make_unique<ContextPool>(api, model);
  if (kiln_status status = served->contexts->reserve(contexts)) {
    error = served->modelName + ": ctx_create: " + api.status_string(status);
    return nullptr;
  }
  return served;
}

Error ServedModel::modelError(const char *call, kiln_status status,
                              kiln_ctx *ctx) const {
  std::string message = modelName + ": " + call + ": " +
                        modelApi.status_string(status) + ": " +
                        modelApi.ctx_last_error(ctx);
  if (status == KILN_STATUS_OUT_OF_MEMORY)
    return Error::internal(message);
  return Error::badRequest(message);
}

Error ServedModel::query(kiln_ctx *ctx, std::vector<kiln_tensor> &in,
                         std::vector<HostTensor> &outputs,
                         size_t &workspace) const {
  int32_t numOutputs = modelApi.num_outputs();
  outputs.assign(numOutputs, HostTensor());
  std::vector<kiln_tensor> out(numOutputs);
  for (int32_t i = 0; i < numOutputs; ++i) {
    const kiln_tensor_desc *desc = modelApi.output_desc(i);
    outputs[i].name = desc->name;
    outputs[i].dims.resize(desc->rank);
    out[i] = outputs[i].view();
  }
  if (kiln_status status =
          modelApi.query(ctx, in.data(), static_cast<int32_t>(in.size()),
                         out.data(), numOutputs, &workspace))
    return modelError("query", status, ctx);
  for (int32_t i = 0; i < numOutputs; ++i)
    outputs[i].dtype = out[i].dtype;
  return Error::none();
}

Error ServedModel::infer(std::vector<HostTensor> &inputs, size_t maxRunBytes,
                         std::vector<HostTensor> &outputs) {
  ContextPool::Lease ctx = contexts->acquire();
  if (!ctx.get())
    return Error::internal(modelName + ": ctx_create failed");
  std::vector<kiln_tensor> in;
  for (HostTensor &input : inputs)
    in.push_back(input.view());
  size_t workspaceBytes = 0;
  if (Error error = query(ctx.get(), in, outputs, workspaceBytes))
    return error;
  if (runBytes(workspaceBytes, outputs) > maxRunBytes)
    return Error::badRequest(modelName +
                             ": the outputs and workspace of these inputs "
                             "exceed the server's limit of " +
                             std::to_string(maxRunBytes) + " bytes");
  std::vector<kiln_tensor> out;
  for (HostTensor &output : outputs) {
    output.bytes.resize(output.byteSize());
    out.push_back(output.view());
  }
  Workspace workspace(workspaceBytes > kContextWorkspaceBytes
                          ? ::operator new(workspaceBytes, kWorkspaceAlignment)
                          : nullptr);
  if (kiln_status status = modelApi.run(
          ctx.get(), nullptr, in.data(), static_cast<int32_t>(in.size()),
          out.data(), static_cast<int32_t>(out.size()), workspace.get(),
          workspace ? workspaceBytes : 0))
    return modelError("run", status, ctx.get());
  return Error::none();
}
