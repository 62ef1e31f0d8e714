//===- ContextPool.cpp - a model's contexts, made once, reused ------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "server/ContextPool.h"

using namespace kiln_server;

ContextPool::~ContextPool() {
  for (kiln_ctx *ctx : idle)
    api.ctx_destroy(ctx);
}

kiln_status ContextPool::reserve(size_t count) {
  std::lock_guard<std::mutex> lock(mutex);
  while (idle.size() < count) {
    kiln_ctx *ctx = nullptr;
    if (kiln_status status = api.ctx_create(model, &ctx))
      return status;
    idle.push_back(ctx);
  }
  return KILN_STATUS_OK;
}

ContextPool::Lease ContextPool::acquire() {
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (!idle.empty()) {
      kiln_ctx *ctx = idle.back();
      idle.pop_back();
      return Lease(this, ctx);
    }
  }
  kiln_ctx *ctx = nullptr;
  if (api.ctx_create(model, &ctx) != KILN_STATUS_OK)
    ctx = nullptr;
  return Lease(this, ctx);
}

void ContextPool::release(kiln_ctx *ctx) {
  std::lock_guard<std::mutex> lock(mutex);
  idle.push_back(ctx);
}
