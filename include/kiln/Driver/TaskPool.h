//===- TaskPool.h - a parallel_for hook for compiled models -----*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// A fixed set of worker threads behind `kiln_hooks.parallel_for`: the
// caller's thread and `threads - 1` workers each run one contiguous part
// of [0, n). Workers spin briefly for the next loop, then sleep; a model
// runs many short loops in a row. kiln-run's `--threads` uses it; a server
// would pass its own pool the same way.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DRIVER_TASKPOOL_H
#define KILN_DRIVER_TASKPOOL_H

#include "kiln_types.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace kiln::driver {

class TaskPool {
public:
  explicit TaskPool(unsigned threads);
  ~TaskPool();
  TaskPool(const TaskPool &) = delete;
  TaskPool &operator=(const TaskPool &) = delete;

  /// Hooks whose `parallel_for` runs on this pool (default alloc/free).
  kiln_hooks getHooks();

  /// Runs fn(arg, begin, end) over disjoint parts covering [0, n); returns
  /// when all have run. One loop at a time: calls are serialized.
  void parallelFor(int64_t n, kiln_task_fn fn, void *arg);

private:
  static void hook(void *user, int64_t n, kiln_task_fn fn, void *arg);
  void work(unsigned index);
  void runPart(unsigned index);

  unsigned numThreads;
  std::vector<std::thread> workers;
  std::mutex callMutex; // one loop at a time
  std::mutex mutex;     // guards the sleep below
  std::condition_variable wake;
  std::atomic<uint64_t> generation{0};
  std::atomic<unsigned> pending{0};
  std::atomic<bool> stopping{false};
  // The current loop, published by `generation`.
  int64_t count = 0;
  kiln_task_fn task = nullptr;
  void *taskArg = nullptr;
};

} // namespace kiln::driver

#endif // KILN_DRIVER_TASKPOOL_H
