//===- TaskPool.cpp - a parallel_for hook for compiled models -------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Driver/TaskPool.h"

using namespace kiln::driver;

namespace {
/// Polls before sleeping: a model's next loop usually starts within
/// microseconds, and waking a sleeping thread costs far more than that
/// (about a millisecond measured on this project's 2-core VM).
constexpr unsigned kSpins = 1000000;
} // namespace

TaskPool::TaskPool(unsigned threads)
    : numThreads(threads ? threads : 1), slots(numThreads) {
  for (unsigned i = 1; i < numThreads; ++i)
    workers.emplace_back([this, i] { work(i); });
}

TaskPool::~TaskPool() {
  {
    std::lock_guard<std::mutex> lock(mutex);
    stopping = true;
    generation.fetch_add(1);
  }
  wake.notify_all();
  for (std::thread &worker : workers)
    worker.join();
}

kiln_hooks TaskPool::getHooks() {
  kiln_hooks hooks = {};
  hooks.struct_size = sizeof(kiln_hooks);
  hooks.user = this;
  hooks.parallel_for = &TaskPool::hook;
  return hooks;
}

void TaskPool::hook(void *user, int64_t n, kiln_task_fn fn, void *arg) {
  static_cast<TaskPool *>(user)->parallelFor(n, fn, arg);
}

void TaskPool::runPart(unsigned index) {
  int64_t begin = count * index / numThreads;
  int64_t end = count * (index + 1) / numThreads;
  if (begin < end)
    task(taskArg, begin, end);
}

void TaskPool::parallelFor(int64_t n, kiln_task_fn fn, void *arg) {
  if (workers.empty() || n < 2) {
    if (n > 0)
      fn(arg, 0, n);
    return;
  }
  std::lock_guard<std::mutex> call(callMutex);
  count = n;
  task = fn;
  taskArg = arg;
  for (unsigned i = 1; i < numThreads; ++i) {
    slots[i].done.store(false);
    slots[i].claim.store(kOpen);
  }
  {
    std::lock_guard<std::mutex> lock(mutex);
    generation.fetch_add(1);
  }
  wake.notify_all();
  runPart(0);
  // A part no worker has claimed yet runs here: a sleeping worker's
  // wake-up costs more than a small loop.
  for (unsigned i = 1; i < numThreads; ++i) {
    if (slots[i].claim.exchange(kCaller) == kOpen)
      runPart(i);
    else
      while (!slots[i].done.load())
        std::this_thread::yield();
  }
}

void TaskPool::work(unsigned index) {
  uint64_t seen = 0;
  for (;;) {
    unsigned spins = 0;
    while (generation.load() == seen && ++spins < kSpins)
      ;
    if (generation.load() == seen) {
      std::unique_lock<std::mutex> lock(mutex);
      wake.wait(lock, [&] { return generation.load() != seen; });
    }
    seen = generation.load();
    if (stopping.load())
      return;
    // Open only while the loop that opened it runs: the loop's state was
    // written before, and the caller waits for `done`.
    if (slots[index].claim.exchange(kWorker) == kOpen) {
      runPart(index);
      slots[index].done.store(true);
    }
  }
}
