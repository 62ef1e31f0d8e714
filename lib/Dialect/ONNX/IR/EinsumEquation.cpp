//===- EinsumEquation.cpp - Einsum equations as loop dims -----------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/ONNX/IR/EinsumEquation.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <map>

using namespace mlir;

namespace kiln::onnx {

namespace {
/// One side of the equation: its letters, and where "..." sits (or -1).
struct Term {
  std::string letters;
  int64_t ellipsisAt = -1;
};

bool parseTerm(StringRef text, Term &term, std::string &error) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i).starts_with("...")) {
      if (term.ellipsisAt >= 0) {
        error = "a term has two ellipses";
        return false;
      }
      term.ellipsisAt = term.letters.size();
      i += 2;
      continue;
    }
    if (!llvm::isAlpha(text[i])) {
      error = "unexpected '" + std::string(1, text[i]) + "' in the equation";
      return false;
    }
    term.letters.push_back(text[i]);
  }
  return true;
}
} // namespace

FailureOr<EinsumEquation>
parseEinsum(StringRef equation, ArrayRef<int64_t> ranks, std::string &error) {
  std::string compact;
  for (char c : equation)
    if (!llvm::isSpace(c))
      compact.push_back(c);
  StringRef text = compact;
  auto [lhs, rhs] = text.split("->");
  bool explicitOutput = text.contains("->");
  SmallVector<StringRef> sides;
  lhs.split(sides, ',');
  if (sides.size() != ranks.size()) {
    error = "the equation has " + std::to_string(sides.size()) +
            " operand terms for " + std::to_string(ranks.size()) + " inputs";
    return failure();
  }
  SmallVector<Term> terms(sides.size());
  EinsumEquation eq;
  for (auto [i, side] : llvm::enumerate(sides)) {
    if (!parseTerm(side, terms[i], error))
      return failure();
    int64_t named = terms[i].letters.size();
    int64_t ellipsis = ranks[i] - named;
    if (ellipsis < 0 || (ellipsis > 0 && terms[i].ellipsisAt < 0)) {
      error = "term '" + side.str() + "' does not fit an operand of rank " +
              std::to_string(ranks[i]);
      return failure();
    }
    eq.numEllipsis = std::max(eq.numEllipsis, ellipsis);
  }
  // Letters in order of first appearance, after the ellipsis loops.
  std::map<char, int64_t> loopOf;
  std::map<char, int64_t> count;
  std::string order;
  for (const Term &term : terms)
    for (char c : term.letters) {
      if (!count[c]++)
        order.push_back(c);
    }
  eq.numLoops = eq.numEllipsis;
  for (char c : order)
    loopOf[c] = eq.numLoops++;
  for (auto [i, term] : llvm::enumerate(terms)) {
    int64_t ellipsis = ranks[i] - (int64_t)term.letters.size();
    SmallVector<int64_t> dims;
    for (int64_t p = 0; p <= (int64_t)term.letters.size(); ++p) {
      if (p == term.ellipsisAt)
        for (int64_t e = 0; e < ellipsis; ++e)
          dims.push_back(eq.numEllipsis - ellipsis + e);
      if (p < (int64_t)term.letters.size())
        dims.push_back(loopOf[term.letters[p]]);
    }
    eq.inputs.push_back(std::move(dims));
  }
  Term out;
  if (explicitOutput) {
    if (!parseTerm(rhs, out, error))
      return failure();
    for (char c : out.letters)
      if (!loopOf.count(c)) {
        error =
            "the output names '" + std::string(1, c) + "', which no input has";
        return failure();
      }
  } else {
    // Implicit output: the ellipsis, then letters used once, sorted.
    out.ellipsisAt = 0;
    for (char c : order)
      if (count[c] == 1)
        out.letters.push_back(c);
    llvm::sort(out.letters);
  }
  for (int64_t p = 0; p <= (int64_t)out.letters.size(); ++p) {
    if (p == out.ellipsisAt)
      for (int64_t e = 0; e < eq.numEllipsis; ++e)
        eq.output.push_back(e);
    if (p < (int64_t)out.letters.size())
      eq.output.push_back(loopOf[out.letters[p]]);
  }
  return eq;
}

} // namespace kiln::onnx
