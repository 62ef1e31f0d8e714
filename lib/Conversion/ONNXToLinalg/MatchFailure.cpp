//===- MatchFailure.cpp - why an onnx op was not lowered ------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "MatchFailure.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;

namespace kiln::onnx_to_linalg {

namespace {
thread_local MatchFailureLog *currentLog = nullptr;
} // namespace

MatchFailureLog::Scope::Scope(MatchFailureLog &log) : previous(currentLog) {
  currentLog = &log;
}

MatchFailureLog::Scope::~Scope() { currentLog = previous; }

MatchFailureLog *MatchFailureLog::current() { return currentLog; }

void MatchFailureLog::record(Operation *op, const llvm::Twine &reason) {
  llvm::SmallVector<std::string, 2> &list =
      reasons[{op->getLoc(), op->getName()}];
  std::string text = reason.str();
  if (!llvm::is_contained(list, text))
    list.push_back(std::move(text));
}

std::string MatchFailureLog::lookup(Location loc, llvm::StringRef name) const {
  std::string joined;
  for (const auto &[key, list] : reasons)
    if (key.first == loc && key.second.getStringRef() == name)
      for (const std::string &reason : list)
        joined += (joined.empty() ? "" : "; ") + reason;
  return joined;
}

} // namespace kiln::onnx_to_linalg
