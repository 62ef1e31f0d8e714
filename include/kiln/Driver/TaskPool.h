//===- TaskPool.h - a parallel_for hook for compiled models -----*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// A fixed set of worker threads behind `kiln_hooks.parallel_for`: [0, n)
// is cut into one contiguous part per thread; the caller runs the first,
// each worker its own, and the caller also runs any part whose worker has
// not claimed it by then. Workers spin for the next loop before sleeping:
// a model runs many short loops in a row. kiln-run's `--threads` uses it;
// a server would pass its own pool the same way.
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

  /// Per worker, per loop: who runs its part, and whether it has run.
  enum Claim { kOpen, kWorker, kCaller };
  struct Slot {
    std::atomic<int> claim{kCaller};
    std::atomic<bool> done{true};
  };

  unsigned numThreads;
  std::vector<Slot> slots; // [0] unused: the caller's part
  std::vector<std::thread> workers;
  std::mutex callMutex; // one loop at a time
  std::mutex mutex;     // guards the sleep below
  std::condition_variable wake;
  std::atomic<uint64_t> generation{0};
  std::atomic<bool> stopping{false};
  // The current loop, published by `generation`.
  int64_t count = 0;
  kiln_task_fn task = nullptr;
  void *taskArg = nullptr;
};

} // namespace kiln::driver

#endif // KILN_DRIVER_TASKPOOL_H
