//===- StopSignals.cpp - stop the server on SIGTERM or SIGINT -------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "server/StopSignals.h"

#include <pthread.h>
#include <signal.h>

using namespace kiln_server;

namespace {
sigset_t stopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}
} // namespace

void StopSignals::block() {
  sigset_t set = stopSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

StopSignals::StopSignals(std::function<void()> stop) {
  waiter = std::thread([this, stop = std::move(stop)] {
    sigset_t set = stopSignals();
    int signal = 0;
    sigwait(&set, &signal);
    if (finishing.load())
      return; // woken by the destructor
    gotSignal = true;
    stop();
  });
}

StopSignals::~StopSignals() {
  finishing = true;
  if (!gotSignal.load())
    pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
}
