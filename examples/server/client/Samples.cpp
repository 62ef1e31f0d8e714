//===- Samples.cpp - requests with ONNX Runtime's answers -----------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "client/Samples.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using namespace kiln_client;

namespace {
/// Reads `count` numbers from `fields`.
bool readFloats(std::istringstream &fields, size_t count,
                std::vector<float> &out) {
  out.resize(count);
  for (float &value : out)
    fields >> value;
  return static_cast<bool>(fields);
}

/// Calls `parse` on each line that is not empty or a comment.
template <typename Fn>
bool forEachLine(const std::string &path, std::string &error, Fn parse) {
  std::ifstream in(path);
  if (!in) {
    error = "cannot read " + path;
    return false;
  }
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#')
      continue;
    std::istringstream fields(line);
    if (!parse(fields)) {
      error = path + ":" + std::to_string(number) + ": malformed line";
      return false;
    }
  }
  return true;
}
} // namespace

std::string kiln_client::inferBody(const Sample &sample,
                                   const std::string &extra) {
  nlohmann::json input = {{"name", sample.inputName},
                          {"shape", sample.inputShape},
                          {"datatype", "FP32"},
                          {"data", sample.input}};
  std::string body =
      nlohmann::json{{"inputs", nlohmann::json::array({input})}}.dump();
  if (!extra.empty())
    body.insert(1, extra + ",");
  return body;
}

bool kiln_client::readDigitsSamples(const std::string &path,
                                    std::vector<Sample> &samples,
                                    std::string &error) {
  return forEachLine(path, error, [&](std::istringstream &fields) {
    Sample sample{"digits", "pixels", {1, 64}, {}, {1, 10}, {}, ""};
    int label;
    fields >> label;
    if (!readFloats(fields, 64, sample.input) ||
        !readFloats(fields, 10, sample.expected))
      return false;
    sample.body = inferBody(sample);
    samples.push_back(std::move(sample));
    return true;
  });
}

bool kiln_client::readTinyCnnSamples(const std::string &path,
                                     std::vector<Sample> &samples,
                                     std::string &error) {
  return forEachLine(path, error, [&](std::istringstream &fields) {
    int64_t batch = 0;
    fields >> batch;
    if (!fields || batch < 1 || batch > 1024)
      return false;
    Sample sample{"tiny_cnn", "image", {batch, 1, 8, 8}, {}, {batch, 10},
                  {},         ""};
    if (!readFloats(fields, batch * 64, sample.input) ||
        !readFloats(fields, batch * 10, sample.expected))
      return false;
    sample.body = inferBody(sample);
    samples.push_back(std::move(sample));
    return true;
  });
}
