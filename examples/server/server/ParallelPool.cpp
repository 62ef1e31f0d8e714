//===- ParallelPool.cpp - threads for models' parallel loops --------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "server/ParallelPool.h"

#include <algorithm>
#include <atomic>

using namespace kiln_server;

/// One parallel_for call, on its caller's stack. A pool thread claims a
/// part under the pool's mutex, so the loop outlives every claimed part:
/// its caller returns only when all parts are done.
struct ParallelPool::Loop {
  int64_t n;
  kiln_task_fn fn;
  void *arg;
  int parts;
  std::atomic<int> next{0}; // the next part nobody has claimed
  std::atomic<int> done{0};
};

ParallelPool::ParallelPool(unsigned threads)
    : numThreads(std::max(threads, 1u)) {
  for (unsigned i = 1; i < numThreads; ++i)
    this->threads.emplace_back([this] { work(); });
}

ParallelPool::~ParallelPool() {
  {
    std::lock_guard<std::mutex> lock(mutex);
    stopping = true;
  }
  wake.notify_all();
  for (std::thread &thread : threads)
    thread.join();
}

kiln_hooks ParallelPool::hooks() {
  kiln_hooks hooks = {};
  hooks.struct_size = sizeof hooks;
  hooks.user = this;
  hooks.parallel_for = &ParallelPool::hook;
  return hooks;
}

void ParallelPool::hook(void *user, int64_t n, kiln_task_fn fn, void *arg) {
  static_cast<ParallelPool *>(user)->parallelFor(n, fn, arg);
}

void ParallelPool::runPart(Loop &loop, int part) {
  int parts = loop.parts;
  loop.fn(loop.arg, loop.n * part / parts, loop.n * (part + 1) / parts);
  // Once `done` counts every part, the caller may return: `loop` is gone.
  if (loop.done.fetch_add(1) + 1 == parts) {
    std::lock_guard<std::mutex> lock(mutex);
    finished.notify_all();
  }
}

bool ParallelPool::runNextPart(Loop &loop) {
  int part = loop.next.fetch_add(1);
  if (part >= loop.parts)
    return false;
  runPart(loop, part);
  return true;
}

void ParallelPool::parallelFor(int64_t n, kiln_task_fn fn, void *arg) {
  int parts = static_cast<int>(std::min<int64_t>(n, numThreads));
  if (parts <= 1) {
    if (n > 0)
      fn(arg, 0, n);
    return;
  }
  Loop loop{n, fn, arg, parts};
  {
    std::lock_guard<std::mutex> lock(mutex);
    open.push_back(&loop);
  }
  for (int i = 1; i < parts; ++i)
    wake.notify_one();
  while (runNextPart(loop))
    ;
  std::unique_lock<std::mutex> lock(mutex);
  auto it = std::find(open.begin(), open.end(), &loop);
  if (it != open.end())
    open.erase(it);
  finished.wait(lock, [&] { return loop.done.load() == loop.parts; });
}

void ParallelPool::work() {
  for (;;) {
    std::unique_lock<std::mutex> lock(mutex);
    wake.wait(lock, [&] { return stopping || !open.empty(); });
    if (stopping)
      return;
    Loop &loop = *open.front();
    int part = loop.next.fetch_add(1);
    bool claimed = part < loop.parts; // else `loop` may be gone once unlocked
    if (part + 1 >= loop.parts)
      open.pop_front(); // every part is claimed
    lock.unlock();
    if (claimed)
      runPart(loop, part);
  }
}
