//===- Inputs.h - kiln-run's generated inputs -------------------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Inputs made from the model's own input descriptors, for --random and
// --zeros: their shapes (--input-shape, else each dynamic dim's lower
// bound) and their data.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TOOLS_KILN_RUN_INPUTS_H
#define KILN_TOOLS_KILN_RUN_INPUTS_H

#include "kiln/Driver/TensorFile.h"

#include "llvm/ADT/ArrayRef.h"

namespace kilnrun {
using namespace kiln::driver;

/// What a generated input holds.
enum class Fill { Random, Zeros };

/// The dims of every input of `api`'s model. A static dim is the model's.
/// A dynamic dim is, in this order of preference:
///  1. the value an --input-shape flag (`flags`, kilnc's syntax:
///     NAME=1x3x224x224, NAME= for a scalar) gives for this input;
///  2. the value a flag gives another input's dim of the same symbol
///     ("batch"), so that inputs sharing a symbol agree;
///  3. the symbol's lower bound (`--dim NAME=MIN..MAX` at compile time) if
///     it is at least 1, else 1.
/// A flag that does not parse, names no input, or gives a different rank
/// or a different static dim is an error. Returns an error message or "".
std::string chooseShapes(const kiln_model_api &api,
                         llvm::ArrayRef<std::string> flags,
                         std::vector<std::vector<int64_t>> &shapes);

/// A tensor of `dtype` and `dims`: zeros, or random data drawn from a
/// stream of its own, seeded by (`seed`, `index`), the same on every host.
/// Random floats are uniform in [-1, 1), rounded to the nearest value of
/// float16, bfloat16 and the float8 and float4 formats (so these may be
/// -1 or 1); integers are uniform in [0, 10), except bool and int2 in
/// [0, 2), uint2 in [0, 4) and int4 in [0, 8).
Tensor makeInput(kiln_dtype dtype, const std::vector<int64_t> &dims, Fill fill,
                 uint64_t seed, int index);

/// What makeInput puts in an input of `dtype`: "zeros", "random uniform
/// in [-1, 1)" (", rounded to nearest" for the narrow floats), "random
/// integers in [0, 10)".
std::string describeFill(kiln_dtype dtype, Fill fill);

} // namespace kilnrun

#endif // KILN_TOOLS_KILN_RUN_INPUTS_H
