//===- ContextPool.h - a model's contexts, made once, reused ----*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// A run needs a context of its own (its workspace and last error); making
// one per request would allocate on every request. The pool creates them
// up front, lends one per run and takes it back; it makes another only
// when all are lent, which the server's admission bound rules out.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_SERVER_CONTEXTPOOL_H
#define KILN_SERVER_CONTEXTPOOL_H

#include "kiln-c/kiln_types.h"

#include <mutex>
#include <vector>

namespace kiln_server {

class ContextPool {
public:
  /// A lent context, returned to its pool when the lease ends.
  class Lease {
  public:
    Lease(ContextPool *pool, kiln_ctx *ctx) : pool(pool), ctx(ctx) {}
    Lease(Lease &&other) noexcept : pool(other.pool), ctx(other.ctx) {
      other.ctx = nullptr;
    }
    Lease(const Lease &) = delete;
    Lease &operator=(const Lease &) = delete;
    Lease &operator=(Lease &&) = delete;
    ~Lease() {
      if (ctx)
        pool->release(ctx);
    }
    kiln_ctx *get() const { return ctx; }

  private:
    ContextPool *pool;
    kiln_ctx *ctx;
  };

  ContextPool(const kiln_model_api &api, const kiln_model *model)
      : api(api), model(model) {}
  ~ContextPool();
  ContextPool(const ContextPool &) = delete;
  ContextPool &operator=(const ContextPool &) = delete;

  /// Creates contexts until `count` are idle.
  kiln_status reserve(size_t count);
  /// A context for one run; its get() is NULL when creating one failed.
  Lease acquire();

private:
  void release(kiln_ctx *ctx);

  const kiln_model_api &api;
  const kiln_model *model;
  std::mutex mutex;
  std::vector<kiln_ctx *> idle;
};

} // namespace kiln_server

#endif // KILN_SERVER_CONTEXTPOOL_H
