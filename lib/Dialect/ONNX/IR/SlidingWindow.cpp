//===- SlidingWindow.cpp - ONNX's sliding-window size rules ---------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/ONNX/IR/SlidingWindow.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>

namespace kiln::onnx {

std::optional<AutoPad> parseAutoPad(llvm::StringRef autoPad) {
  return llvm::StringSwitch<std::optional<AutoPad>>(autoPad)
      .Case("NOTSET", AutoPad::NotSet)
      .Case("SAME_UPPER", AutoPad::SameUpper)
      .Case("SAME_LOWER", AutoPad::SameLower)
      .Case("VALID", AutoPad::Valid)
      .Default(std::nullopt);
}

int64_t getWindowOutputSize(int64_t in, int64_t kernel, int64_t stride,
                            int64_t dilation, int64_t padBegin, int64_t padEnd,
                            AutoPad autoPad, bool ceilMode) {
  if (autoPad == AutoPad::SameUpper || autoPad == AutoPad::SameLower)
    return llvm::divideCeil(in, stride);
  if (autoPad == AutoPad::Valid)
    padBegin = padEnd = 0;
  int64_t span = in + padBegin + padEnd - dilation * (kernel - 1) - 1;
  if (span < 0)
    return -1;
  int64_t out = (ceilMode ? llvm::divideCeil(span, stride) : span / stride) + 1;
  if (ceilMode && (out - 1) * stride >= in + padBegin)
    --out;
  return out;
}

std::pair<int64_t, int64_t> getSamePads(int64_t in, int64_t kernel,
                                        int64_t stride, int64_t dilation,
                                        AutoPad autoPad) {
  int64_t out = llvm::divideCeil(in, stride);
  int64_t total = std::max<int64_t>(
      (out - 1) * stride + (kernel - 1) * dilation + 1 - in, 0);
  int64_t small = total / 2, large = total - small;
  if (autoPad == AutoPad::SameUpper)
    return {small, large};
  return {large, small};
}

} // namespace kiln::onnx
