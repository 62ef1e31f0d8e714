//===- ConnectionQueue.h - bounded connection threads -----------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// httplib hands each accepted connection to its task queue, and a thread
// serves the connection for its keep-alive life. httplib's own ThreadPool
// queues connections without bound; this queue holds at most `maxPending`
// of them and blocks the accept loop while it is full, which leaves new
// connections in the kernel's listen backlog.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_SERVER_CONNECTIONQUEUE_H
#define KILN_SERVER_CONNECTIONQUEUE_H

#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace kiln_server {

class ConnectionQueue : public httplib::TaskQueue {
public:
  ConnectionQueue(unsigned threads, size_t maxPending);
  ~ConnectionQueue() override;

  void enqueue(std::function<void()> fn) override;
  /// Serves what is queued, then joins the threads.
  void shutdown() override;

private:
  void work();

  size_t maxPending;
  std::mutex mutex;
  std::condition_variable ready; // a connection was queued, or stopping
  std::condition_variable space; // a connection left the queue
  std::deque<std::function<void()>> pending;
  bool stopping = false;
  std::vector<std::thread> threads;
};

} // namespace kiln_server

#endif // KILN_SERVER_CONNECTIONQUEUE_H
