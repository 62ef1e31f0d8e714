//===- StopSignals.h - stop the server on SIGTERM or SIGINT -----*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The signals are blocked in every thread (block() runs before any thread
// starts) and one thread waits for them with sigwait, so the stop runs as
// ordinary code rather than in a signal handler.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_SERVER_STOPSIGNALS_H
#define KILN_SERVER_STOPSIGNALS_H

#include <atomic>
#include <functional>
#include <thread>

namespace kiln_server {

class StopSignals {
public:
  /// Blocks SIGTERM and SIGINT in this thread and those it starts later.
  static void block();

  /// Calls `stop` on the first SIGTERM or SIGINT.
  explicit StopSignals(std::function<void()> stop);
  /// Joins the waiting thread (waking it if no signal came).
  ~StopSignals();
  StopSignals(const StopSignals &) = delete;
  StopSignals &operator=(const StopSignals &) = delete;

  /// Whether a signal asked for the stop.
  bool signalled() const { return gotSignal.load(); }

private:
  std::atomic<bool> finishing{false};
  std::atomic<bool> gotSignal{false};
  std::thread waiter;
};

} // namespace kiln_server

#endif // KILN_SERVER_STOPSIGNALS_H
