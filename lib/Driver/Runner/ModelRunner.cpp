//===- ModelRunner.cpp - load, run and time a compiled model --------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Driver/ModelRunner.h"

#include <cstddef>

#include "llvm/ADT/Twine.h"

#include <algorithm>
#include <chrono>
#include <dlfcn.h>

namespace kiln::driver {

char RunError::ID;

namespace {
llvm::Error loadError(const llvm::Twine &message) {
  return llvm::make_error<RunError>(false, message.str());
}

int64_t numElements(const std::vector<int64_t> &dims) {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  return n;
}
} // namespace

llvm::Error ModelRunner::modelError(const char *call, kiln_status status) {
  return llvm::make_error<RunError>(
      true, (llvm::Twine(call) + ": " + api->status_string(status) + ": " +
             (ctx ? api->ctx_last_error(ctx) : ""))
                .str());
}

llvm::Expected<std::unique_ptr<ModelRunner>>
ModelRunner::load(llvm::StringRef path, unsigned threads) {
  std::unique_ptr<ModelRunner> r(new ModelRunner());
  kiln_hooks hooks = {};
  if (threads > 1) {
    r->pool = std::make_unique<TaskPool>(threads);
    hooks = r->pool->getHooks();
  }
  std::string libraryPath = path.str();
  if (libraryPath.find('/') == std::string::npos)
    libraryPath = "./" + libraryPath; // never searched on the library path
  r->handle = dlopen(libraryPath.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!r->handle)
    return loadError("cannot load " + path + ": " + dlerror());
  auto getAPI = reinterpret_cast<kiln_get_model_api_fn>(
      dlsym(r->handle, "kiln_get_model_api"));
  if (!getAPI)
    return loadError(path + " exports no kiln_get_model_api");
  r->api = getAPI(KILN_ABI_VERSION);
  if (!r->api)
    return loadError(path + " does not implement ABI version " +
                     llvm::Twine(KILN_ABI_VERSION));
  char message[512];
  if (r->api->check_host(message, sizeof message) != KILN_STATUS_OK)
    return llvm::make_error<RunError>(
        true, std::string("this host cannot run the model: ") + message);
  if (kiln_status s =
          r->api->model_create(r->pool ? &hooks : nullptr, nullptr, 0,
                               &r->model, message, sizeof message))
    return llvm::make_error<RunError>(true, (llvm::Twine("model_create: ") +
                                             r->api->status_string(s) + ": " +
                                             message)
                                                .str());
  // Every run passes the runner's workspace: the context needs none of its
  // own (a model from before the entry point was added gets one).
  bool unbacked = r->api->struct_size >=
                  offsetof(kiln_model_api, ctx_create_without_workspace) +
                      sizeof(r->api->ctx_create_without_workspace);
  if (kiln_status s =
          unbacked ? r->api->ctx_create_without_workspace(r->model, &r->ctx)
                   : r->api->ctx_create(r->model, &r->ctx))
    return r->modelError("ctx_create", s);
  return std::move(r);
}

// Every exit releases the model, so a sanitized build sees no leak. The
// library stays loaded: its code may still be on the stack of a caller.
ModelRunner::~ModelRunner() {
  if (ctx)
    api->ctx_destroy(ctx);
  if (model)
    api->model_destroy(model);
}

llvm::Error ModelRunner::prepare(std::vector<HostTensor> &inputs,
                                 std::vector<HostTensor> &outputs) {
  in.clear();
  out.clear();
  for (HostTensor &t : inputs)
    in.push_back({t.dtype, (int32_t)t.dims.size(), t.dims.data(),
                  t.bytes.data(), t.bytes.size()});
  outputs.assign(api->num_outputs(), HostTensor());
  for (int o = 0; o < (int)outputs.size(); ++o) {
    outputs[o].dims.resize(api->output_desc(o)->rank);
    out.push_back(
        {KILN_DTYPE_UNDEFINED, 0, outputs[o].dims.data(), nullptr, 0});
  }
  size_t workspaceBytes = 0;
  if (kiln_status s = api->query(ctx, in.data(), (int32_t)in.size(), out.data(),
                                 (int32_t)out.size(), &workspaceBytes))
    return modelError("query", s);
  for (int o = 0; o < (int)outputs.size(); ++o) {
    HostTensor &t = outputs[o];
    t.dtype = out[o].dtype;
    t.bytes.resize(numElements(t.dims) * kiln_dtype_size(t.dtype));
    out[o].data = t.bytes.data();
    out[o].size_bytes = t.bytes.size();
  }
  workspace.resize(workspaceBytes);
  return llvm::Error::success();
}

llvm::Error ModelRunner::run() {
  if (kiln_status s =
          api->run(ctx, nullptr, in.data(), (int32_t)in.size(), out.data(),
                   (int32_t)out.size(), workspace.data(), workspace.size()))
    return modelError("run", s);
  return llvm::Error::success();
}

std::vector<double> ModelRunner::time(unsigned runs) {
  llvm::consumeError(run()); // warm-up
  std::vector<double> micros;
  for (unsigned i = 0; i < runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    llvm::consumeError(run());
    auto end = std::chrono::steady_clock::now();
    micros.push_back(
        std::chrono::duration<double, std::micro>(end - start).count());
  }
  std::sort(micros.begin(), micros.end());
  return micros;
}

} // namespace kiln::driver
