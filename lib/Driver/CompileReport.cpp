//===- CompileReport.cpp - steps, progress and lowering decisions ---------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Driver/CompileReport.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/Process.h"

namespace kiln::driver {

namespace {
/// In Auto mode, progress starts once the compile has run this long.
constexpr double kAutoProgressSeconds = 3.0;

double secondsBetween(CompileReport::Clock::time_point from,
                      CompileReport::Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

/// The end of the `#kiln.lowering_config<...>` that `text` starts with.
size_t getAttributeEnd(llvm::StringRef text) {
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '<')
      ++depth;
    else if (text[i] == '>' && --depth == 0)
      return i + 1;
  }
  return llvm::StringRef::npos;
}
} // namespace

CompileReport::CompileReport(ProgressMode progress,
                             llvm::raw_ostream &progressStream)
    : progress(progress), progressStream(progressStream), start(Clock::now()) {
  if (progress == ProgressMode::Auto &&
      !llvm::sys::Process::StandardErrIsDisplayed())
    this->progress = ProgressMode::Never;
}

CompileReport::Step::Step(CompileReport &report, llvm::StringRef name)
    : report(report), name(name.str()), start(Clock::now()) {
  if (!report.variant.empty())
    this->name += " (" + report.variant + ")";
}

CompileReport::Step::~Step() {
  report.endStep(name, secondsBetween(start, Clock::now()));
}

double CompileReport::getTotalSeconds() const {
  return secondsBetween(start, Clock::now());
}

void CompileReport::endStep(llvm::StringRef name, double seconds) {
  steps.emplace_back(name.str(), seconds);
  double total = getTotalSeconds();
  bool show = progress == ProgressMode::Always ||
              (progress == ProgressMode::Auto &&
               (printedProgress || total >= kAutoProgressSeconds));
  if (!show)
    return;
  progressStream << "kilnc: " << name << " "
                 << llvm::format("%.2f s (%.1f s in all)", seconds, total)
                 << "\n";
  progressStream.flush();
  printedProgress = true;
}

bool CompileReport::addDecision(llvm::StringRef node, llvm::StringRef message) {
  // "lowering <op> #<i>: #kiln.lowering_config<...>: <reason>"
  if (!message.consume_front("lowering "))
    return false;
  size_t colon = message.find(": #kiln.lowering_config<");
  if (colon == llvm::StringRef::npos)
    return false;
  LoweringDecisionRecord record;
  record.node = node.str();
  record.op = message.take_front(colon).str();
  llvm::StringRef rest = message.drop_front(colon + 2);
  size_t end = getAttributeEnd(rest);
  if (end == llvm::StringRef::npos)
    return false;
  record.config = rest.take_front(end).str();
  record.reason = rest.drop_front(end).ltrim(": ").str();
  record.variant = variant;
  decisions.push_back(std::move(record));
  return true;
}

} // namespace kiln::driver
