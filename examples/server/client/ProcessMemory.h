//===- ProcessMemory.h - another process's resident memory ------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LOAD_CLIENT_PROCESSMEMORY_H
#define KILN_LOAD_CLIENT_PROCESSMEMORY_H

namespace kiln_client {

/// VmRSS of process `pid` (from /proc/<pid>/status) in KiB; -1 if it
/// cannot be read (no such process, not Linux).
long residentKiB(int pid);

/// Whether process `pid` still exists.
bool processAlive(int pid);

} // namespace kiln_client

#endif // KILN_LOAD_CLIENT_PROCESSMEMORY_H
