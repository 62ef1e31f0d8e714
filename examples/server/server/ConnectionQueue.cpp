//===- ConnectionQueue.cpp - bounded connection threads -------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "server/ConnectionQueue.h"

#include <algorithm>

using namespace kiln_server;

ConnectionQueue::ConnectionQueue(unsigned threads, size_t maxPending)
    : maxPending(std::max<size_t>(maxPending, 1)) {
  for (unsigned i = 0; i < std::max(threads, 1u); ++i)
    this->threads.emplace_back([this] { work(); });
}

ConnectionQueue::~ConnectionQueue() { shutdown(); }

void ConnectionQueue::enqueue(std::function<void()> fn) {
  {
    std::unique_lock<std::mutex> lock(mutex);
    space.wait(lock, [&] { return pending.size() < maxPending; });
    pending.push_back(std::move(fn));
  }
  ready.notify_one();
}

void ConnectionQueue::shutdown() {
  {
    std::lock_guard<std::mutex> lock(mutex);
    stopping = true;
  }
  ready.notify_all();
  for (std::thread &thread : threads)
    if (thread.joinable())
      thread.join();
}

void ConnectionQueue::work() {
  for (;;) {
    std::function<void()> fn;
    {
      std::unique_lock<std::mutex> lock(mutex);
      ready.wait(lock, [&] { return stopping || !pending.empty(); });
      if (pending.empty())
        return; // stopping, and nothing left to serve
      fn = std::move(pending.front());
      pending.pop_front();
    }
    space.notify_one();
    fn();
  }
}
