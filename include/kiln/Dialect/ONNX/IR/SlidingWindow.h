//===- SlidingWindow.h - ONNX's sliding-window size rules -------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Conv, ConvTranspose's input side and the pools share one rule for the
// output size of a window and one for SAME padding. Shape inference (the
// onnx dialect) and the lowering (ONNXToLinalg) both use these, so the
// shapes they compute cannot drift apart.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_ONNX_IR_SLIDINGWINDOW_H
#define KILN_DIALECT_ONNX_IR_SLIDINGWINDOW_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <utility>

namespace kiln::onnx {

enum class AutoPad { NotSet, SameUpper, SameLower, Valid };

/// The auto_pad attribute's value, or nullopt for one ONNX does not define.
std::optional<AutoPad> parseAutoPad(llvm::StringRef autoPad);

/// The output size of a window along one static dim: floor (ceil with
/// `ceilMode`) of the padded span over the stride, plus one; ceil(in /
/// stride) with SAME padding. A window may not start inside the end
/// padding. Below 1 when the window does not fit.
int64_t getWindowOutputSize(int64_t in, int64_t kernel, int64_t stride,
                            int64_t dilation, int64_t padBegin, int64_t padEnd,
                            AutoPad autoPad, bool ceilMode);

/// The pads {begin, end} SAME_UPPER or SAME_LOWER gives one static dim: an
/// output of ceil(in / stride); the odd pad goes at the end for UPPER and
/// at the beginning for LOWER.
std::pair<int64_t, int64_t> getSamePads(int64_t in, int64_t kernel,
                                        int64_t stride, int64_t dilation,
                                        AutoPad autoPad);

} // namespace kiln::onnx

#endif // KILN_DIALECT_ONNX_IR_SLIDINGWINDOW_H
