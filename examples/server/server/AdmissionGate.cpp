//===- AdmissionGate.cpp - a bound on requests in progress ----------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "server/AdmissionGate.h"

using namespace kiln_server;

AdmissionGate::Ticket AdmissionGate::enter() {
  std::unique_lock<std::mutex> lock(mutex);
  if (waiting.empty() && running < workers) {
    ++running;
    return Ticket(this);
  }
  if (waiting.size() >= queue)
    return Ticket(nullptr);
  Waiter self;
  waiting.push_back(&self);
  self.admitted.wait(lock, [&] { return self.hasSlot; });
  return Ticket(this);
}

/// Hands the slot to the first in the queue, if any.
void AdmissionGate::leave() {
  std::lock_guard<std::mutex> lock(mutex);
  if (waiting.empty()) {
    --running;
    return;
  }
  Waiter *next = waiting.front();
  waiting.pop_front();
  next->hasSlot = true;
  next->admitted.notify_one(); // under the lock: `next` lives until then
}
