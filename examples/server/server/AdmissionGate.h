//===- AdmissionGate.h - a bound on requests in progress --------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// At most `workers` inference requests are processed at once (decoded,
// run, encoded), each on the connection thread that read it, so no request
// changes threads; at most `queue` more wait for one of those slots, in
// order of arrival. enter() refuses any request beyond that at once: an
// overloaded server answers 503 and holds neither more memory nor more
// waiting requests than these bounds allow.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_SERVER_ADMISSIONGATE_H
#define KILN_SERVER_ADMISSIONGATE_H

#include <condition_variable>
#include <deque>
#include <mutex>

namespace kiln_server {

class AdmissionGate {
public:
  /// Holds a worker slot while it lives; an empty ticket holds none.
  class Ticket {
  public:
    explicit Ticket(AdmissionGate *gate) : gate(gate) {}
    Ticket(Ticket &&other) noexcept : gate(other.gate) { other.gate = nullptr; }
    Ticket(const Ticket &) = delete;
    Ticket &operator=(const Ticket &) = delete;
    Ticket &operator=(Ticket &&) = delete;
    ~Ticket() {
      if (gate)
        gate->leave();
    }
    explicit operator bool() const { return gate != nullptr; }

  private:
    AdmissionGate *gate;
  };

  AdmissionGate(unsigned workers, unsigned queue)
      : workers(workers), queue(queue) {}

  /// A slot, at once or after waiting in the queue; an empty ticket when
  /// the queue is full.
  Ticket enter();

  unsigned numWorkers() const { return workers; }
  unsigned queueSize() const { return queue; }

private:
  /// A request in the queue, on its thread's stack.
  struct Waiter {
    std::condition_variable admitted;
    bool hasSlot = false;
  };

  void leave();

  const unsigned workers, queue;
  std::mutex mutex;
  unsigned running = 0;         // slots held
  std::deque<Waiter *> waiting; // in order of arrival
};

} // namespace kiln_server

#endif // KILN_SERVER_ADMISSIONGATE_H
