//===- ParallelPool.h - threads for models' parallel loops ------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The `kiln_hooks.parallel_for` the server hands to every model (see
// docs/abi.md, "Threads"). Several inference threads may call it at once:
// each call cuts [0, n) into one part per pool thread (the caller counts
// as one), queues the loop, runs parts itself until none is left and waits
// for the parts idle pool threads took. A busy pool thus costs a call no
// waiting: its caller runs the parts nobody took.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_SERVER_PARALLELPOOL_H
#define KILN_SERVER_PARALLELPOOL_H

#include "kiln-c/kiln_types.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace kiln_server {

class ParallelPool {
public:
  /// `threads` counts the callers' own: 1 runs every loop on its caller.
  explicit ParallelPool(unsigned threads);
  ~ParallelPool();
  ParallelPool(const ParallelPool &) = delete;
  ParallelPool &operator=(const ParallelPool &) = delete;

  /// Hooks whose parallel_for is this pool (and libc's malloc and free).
  kiln_hooks hooks();

  /// Runs fn(arg, begin, end) over disjoint parts covering [0, n) and
  /// returns when all have run.
  void parallelFor(int64_t n, kiln_task_fn fn, void *arg);

private:
  struct Loop;
  static void hook(void *user, int64_t n, kiln_task_fn fn, void *arg);
  void work();
  void runPart(Loop &loop, int part);
  bool runNextPart(Loop &loop);

  unsigned numThreads;
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::condition_variable wake;     // a loop was queued, or stopping
  std::condition_variable finished; // a loop's last part has run
  std::deque<Loop *> open;          // loops with parts nobody took yet
  bool stopping = false;
};

} // namespace kiln_server

#endif // KILN_SERVER_PARALLELPOOL_H
