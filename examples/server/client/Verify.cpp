//===- Verify.cpp - check a reply against ONNX Runtime's output -----------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "client/Verify.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace kiln_client;
using nlohmann::json;

namespace {
Verdict fail(std::string why) { return {false, 0, std::move(why)}; }

/// The output tensor of a reply; NULL if the reply has none or several.
const json *onlyOutput(const json &reply) {
  auto outputs = reply.find("outputs");
  if (outputs == reply.end() || !outputs->is_array() || outputs->size() != 1)
    return nullptr;
  const json &output = outputs->front();
  return output.is_object() ? &output : nullptr;
}

/// Reads the values of `data` into `values`; false if one is not a number.
bool readValues(const json &data, std::vector<float> &values) {
  if (!data.is_array())
    return false;
  for (const json &value : data) {
    if (!value.is_number())
      return false;
    values.push_back(value.get<float>());
  }
  return true;
}

/// Compares the values, and the argmax of each row of `width` values.
Verdict compare(const std::vector<float> &got,
                const std::vector<float> &expected, size_t width,
                double tolerance) {
  Verdict verdict{true, 0, ""};
  for (size_t i = 0; i < got.size(); ++i) {
    if (!std::isfinite(got[i]))
      return fail("value " + std::to_string(i) + " is not finite");
    verdict.maxDiff =
        std::max(verdict.maxDiff, std::fabs(double(got[i]) - expected[i]));
  }
  for (size_t row = 0; row < got.size(); row += width) {
    auto best = [&](const std::vector<float> &v) {
      return std::max_element(v.begin() + row, v.begin() + row + width) -
             v.begin();
    };
    if (best(got) != best(expected))
      return fail("row " + std::to_string(row / width) +
                  ": a different class is the most likely");
  }
  if (verdict.maxDiff > tolerance) {
    char why[64];
    std::snprintf(why, sizeof why, "a value differs by %.3g", verdict.maxDiff);
    return {false, verdict.maxDiff, why};
  }
  return verdict;
}
} // namespace

Verdict kiln_client::verifyReply(const Sample &sample, const std::string &body,
                                 double tolerance) {
  json reply = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (reply.is_discarded() || !reply.is_object())
    return fail("the reply is not a JSON object");
  if (reply.value("model_name", "") != sample.model)
    return fail("model_name is not '" + sample.model + "'");
  const json *output = onlyOutput(reply);
  if (!output)
    return fail("the reply has not exactly one output");
  if (output->value("datatype", "") != "FP32")
    return fail("the output's datatype is not FP32");
  auto shape = output->find("shape");
  if (shape == output->end() || *shape != json(sample.outputShape))
    return fail("the output's shape is not " + json(sample.outputShape).dump());
  std::vector<float> values;
  auto data = output->find("data");
  if (data == output->end() || !readValues(*data, values))
    return fail("the output's data is not an array of numbers");
  if (values.size() != sample.expected.size())
    return fail("the output has " + std::to_string(values.size()) +
                " values, not " + std::to_string(sample.expected.size()));
  return compare(values, sample.expected, sample.outputShape.back(), tolerance);
}
