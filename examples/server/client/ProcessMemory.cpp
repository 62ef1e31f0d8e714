//===- ProcessMemory.cpp - another process's resident memory --------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "client/ProcessMemory.h"

#include <fstream>
#include <sstream>
#include <string>

#include <signal.h>

long kiln_client::residentKiB(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.compare(0, 6, "VmRSS:") != 0)
      continue;
    std::istringstream fields(line.substr(6));
    long kib = -1;
    fields >> kib;
    return kib;
  }
  return -1;
}

bool kiln_client::processAlive(int pid) { return kill(pid, 0) == 0; }
